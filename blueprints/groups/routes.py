"""Groups in Live (L-8): my groups, the active groups to join (searchable), a way to create
one; and the groups similar to one being requested (G-1)."""
from flask import request
from flask_login import current_user

from blueprints.groups import bp
from blueprints.groups.finding import run_search
from extensions import htmx
from models import Group, SpaceKind
from services import group_members, group_search, groups, permissions, spaces
from web import render, require


@bp.route("/")
@require(permissions.is_logged_in)
def index():
    """My groups (with my role, and the state of those not active yet), the active groups
    to join, searchable by keyword and language, and a way to create one."""
    memberships = spaces.spaces_of(current_user, SpaceKind.GROUP)
    states = {g.space_id: g for g in Group.select().where(
        Group.space.in_([m.space_id for m in memberships]))} if memberships else {}
    form, results, cards, status = run_search()
    return render("groups/index.html", partials={"group-results": "groups/_results.html"},
                  status=status, memberships=memberships, group_of=states,
                  state_names=groups.STATE_NAMES, form=form, results=results, cards=cards,
                  endpoint="groups.index", results_level=3,
                  invitations=group_members.invitations_for(current_user))


@bp.route("/similar")
@require(permissions.is_logged_in)
def similar():
    """G-1: active groups like the one being typed (?title=...&topics=...): the fragment for
    htmx (the request form's #similar region), or a page of its own without JavaScript."""
    title = (request.args.get("title") or "")[:200]
    topics = (request.args.get("topics") or "")[:300]
    found = group_search.similar(title, topics)
    context = dict(similar_groups=found, similar_asked=bool(title.strip() or topics.strip()),
                   title=title, topics=topics)
    if htmx:
        return render("groups/_similar.html", **context)
    return render("groups/similar.html", **context)
