"""Live: forums (being built)."""
from blueprints.live import bp  # noqa: F401
