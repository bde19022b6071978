"""Joining and leaving a group (G-5): join an open group at once, ask to join one by
invitation (its moderators accept or decline on "Requests to join"), accept or decline an
invitation (on "My invitations"), leave (never the last moderator). A new member is greeted
with the group's welcome message (services.group_members.welcome)."""
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.groups import bp
from blueprints.groups.forms import AskForm
from blueprints.spaces.access import space_required
from models import GroupInvitation, GroupInvitationKind
from services import group_members, groups, permissions, spaces
from services.groups import GroupError
from web import go, redirect_to_login, render, require

joiners = space_required(permissions.can_join_group)
runners = space_required(permissions.can_run_group)


def _group():
    return groups.of_space(g.space) or abort(404)


def _home():
    return g.space_parent.url("home")


def _may_read():
    return permissions.can_read_space(current_user, g.space, g.membership)


def _refused(message):
    """Back where the teacher came from, with why: the group's home when they may read it,
    else the list of groups (saying nothing more about a group they may not read)."""
    return go(_home() if _may_read() else url_for("groups.index"), message, "error")


def _greeting(group, message):
    """The flash after joining: the group's welcome message, if it has one."""
    if (group.welcome or "").strip():
        return _("%(done)s The group's welcome: %(welcome)s", done=message,
                 welcome=group.welcome.strip())
    return message


def _joiner_or_member(user, space, membership):
    return (permissions.can_join_group(user, space, membership)
            or permissions.is_space_member(user, space, membership))


@bp.route("/<int:space_id>/join", methods=["POST"])
@space_required(_joiner_or_member)
def join():
    """Join an open group at once; an invitation-only group leads to "Ask to join". Joining
    twice is harmless."""
    group = _group()
    if not FlaskForm().validate_on_submit():
        abort(400)
    if g.membership is not None:
        return go(_home(), _("You are already a member of the group."), "info")
    if not group.is_open:
        return go(url_for("groups.ask"))
    try:
        group_members.join(group, current_user, current_app.config)
    except GroupError as error:
        return _refused(str(error))
    return go(_home(), _greeting(group, _("You are now a member of the group.")))


@bp.route("/<int:space_id>/ask", methods=["GET", "POST"])
@joiners
def ask():
    """Ask to join a group by invitation, with an optional message to its moderators. Any
    active teacher may reach it (the group's content stays hidden until they are accepted)."""
    group = _group()
    problem = group_members.refusal(group)
    if problem:
        return _refused(problem)
    if group.is_open:
        return go(_home())
    mine = GroupInvitation.get_or_none(GroupInvitation.group == group,
                                       GroupInvitation.user == current_user.id)
    waiting = mine is not None and mine.state == group_members.PENDING \
        and mine.kind == GroupInvitationKind.REQUEST
    form = AskForm()
    if not waiting and form.validate_on_submit():
        try:
            group_members.ask(group, current_user, (form.message.data or "").strip(),
                              current_app.config)
        except GroupError as error:
            return _refused(str(error))
        if spaces.membership(g.space, current_user) is not None:  # they had been invited
            return go(_home(), _greeting(group, _("You are now a member of the group.")))
        return go(url_for("groups.ask"), _("Your request is sent. The moderators will "
                                           "answer it; you will be told."))
    return render("groups/ask.html", form=form, group=group, waiting=waiting)


@bp.route("/<int:space_id>/requests")
@runners
def requests():
    """The pending requests to join, for the group's moderators."""
    group = _group()
    return render("groups/requests.html", group=group,
                  join_requests=group_members.pending_requests(group), form=FlaskForm())


@bp.route("/<int:space_id>/requests/<int:request_id>", methods=["POST"])
@runners
def answer_request(request_id):
    """Accept or decline one request (the asker is told)."""
    group = _group()
    row = GroupInvitation.get_or_none(GroupInvitation.id == request_id,
                                      GroupInvitation.group == group,
                                      GroupInvitation.kind == GroupInvitationKind.REQUEST)
    if row is None or not FlaskForm().validate_on_submit():
        abort(404 if row is None else 400)
    back = request.form.get("back") == "members"
    here = g.space_parent.url("members") if back else url_for("groups.requests")
    if row.state != group_members.PENDING:
        return go(here, _("This request was already answered."), "info")
    accept = request.form.get("decision") == "accept"
    try:
        group_members.answer_request(row, accept, current_app.config)
    except GroupError as error:
        return go(here, str(error), "error")
    name = row.user.name
    return go(here, _("%(name)s is now a member.", name=name) if accept
              else _("You declined the request of %(name)s.", name=name))


@bp.route("/invitations")
@require(permissions.is_logged_in)
def invitations():
    """My pending invitations to groups: accept or decline each."""
    return render("groups/invitations.html", items=group_members.invitations_for(current_user),
                  form=FlaskForm())


@bp.route("/<int:space_id>/invitation", methods=["POST"])
def answer_invitation():
    """Accept or decline my invitation to this group."""
    if not current_user.is_authenticated:
        return redirect_to_login()
    group = _group()
    row = GroupInvitation.get_or_none(GroupInvitation.group == group,
                                      GroupInvitation.user == current_user.id,
                                      GroupInvitation.kind == GroupInvitationKind.INVITATION,
                                      GroupInvitation.state == group_members.PENDING)
    if row is None or not FlaskForm().validate_on_submit():
        abort(404 if row is None else 400)
    accept = request.form.get("decision") == "accept"
    try:
        group_members.answer_invitation(row, accept, current_app.config)
    except GroupError as error:
        return go(url_for("groups.invitations"), str(error), "error")
    if accept:
        return go(_home(), _greeting(group, _("You are now a member of the group.")))
    return go(url_for("groups.invitations"), _("You declined the invitation."))


@bp.route("/<int:space_id>/leave", methods=["GET", "POST"])
@space_required(permissions.can_leave_group)
def leave():
    """Ask first, then leave the group (its last moderator may not)."""
    group = _group()
    problem = None
    if (permissions.is_group_moderator(current_user, g.space, g.membership)
            and groups.moderator_ids(g.space) == {current_user.id}):
        problem = _("You are the group's only moderator: make another member a moderator "
                    "first, on the members page.")
    form = FlaskForm()
    if request.method == "POST":
        if problem:
            return go(url_for("groups.leave"), problem, "error")
        if not form.validate_on_submit():
            abort(400)
        try:
            group_members.leave(group, current_user)
        except GroupError as error:
            return go(url_for("groups.leave"), str(error), "error")
        return go(url_for("groups.index"), _("You left the group “%(title)s”.",
                                             title=g.space.title))
    return render("groups/leave.html", form=form, problem=problem, group=group)
