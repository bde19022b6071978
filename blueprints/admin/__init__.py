from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from blueprints.admin import content, group_watch, reports, reviews, routes, validation  # noqa: E402,F401
