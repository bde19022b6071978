from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from blueprints.admin import (audit, content, group_watch, groups, reports, reviews,  # noqa: E402,F401
                             routes, validation)
