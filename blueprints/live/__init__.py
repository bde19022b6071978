from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")

from blueprints.live import (events, forums, mail, notifications, people,  # noqa: E402,F401
                             profile, project_delete, projects, routes)
