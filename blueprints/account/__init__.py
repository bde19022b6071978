from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from blueprints.account import rights, routes  # noqa: E402,F401
