"""Live: events (being built)."""
from blueprints.live import bp  # noqa: F401
