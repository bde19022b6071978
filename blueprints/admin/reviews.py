"""Admin: reviews (being built)."""
from blueprints.admin import bp  # noqa: F401
