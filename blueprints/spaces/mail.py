"""TwinMail (T-14): my mailbox (the same one as Live mail, L-14) inside a space, and writing to
the members of the space, with attachments.

The mail logic is blueprints/live/mail.py's (one mailbox, one set of rules); this module only
chooses the endpoints, the templates and who may be written to from here: the members of
this space. Pupils and guests, who have no Live, write here (and only reach people who share
a space with them); teachers keep their Live rules and here also reach the space's members.
"""
from flask import g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.live import mail as live_mail
from blueprints.live.notifications import header_counts
from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from blueprints.spaces.members import ROLE_ORDER, TYPE_OF
from models import MailFolder, Membership, User
from services import permissions
from web import go, render

SPACE = {"inbox": ".mail", "deleted": ".mail_deleted", "new": ".mail_new",
         "thread": ".mail_thread", "reply": ".mail_reply", "delete": ".mail_delete",
         "restore": ".mail_restore", "purge": ".mail_purge"}
GROUP_NAMES = {"teacher": _l("Teachers"), "pupil": _l("Pupils"), "guest": _l("Guests")}

writers_only = space_required(permissions.can_write_space_mail)


class _Unread:
    """My unread mail, counted only when a template shows it (a fragment never does), with
    the same cached COUNT as the header's Mail link."""

    def _value(self):
        counts = header_counts()
        return counts.mail if counts is not None else 0

    def __bool__(self):
        return bool(self._value())

    def __str__(self):
        return str(self._value())


@bp.before_request
def _mail_unread():
    """The unread count beside the space's TwinMail link, for its members."""
    if getattr(g, "membership", None) is not None and current_user.is_authenticated:
        g.mail_unread = _Unread()


def _can_write():
    return permissions.can_write_space_mail(current_user, g.space, g.membership)


def _thread_url(thread):
    return url_for(".mail_thread", thread_id=thread.id)


class SpaceComposeForm(live_mail.ComposeForm):
    outside_message = _l("Choose people from the list: the members of this TwinSpace")


def _members():
    """The other active members of the space, teachers first, then pupils, then guests."""
    return list(Membership.select(Membership, User).join(User)
                .where(Membership.space == g.space, User.id != current_user.id,
                       User.disabled == False)  # noqa: E712
                .order_by(ROLE_ORDER, User.name, User.id))


@bp.route("/mail")
@space_required()
def mail():
    """My inbox, inside the space: every conversation I hold, from Live and from spaces."""
    return live_mail.mailbox(MailFolder.INBOX, template="spaces/mail_inbox.html", ep=SPACE,
                             thread_url=_thread_url, can_write=_can_write())


@bp.route("/mail/deleted")
@space_required()
def mail_deleted():
    return live_mail.mailbox(MailFolder.DELETED, template="spaces/mail_inbox.html", ep=SPACE,
                             thread_url=_thread_url, can_write=_can_write())


@bp.route("/mail/new", methods=["GET", "POST"])
@writers_only
def mail_new():
    """Write to one or more members of this space (grouped: teachers, pupils, guests)."""
    members = _members()
    form = SpaceComposeForm(people=[m.user for m in members])
    to = request.args.get("to", type=int)
    if request.method == "GET" and to and str(to) in form.people:
        form.recipients.data = [str(to)]
    if form.validate_on_submit():
        thread = live_mail.compose(form, space=g.space)
        if thread is not None:
            return go(url_for(".mail_thread", thread_id=thread.id), _("Message sent."))
    groups = {kind: [] for kind in GROUP_NAMES}
    for m in members:
        groups[TYPE_OF.get(m.role, "guest")].append((str(m.user.id), m.user.name))
    return render("spaces/mail_new.html", form=form, ep=SPACE, can_write=True,
                  groups=[(GROUP_NAMES[k], people) for k, people in groups.items() if people],
                  no_people=not members,
                  action=url_for(".mail_new", to=to) if to else url_for(".mail_new"))


def _show(thread, form=None):
    return live_mail.show_thread(thread, form=form, template="spaces/mail_thread.html",
                                 ep=SPACE, can_reply=_can_write())


@bp.route("/mail/<int:thread_id>")
@space_required()
def mail_thread(thread_id):
    """Read a conversation (mine, wherever it was written): it becomes read."""
    thread = live_mail.thread_or_404(thread_id)
    live_mail.open_thread(thread)  # the count shown afterwards is counted again
    return _show(thread)


@bp.route("/mail/<int:thread_id>/reply", methods=["POST"])
@writers_only
def mail_reply(thread_id):
    thread = live_mail.thread_or_404(thread_id)
    return live_mail.reply(thread, lambda form: _show(thread, form), ep=SPACE)


@bp.route("/mail/<int:thread_id>/delete", methods=["POST"])
@space_required()
def mail_delete(thread_id):
    live_mail.move(thread_id, MailFolder.DELETED)
    return go(url_for(".mail"), live_mail.deleted_message())


@bp.route("/mail/<int:thread_id>/restore", methods=["POST"])
@space_required()
def mail_restore(thread_id):
    thread = live_mail.move(thread_id, MailFolder.INBOX)
    return go(url_for(".mail_thread", thread_id=thread.id), live_mail.restored_message())


@bp.route("/mail/<int:thread_id>/purge", methods=["GET", "POST"])
@space_required()
def mail_purge(thread_id):
    return live_mail.purge(thread_id, template="spaces/mail_purge.html", ep=SPACE)
