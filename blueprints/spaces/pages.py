"""Spaces: pages (being built)."""
from blueprints.spaces import bp  # noqa: F401
