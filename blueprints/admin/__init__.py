from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from blueprints.admin import (audit, content, group_watch, groups, health, reports,  # noqa: E402,F401
                             reviews, routes, validation)
