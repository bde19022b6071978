"""Central staff decide on group requests (G-3): the queue, oldest first, and each request
with its history and three decisions; they create featured groups with the moderators they
name and mark active groups as featured (G-6). National staff read the requests of their
country's teachers, without acting. Every change goes through services.groups.act."""
from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from blueprints.admin import bp
from blueprints.groups.forms import DecisionForm, FeaturedGroupForm
from blueprints.groups.forms import language_choices_now
from blueprints.groups.requests import facts, save_image
from models import Group, GroupState, Space, User
from services import groups as group_service
from services import permissions
from web import go, render, require

# The queue's tabs, in the order staff work through them.
TABS = (GroupState.PENDING, GroupState.NEEDS_INFO, GroupState.REJECTED, GroupState.ACTIVE,
        GroupState.CLOSED)
# What staff may do from a group's admin page (reject and ask_info need DecisionForm's text).
DECISIONS = {"approve", "reject", "ask_info", "feature", "unfeature", "close", "reopen",
             "exempt", "unexempt"}


def pending_count():
    return Group.select().where(Group.state == GroupState.PENDING).count()


@bp.route("/groups")
@require(permissions.can_review_groups)
def groups():
    """Group requests by state: waiting ones oldest first, so nobody waits longest."""
    state = request.args.get("state", GroupState.PENDING)
    if state not in TABS:
        state = GroupState.PENDING
    order = (Group.submitted_at, Group.id) if state in (
        GroupState.PENDING, GroupState.NEEDS_INFO) else (Group.submitted_at.desc(),)
    rows = list(Group.select(Group, Space, User).join(Space).switch(Group)
                .join(User, on=(Group.creator == User.id), join_type=JOIN.LEFT_OUTER)
                .where(Group.state == state).order_by(*order).limit(200))
    counts = {s: Group.select().where(Group.state == s).count() for s in TABS}
    return render("admin/groups.html", rows=rows, state=state, tabs=TABS, counts=counts,
                  state_names=group_service.STATE_NAMES)


def _group(group_id):
    group = Group.get_or_none(Group.id == group_id)
    if not permissions.can_read_group_in_admin(current_user, group):
        abort(404)
    return group


@bp.route("/groups/<int:group_id>")
@require(permissions.can_use_admin)
def group(group_id):
    """A group's request, its history, and (central staff) the decisions it allows."""
    return _show(_group(group_id))


def _show(group, form=None, failed=None, status=None):
    may_act = permissions.can_review_groups(current_user)
    return render("admin/group.html", form=form or DecisionForm(formdata=None), failed=failed,
                  may_act=may_act, status=status, **facts(group))


@bp.route("/groups/<int:group_id>/<action>", methods=["POST"])
@require(permissions.can_use_admin)
def group_act(group_id, action):
    """Approve, reject (with a reason), ask for more information (with a question), mark as
    featured / not featured, close / reopen, exempt from monitoring / monitor again. The
    creator is told of decisions in their language."""
    group = _group(group_id)
    if action not in DECISIONS or not permissions.can_review_groups(current_user):
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _show(group, form, action)
    try:
        group_service.act(group, action, current_user, form.text.data or "",
                          settings=current_app.config)
    except group_service.GroupError as error:
        form.text.errors.append(str(error))
        missing_text = (group_service.ACTIONS[action].needs_text
                        and not (form.text.data or "").strip())
        return _show(group, form, action, 422 if missing_text else 409)
    return go(url_for("admin.group", group_id=group.id),
              _("%(step)s: “%(title)s”.", step=group_service.ACTION_NAMES[action],
                title=group.space.title))


@bp.route("/groups/featured/new", methods=["GET", "POST"])
@require(permissions.can_review_groups)
def group_new():
    """Create a featured group, active at once, run by the moderators staff name."""
    form = FeaturedGroupForm(language_choices=language_choices_now())
    if request.method == "GET":
        form.access.data = "open"
    if form.validate_on_submit():
        logo_id = save_image(form)
        if logo_id is not False:
            created = group_service.create(current_user, featured=True, logo_id=logo_id,
                                           moderators=form.moderator_users, **form.values())
            return go(url_for("admin.group", group_id=created.id),
                      _("The featured group “%(title)s” is active.", title=form.title.data))
    return render("admin/group_new.html", form=form)
