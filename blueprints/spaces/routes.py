"""A space's home (T-1)."""
from flask import g

from blueprints.spaces import bp
from blueprints.spaces.access import space_required, teaching_here
from models import DiaryPost, Membership, User
from web import render


@bp.route("/")
@space_required()
def home():
    """The space's home: title, description, logo, the latest diary posts and members."""
    posts = (DiaryPost.select()
             .where(DiaryPost.space == g.space)
             .order_by(DiaryPost.published_at.desc())
             .limit(5))
    members = (Membership.select(Membership, User).join(User)
               .where(Membership.space == g.space)
               .order_by(Membership.role, User.name))
    return render("spaces/home.html", posts=list(posts), members=list(members),
                  is_teacher=teaching_here())
