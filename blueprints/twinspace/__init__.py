"""TwinSpaces: a project's private space. The shared space features come from the nested
`spaces` blueprint; what only a project space has (diary, bulletin, public view, settings, its
project's partners) is here, declared once as the TwinSpace parent (parent.py)."""
from flask import Blueprint

from blueprints import spaces
from blueprints.spaces import parents
from blueprints.twinspace.parent import parent

bp = Blueprint("twinspace", __name__, url_prefix="/twinspaces")
# Nested once, at import time (never inside create_app, or each test app would nest it again).
TWINSPACE = parents.register(parent(bp), spaces.bp)

from blueprints.twinspace import routes  # noqa: E402,F401
