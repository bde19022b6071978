"""Spaces: members (being built)."""
from blueprints.spaces import bp  # noqa: F401
