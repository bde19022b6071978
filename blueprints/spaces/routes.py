"""A space's home (T-1)."""
from flask import g
from peewee import JOIN

from blueprints.spaces import bp
from blueprints.spaces.access import space_required, teaching_here
from blueprints.spaces.members import ROLE_ORDER
from models import (Material, MaterialKind, Membership, Page, PageRevision, PageView, SpaceRole,
                    User)
from web import render


HOME_MEMBERS = 12  # a group may have thousands: the home shows these, the members page all


@bp.route("/")
@space_required()
def home():
    """The space's home: title, description, logo, recent activity and some members (those
    who run it by role and name, then the newest; the members page lists them all), beside
    what its parent adds (a TwinSpace: the latest diary posts)."""
    is_teacher = teaching_here()
    parent = g.space_parent
    extra = parent.home_context(g.space, g.membership) if parent.home_context else {}
    members = _home_members()
    member_count = (len(members) if len(members) < HOME_MEMBERS else
                    Membership.select().where(Membership.space == g.space).count())
    return render("spaces/home.html", members=members, member_count=member_count,
                  is_teacher=is_teacher,
                  activity=_activity(is_teacher), **extra)


def _home_members():
    """Up to HOME_MEMBERS: those who run the space, then the newest members. Two short index
    reads however big the space (sorting thousands of members by name took 35 ms)."""
    def of(roles):
        return (Membership.select(Membership, User).join(User)
                .where(Membership.space == g.space, roles).limit(HOME_MEMBERS))
    members = list(of(Membership.role.in_(SpaceRole.TEACHERS)).order_by(ROLE_ORDER, User.name))
    if len(members) < HOME_MEMBERS:
        members += list(of(Membership.role.not_in(SpaceRole.TEACHERS))
                        .order_by(Membership.id.desc()).limit(HOME_MEMBERS - len(members)))
    return members


def _activity(is_teacher, limit=8):
    """What changed lately: page saves and new materials, newest first (two queries). Pupils
    and guests see no teachers-only page, no image still waiting for its alt text and no
    material hidden after a report."""
    saves = (PageRevision.select(PageRevision, Page, User)
             .join(Page).switch(PageRevision).join(User, JOIN.LEFT_OUTER)
             .where(Page.space == g.space, Page.archived_at.is_null())
             .order_by(PageRevision.created_at.desc()).limit(limit))
    if not is_teacher:
        saves = saves.where(Page.view_rule != PageView.TEACHERS)
    added = (Material.select(Material, User)
             .join(User, JOIN.LEFT_OUTER, on=(Material.created_by == User.id))
             .where(Material.space == g.space,
                    (Material.kind != MaterialKind.IMAGE) | (Material.alt_text != ""))
             .order_by(Material.created_at.desc()).limit(limit))
    if not is_teacher:
        added = added.where(Material.hidden_at.is_null())  # hidden after a report
    items = ([("page", r.created_at, r.author, r.page, r.version) for r in saves]
             + [("material", m.created_at, m.created_by, m, None) for m in added])
    return sorted(items, key=lambda item: item[1], reverse=True)[:limit]
