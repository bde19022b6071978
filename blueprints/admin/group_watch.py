"""Central staff watch the groups (G-7): idle groups flagged by `flask maintenance`, exempt
groups and closed ones, each with its latest activity, moderators and approval date. Per
group: write to its moderators (a Live mail, kept in the group's history), close, reopen,
clear the flag, exempt from monitoring and undo. Everyone else: 404 (the page does not exist
for them). Every change goes through services.groups.act."""
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.admin import bp
from models import Group, GroupNote, GroupState, Space, User, db
from services import group_watch as watch
from services import audit, groups, mailbox, permissions
from web import EmptyForm, go, render, require

ACTIONS = ("close", "reopen", "clear_flag", "exempt", "unexempt")
DONE = {
    "close": _l("The group is closed: read-only for its members, hidden from the directory."),
    "reopen": _l("The group is open again."),
    "clear_flag": _l("The flag is cleared."),
    "exempt": _l("The group is exempt from monitoring."),
    "unexempt": _l("The group is monitored again."),
}


class ModeratorMessageForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[
        DataRequired(_l("Enter a subject")),
        Length(max=200, message=_l("Enter a subject of at most %(max)d characters", max=200))])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=10_000, message=_l("Shorten this text to at most %(max)d characters",
                                      max=10_000))])


def staff_only(view):
    """Central staff only; for anyone else logged in the page does not exist."""
    def rule(user):
        if not permissions.can_watch_groups(user):
            abort(404)
        return True
    wrapped = require(rule)(view)
    wrapped.__name__ = view.__name__
    return wrapped


def _group_or_404(group_id):
    return (Group.select(Group, Space).join(Space).where(Group.id == group_id).first()
            or abort(404))


@bp.route("/groups/watch")
@staff_only
def group_watch():
    """Flagged groups, exempt groups and closed groups."""
    return render("admin/group_watch.html",
                  flagged=watch.watch_rows(GroupState.ACTIVE),
                  exempt=[g for g in watch.watch_rows(GroupState.ACTIVE, False)
                          if g.exempt],
                  closed=watch.watch_rows(GroupState.CLOSED, False),
                  form=EmptyForm())


@bp.route("/groups/watch/<int:group_id>/<action>", methods=["POST"])
@staff_only
def group_watch_act(group_id, action):
    if action not in ACTIONS:
        abort(404)
    group = _group_or_404(group_id)
    try:
        groups.act(group, action, current_user, settings=current_app.config)
    except groups.GroupError as error:
        return go(url_for("admin.group_watch"), str(error), "error")
    return go(url_for("admin.group_watch"), str(DONE[action]))


@bp.route("/groups/watch/<int:group_id>/message", methods=["GET", "POST"])
@staff_only
def group_watch_message(group_id):
    """Write to the group's moderators: a Live mail to each, recorded in its history."""
    group = _group_or_404(group_id)
    moderators = list(User.select().where(User.id.in_(list(groups.moderator_ids(group.space))
                                                      or [0])).order_by(User.name))
    form = ModeratorMessageForm()
    if form.validate_on_submit():
        if not moderators:
            form.body.errors.append(_("This group has no moderator to write to."))
        else:
            mailbox.compose(current_user, form.subject.data.strip(), form.body.data.strip(),
                            moderators, current_app.config)
            with db.atomic():
                GroupNote.create(group=group, author=current_user.id, action="message",
                                 text=f"{form.subject.data.strip()}\n\n"
                                      f"{form.body.data.strip()}")
                audit.record(current_user, "group.message", group,
                             detail=form.subject.data, country=groups.creator_country(group))
            return go(url_for("admin.group_watch"),
                      _("Your message was sent to the moderators of “%(title)s”.",
                        title=group.space.title))
    return render("admin/group_watch_message.html", form=form, group=group,
                  moderators=moderators)
