"""Groups in Live (L-8): my groups, open groups, and a way to create one."""
from flask_login import current_user

from blueprints.groups import bp
from models import SpaceKind
from services import permissions, spaces
from web import render, require


@bp.route("/")
@require(permissions.is_logged_in)
def index():
    """My groups, the open groups to join, and a way to create one."""
    return render("groups/index.html",
                  memberships=spaces.spaces_of(current_user, SpaceKind.GROUP))
