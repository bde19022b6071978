"""Groups (G-1..G-8): spaces where teachers meet around a topic. The shared space features
come from the nested `spaces` blueprint; what only a group has (its request and approval,
joining and leaving, the start checklist, monitoring) is here, declared once as the Group
parent (parent.py)."""
from flask import Blueprint

from blueprints import spaces
from blueprints.groups.parent import parent
from blueprints.spaces import parents

bp = Blueprint("groups", __name__, url_prefix="/groups")
# Nested once, at import time (never inside create_app).
GROUP = parents.register(parent(bp), spaces.bp)

from blueprints.groups import manage, membership, requests, routes  # noqa: E402,F401
