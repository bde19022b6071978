"""Live, the teacher's desktop (L-*)."""
from flask_login import current_user

from blueprints.live import bp
from models import News, PartnerState, Project, ProjectPartner
from services.feed import feed_for
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
    projects = (Project.select()
                .join(ProjectPartner, on=(ProjectPartner.project == Project.id))
                .where(ProjectPartner.user == user.id,
                       ProjectPartner.state.in_([PartnerState.ACCEPTED, PartnerState.INVITED]))
                .order_by(Project.state, Project.created_at.desc())
                .limit(5))
    return render("live/dashboard.html", user=user, near=list(near), projects=list(projects),
                  feed=feed_for(user, limit=8))


@bp.route("/near-you")
@require(permissions.can_use_live)
def near_you():
    """Everything the national support service of my country has published (L-6)."""
    query = (News.select()
             .where(News.country == current_user.country)
             .order_by(News.published_at.desc(), News.id.desc()))
    return render("live/near_you.html", pagination=Page.of_query(query, page_arg(), per_page=10))
