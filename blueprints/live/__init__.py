from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")

from blueprints.live import (mail, notifications, people, profile, projects,  # noqa: E402,F401
                             routes)
