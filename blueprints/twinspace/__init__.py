"""TwinSpaces: a project's private space. The shared space features come from the nested
`spaces` blueprint; what only a project space has (diary, bulletin, public view, settings)
is here."""
from flask import Blueprint

from blueprints import spaces
from blueprints.spaces.access import add_space_id, load_space

bp = Blueprint("twinspace", __name__, url_prefix="/twinspaces")
bp.url_value_preprocessor(load_space)
bp.url_defaults(add_space_id)
# Nested once, at import time (never inside create_app, or each test app would nest it again).
bp.register_blueprint(spaces.bp, url_prefix="/<int:space_id>")

from blueprints.twinspace import routes  # noqa: E402,F401
