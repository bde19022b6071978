"""A space's mail (TwinMail in a TwinSpace, T-14): my mailbox (the same one as Live mail,
L-14: services/mailbox.py) inside a space, and writing to the members of the space, with
attachments. The parent names it (its words["mail"]).

Here: the space's pages, forms and redirects, and who may be written to from here: the
members of this space. Pupils and guests, who have no Live, write here (and only reach people
who share a space with them); teachers keep their Live rules and here also reach the space's
members.
"""
from flask import abort, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.live import mail_forms as forms
from blueprints.live.mail_forms import ComposeForm, ReplyForm
from blueprints.live.notifications import header_counts
from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from blueprints.spaces.members import ROLE_ORDER, TYPE_OF
from models import MailFolder, User
from services import mailbox, permissions
from web import go, page_arg, render

# The endpoints of the space's mail pages (relative: the space's own parent), for its
# templates (templates/mail/).
EP = {"inbox": ".mail", "deleted": ".mail_deleted", "new": ".mail_new",
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
    """The unread count beside the space's mail link, for its members."""
    if getattr(g, "membership", None) is not None and current_user.is_authenticated:
        g.mail_unread = _Unread()


def _me():
    return current_user._get_current_object()


def _can_write():
    return permissions.can_write_space_mail(current_user, g.space, g.membership)


def _thread_url(thread):
    return url_for(".mail_thread", thread_id=thread.id)


def _thread_or_404(thread_id):
    thread = mailbox.readable_thread(current_user, thread_id)
    if thread is None:
        abort(404)
    return thread


class SpaceComposeForm(ComposeForm):
    outside_message = _l("Choose people from the list: the members of this space")


def _mailbox(folder):
    """My mailbox, inside the space: every conversation I hold, from Live and from spaces."""
    pagination, people = mailbox.folder_page(current_user, folder, page_arg())
    return render("spaces/mail_inbox.html", partials={"mail-list": "mail/_list.html"},
                  pagination=pagination, people=people, folder=folder, ep=EP,
                  counts=header_counts(), thread_url=_thread_url, can_write=_can_write())


@bp.route("/mail")
@space_required(permissions.is_space_member)
def mail():
    """My inbox, inside the space: every conversation I hold, from Live and from spaces."""
    return _mailbox(MailFolder.INBOX)


@bp.route("/mail/deleted")
@space_required(permissions.is_space_member)
def mail_deleted():
    return _mailbox(MailFolder.DELETED)


@bp.route("/mail/new", methods=["GET", "POST"])
@writers_only
def mail_new():
    """Write to one or more members of this space (grouped: teachers, pupils, guests)."""
    members = list(mailbox.space_recipients(g.space, current_user)
                   .order_by(ROLE_ORDER, User.name, User.id))
    form = SpaceComposeForm(people=[m.user for m in members])
    to = request.args.get("to", type=int)
    if request.method == "GET" and to and str(to) in form.people:
        form.recipients.data = [str(to)]
    if form.validate_on_submit():
        try:
            thread = mailbox.compose(_me(), form.subject.data, form.body.data,
                                     [form.people[pid] for pid in form.recipients.data],
                                     current_app.config, uploads=forms.attachments(form),
                                     space=g.space)
        except mailbox.AttachmentRefused as refused:
            forms.refuse_attachment(form, refused)
        else:
            return go(url_for(".mail_thread", thread_id=thread.id), forms.message_sent())
    groups = {kind: [] for kind in GROUP_NAMES}
    for m in members:
        groups[TYPE_OF.get(m.role, "guest")].append((str(m.user.id), m.user.name))
    return render("spaces/mail_new.html", form=form, ep=EP, can_write=True,
                  groups=[(GROUP_NAMES[k], people) for k, people in groups.items() if people],
                  no_people=not members,
                  action=url_for(".mail_new", to=to) if to else url_for(".mail_new"))


def _show(thread, form=None):
    """A conversation. Replies from here: those who may write in this space's mail, never in
    a closed space's thread (this one's or another's)."""
    can_reply = _can_write() and permissions.can_reply_in_thread(current_user, thread)
    if form is None and can_reply:
        form = ReplyForm()
    return render("spaces/mail_thread.html", thread=thread, form=form, can_reply=can_reply,
                  can_write=can_reply, ep=EP,
                  **mailbox.conversation(current_user, thread))


@bp.route("/mail/<int:thread_id>")
@space_required(permissions.is_space_member)
def mail_thread(thread_id):
    """Read a conversation (mine, wherever it was written): it becomes read."""
    thread = _thread_or_404(thread_id)
    mailbox.open_thread(current_user, thread)
    counts = header_counts()
    if counts is not None:
        counts.forget()  # the count shown afterwards is counted again
    return _show(thread)


@bp.route("/mail/<int:thread_id>/reply", methods=["POST"])
@writers_only
def mail_reply(thread_id):
    thread = _thread_or_404(thread_id)
    return forms.post_reply(thread, _me(), url_for(".mail_thread", thread_id=thread.id),
                            lambda form: _show(thread, form))


@bp.route("/mail/<int:thread_id>/delete", methods=["POST"])
@space_required(permissions.is_space_member)
def mail_delete(thread_id):
    mailbox.move(current_user, _thread_or_404(thread_id), MailFolder.DELETED)
    return go(url_for(".mail"), forms.moved_to_deleted())


@bp.route("/mail/<int:thread_id>/restore", methods=["POST"])
@space_required(permissions.is_space_member)
def mail_restore(thread_id):
    thread = _thread_or_404(thread_id)
    mailbox.move(current_user, thread, MailFolder.INBOX)
    return go(url_for(".mail_thread", thread_id=thread.id), forms.restored())


@bp.route("/mail/<int:thread_id>/purge", methods=["GET", "POST"])
@space_required(permissions.is_space_member)
def mail_purge(thread_id):
    """Delete my copies for good (the others keep theirs). Asks to confirm first."""
    thread = _thread_or_404(thread_id)
    if request.method == "GET":
        return render("spaces/mail_purge.html", thread=thread, ep=EP)
    mailbox.purge(current_user, thread)
    return go(url_for(".mail_deleted"), forms.purged())
