from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")

from blueprints.live import routes  # noqa: E402,F401
