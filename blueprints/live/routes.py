"""Live, the teacher's desktop (L-*)."""
from flask_login import current_user

from blueprints.live import bp
from services import permissions
from web import render, require


@bp.route("/")
@require(permissions.can_use_live)
def dashboard():
    """Show the teacher's desktop: who I am on the platform and what to do next."""
    user = current_user
    return render("live/dashboard.html", user=user, school=user.school,
                  subjects=user.subject_codes, age_ranges=user.age_range_codes)
