"""Live, the teacher's desktop (L-*)."""
from flask_login import current_user

from blueprints.live import bp
from models import News
from services import permissions
from services.paging import Page
from web import page_arg, render, require


@bp.route("/")
@require(permissions.can_use_live)
def dashboard():
    """Show the teacher's desktop: who I am on the platform and what to do next."""
    user = current_user
    near = (News.select()
            .where(News.country == user.country)
            .order_by(News.published_at.desc())
            .limit(5))
    return render("live/dashboard.html", user=user, school=user.school,
                  subjects=user.subject_codes, age_ranges=user.age_range_codes,
                  near=list(near))


@bp.route("/near-you")
@require(permissions.can_use_live)
def near_you():
    """Everything the national support service of my country has published (L-6)."""
    query = (News.select()
             .where(News.country == current_user.country)
             .order_by(News.published_at.desc(), News.id.desc()))
    return render("live/near_you.html", pagination=Page.of_query(query, page_arg(), per_page=10))
