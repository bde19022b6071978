"""Live: internal mail (L-14). The mailbox is services/mailbox.py, shared with the mail of every
space (TwinMail, T-14, blueprints/spaces/mail.py): threads written here have space=None; the
inbox lists every thread I hold a copy of (so the header count matches), and a thread of a
space links into it, under its own parent, for those who can reply only there (pupils,
guests). Here: Live's pages, forms and redirects; whom one may write to from Live (contacts,
project partners), and that only validated teachers and staff write here."""
from flask import abort, current_app, request, url_for
from flask_login import current_user

from blueprints.live import bp
from blueprints.live import mail_forms as forms
from blueprints.live.mail_forms import ComposeForm, ReplyForm
from blueprints.live.notifications import header_counts
from blueprints.spaces import parents
from models import MailFolder
from services import mailbox, permissions
from web import go, page_arg, render, require

# The endpoints of Live's mail pages, for its templates (templates/mail/).
EP = {"inbox": "live.mail_inbox", "deleted": "live.mail_deleted", "new": "live.mail_new",
      "thread": "live.mail_thread", "reply": "live.mail_reply", "delete": "live.mail_delete",
      "restore": "live.mail_restore", "purge": "live.mail_purge"}


def _me():
    return current_user._get_current_object()


def _thread_or_404(thread_id):
    thread = mailbox.readable_thread(current_user, thread_id)
    if thread is None:
        abort(404)
    return thread


def _mailbox(folder):
    pagination, people = mailbox.folder_page(current_user, folder, page_arg())
    return render("live/mail_inbox.html", partials={"mail-list": "mail/_list.html"},
                  pagination=pagination, people=people, folder=folder, ep=EP,
                  counts=header_counts(), thread_url=mailbox.live_links(current_user),
                  can_write=permissions.can_write_mail(current_user))


@bp.route("/mail")
@require(permissions.can_read_mail)
def mail_inbox():
    """My conversations, newest first, with what I have not read yet."""
    return _mailbox(MailFolder.INBOX)


@bp.route("/mail/deleted")
@require(permissions.can_read_mail)
def mail_deleted():
    return _mailbox(MailFolder.DELETED)


def _show(thread, form=None):
    """A conversation. Replies from Live: validated teachers and staff, never in a closed
    space's thread; pupils and guests are pointed to the thread in their space."""
    me = current_user
    can_reply = permissions.can_write_mail(me) and permissions.can_reply_in_thread(me, thread)
    if form is None and can_reply:
        form = ReplyForm()
    space_link = space_words = None
    space = None if permissions.can_write_mail(me) else mailbox.my_space_of(me, thread)
    if space is not None:  # a pupil or guest replies there, under the space's own parent
        space_link = mailbox.space_thread_url(space, thread.id)
        space_words = parents.of(space).words
    return render("live/mail_thread.html", thread=thread, form=form, can_reply=can_reply,
                  can_write=can_reply, ep=EP, space_link=space_link,
                  space_words=space_words, **mailbox.conversation(me, thread))


@bp.route("/mail/<int:thread_id>")
@require(permissions.can_read_mail)
def mail_thread(thread_id):
    """Read a conversation: my copies become read, and so does its notification."""
    thread = _thread_or_404(thread_id)
    mailbox.open_thread(current_user, thread)
    counts = header_counts()
    if counts is not None:
        counts.forget()  # the header counts again what is unread
    return _show(thread)


@bp.route("/mail/new", methods=["GET", "POST"])
@require(permissions.can_write_mail)
def mail_new():
    """Write to one or more of my contacts and project partners."""
    to = request.args.get("to", type=int)
    people = mailbox.recipient_choices(current_user, to)
    form = ComposeForm(people=people)
    if request.method == "GET" and to and str(to) in form.people:
        form.recipients.data = [str(to)]
    if form.validate_on_submit():
        try:
            thread = mailbox.compose(_me(), form.subject.data, form.body.data,
                                     [form.people[pid] for pid in form.recipients.data],
                                     current_app.config, uploads=forms.attachments(form))
        except mailbox.AttachmentRefused as refused:
            forms.refuse_attachment(form, refused)
        else:
            return go(url_for("live.mail_thread", thread_id=thread.id), forms.message_sent())
    return render("live/mail_new.html", form=form, to=to, no_people=not people, ep=EP,
                  can_write=True, action=url_for("live.mail_new", to=to) if to
                  else url_for("live.mail_new"))


@bp.route("/mail/<int:thread_id>/reply", methods=["POST"])
@require(permissions.can_write_mail)
def mail_reply(thread_id):
    """Reply to everybody still in the thread (never in a closed space's thread)."""
    thread = _thread_or_404(thread_id)
    return forms.post_reply(thread, _me(), url_for("live.mail_thread", thread_id=thread.id),
                            lambda form: _show(thread, form))


@bp.route("/mail/<int:thread_id>/delete", methods=["POST"])
@require(permissions.can_read_mail)
def mail_delete(thread_id):
    """Move my copies to Deleted (they can be restored)."""
    mailbox.move(current_user, _thread_or_404(thread_id), MailFolder.DELETED)
    return go(url_for("live.mail_inbox"), forms.moved_to_deleted())


@bp.route("/mail/<int:thread_id>/restore", methods=["POST"])
@require(permissions.can_read_mail)
def mail_restore(thread_id):
    thread = _thread_or_404(thread_id)
    mailbox.move(current_user, thread, MailFolder.INBOX)
    return go(url_for("live.mail_thread", thread_id=thread.id), forms.restored())


@bp.route("/mail/<int:thread_id>/purge", methods=["GET", "POST"])
@require(permissions.can_read_mail)
def mail_purge(thread_id):
    """Delete my copies for good (the others keep theirs). Asks to confirm first."""
    thread = _thread_or_404(thread_id)
    if request.method == "GET":
        return render("live/mail_purge.html", thread=thread, ep=EP)
    mailbox.purge(current_user, thread)
    return go(url_for("live.mail_deleted"), forms.purged())
