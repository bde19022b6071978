from flask import Blueprint

bp = Blueprint("portal", __name__)

from blueprints.portal import (collaborate, connect, group_directory, progress,  # noqa: E402,F401
                               routes)
