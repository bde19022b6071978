"""Live: internal mail (L-14). The same mailbox TwinMail (T-14) uses: threads written here
have space=None; the inbox lists every thread I hold a copy of (so the header count matches).

Each person holds a copy (MailRecipient) of every message they received, and the sender a
copy of what they sent (already read), so a conversation shows in both inboxes; deleting
moves my copies to Deleted, purging removes them for good. A thread is readable only by
somebody who still holds a copy of one of its messages.
"""
from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import JOIN, Case, fn
from wtforms import SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from blueprints.live import bp
from blueprints.live.notifications import header_counts
from models import (Contact, ContactState, MailFolder, MailMessage, MailRecipient, MailThread,
                    Notification, PartnerState, ProjectPartner, Role, User, db, utcnow)
from services import notify, permissions
from services.paging import Page
from services.sanitize import linkify_text
from web import go, page_arg, render, require

BODY_MAX = 10000


class ComposeForm(FlaskForm):
    recipients = SelectMultipleField(_l("To"), validate_choice=False)
    subject = StringField(_l("Subject"), filters=[single_line], validators=[
        DataRequired(_l("Enter a subject")),
        Length(max=200, message=_l("Enter a subject of at most 200 characters"))])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=BODY_MAX, message=_l("Write a message of at most 10,000 characters"))])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.id): p for p in people}
        self.recipients.choices = [(str(p.id), p.name) for p in people]

    def validate_recipients(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one person to write to"))
        if not set(field.data) <= set(self.people):
            raise ValidationError(_l("Choose people from the list: your contacts and the "
                                     "partners of your projects"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Write your reply")),
        Length(max=BODY_MAX, message=_l("Write a reply of at most 10,000 characters"))])


def _can_receive(person):
    return (person is not None and not person.disabled
            and person.role in (Role.TEACHER, Role.NSS, Role.CSS))


def recipient_choices(user, to=None):
    """Whom `user` may write to: contacts, partners of shared projects, and `to` (the person
    whose profile they came from). Sorted by name; three queries at most."""
    people = {}
    contacts = (User.select()
                .join(Contact, on=((Contact.requester == User.id) | (Contact.addressee == User.id)))
                .where(((Contact.requester == user.id) | (Contact.addressee == user.id))
                       & (Contact.state == ContactState.ACCEPTED) & (User.id != user.id)))
    my_projects = (ProjectPartner.select(ProjectPartner.project)
                   .where(ProjectPartner.user == user.id,
                          ProjectPartner.state == PartnerState.ACCEPTED))
    partners = (User.select()
                .join(ProjectPartner, on=(ProjectPartner.user == User.id))
                .where(ProjectPartner.project.in_(my_projects),
                       ProjectPartner.state == PartnerState.ACCEPTED, User.id != user.id)
                .distinct())
    for query in (contacts, partners):
        for person in query:
            if _can_receive(person):
                people[person.id] = person
    if to and to not in people and to != user.id:
        person = User.get_or_none(User.id == to)
        # Only a teacher whose name this writer may see (no walking ids to learn names).
        if _can_receive(person) and permissions.can_see_teacher(user, person):
            people[person.id] = person
    return sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))


def _thread_list(user, folder):
    """My threads with a copy in `folder`, newest activity first, with unread counts."""
    last = fn.MAX(MailMessage.created_at)
    unread = fn.SUM(Case(None, [(MailRecipient.read_at.is_null(), 1)], 0))
    return (MailThread
            .select(MailThread, last.alias("last_at"), unread.alias("unread"),
                    fn.COUNT(MailRecipient.id).alias("total"))
            .join(MailMessage, on=(MailMessage.thread == MailThread.id))
            .join(MailRecipient, on=(MailRecipient.message == MailMessage.id))
            .where(MailRecipient.user == user.id, MailRecipient.folder == folder)
            .group_by(MailThread.id)
            .order_by(last.desc(), MailThread.id.desc()))


def _participants(thread_ids, me):
    """{thread id: [names of the other people in it]} in one query."""
    if not thread_ids:
        return {}
    rows = (MailRecipient
            .select(MailMessage.thread, User.id, User.name)
            .join(MailMessage, on=(MailRecipient.message == MailMessage.id))
            .switch(MailRecipient)
            .join(User, on=(MailRecipient.user == User.id))
            .where(MailMessage.thread.in_(thread_ids), MailRecipient.user != me.id)
            .distinct()
            .order_by(User.name)
            .tuples())
    found = {}
    for thread_id, _user_id, name in rows:
        found.setdefault(thread_id, []).append(name)
    return found


def _mailbox(folder):
    pagination = Page.of_query(_thread_list(current_user, folder), page_arg(), per_page=20)
    people = _participants([t.id for t in pagination.items], current_user)
    return render("live/mail_inbox.html", partials={"mail-list": "live/_mail_list.html"},
                  pagination=pagination, people=people, folder=folder,
                  counts=header_counts())


@bp.route("/mail")
@require(permissions.can_read_mail)
def mail_inbox():
    """My conversations, newest first, with what I have not read yet."""
    return _mailbox(MailFolder.INBOX)


@bp.route("/mail/deleted")
@require(permissions.can_read_mail)
def mail_deleted():
    return _mailbox(MailFolder.DELETED)


def _thread_or_404(thread_id):
    thread = MailThread.get_or_none(MailThread.id == thread_id)
    if thread is None or not permissions.can_read_thread(current_user, thread):
        abort(404)
    return thread


def _my_copies(thread):
    return (MailRecipient.select(MailRecipient.id)
            .join(MailMessage)
            .where(MailMessage.thread == thread, MailRecipient.user == current_user.id))


def _show_thread(thread, form=None, status=None):
    me = current_user
    messages = list(MailMessage
                    .select(MailMessage, MailRecipient, User)
                    .join(MailRecipient, on=((MailRecipient.message == MailMessage.id)
                                             & (MailRecipient.user == me.id)),
                          attr="copy")
                    .switch(MailMessage)
                    .join(User, JOIN.LEFT_OUTER, on=(MailMessage.sender == User.id),
                          attr="author")
                    .where(MailMessage.thread == thread)
                    .order_by(MailMessage.created_at, MailMessage.id))
    in_deleted = any(m.copy.folder == MailFolder.DELETED for m in messages)
    in_inbox = any(m.copy.folder == MailFolder.INBOX for m in messages)
    can_reply = permissions.can_write_mail(me)
    if form is None and can_reply:
        form = ReplyForm()
    return render("live/mail_thread.html", status=status, thread=thread, messages=messages,
                  people=_participants([thread.id], me).get(thread.id, []), form=form,
                  can_reply=can_reply, in_deleted=in_deleted, in_inbox=in_inbox,
                  linkify=linkify_text)


@bp.route("/mail/<int:thread_id>")
@require(permissions.can_read_mail)
def mail_thread(thread_id):
    """Read a conversation: my copies become read, and so does its notification."""
    thread = _thread_or_404(thread_id)
    now = utcnow()
    (MailRecipient.update(read_at=now)
     .where(MailRecipient.id.in_(_my_copies(thread)), MailRecipient.read_at.is_null())
     .execute())
    (Notification.update(read_at=now)
     .where(Notification.recipient == current_user.id, Notification.kind == "message",
            Notification.subject_key == f"thread:{thread.id}", Notification.read_at.is_null())
     .execute())
    return _show_thread(thread)


def _deliver(thread, sender, body, recipients):
    """Store a message with a copy for each recipient and a read one for the sender, and
    tell each recipient (grouped per thread)."""
    now = utcnow()
    with db.atomic():
        message = MailMessage.create(thread=thread, sender=sender.id, body=body,
                                     created_at=now)
        rows = [(message.id, person.id, MailFolder.INBOX, None) for person in recipients]
        rows.append((message.id, sender.id, MailFolder.INBOX, now))
        MailRecipient.insert_many(rows, fields=[MailRecipient.message, MailRecipient.user,
                                                MailRecipient.folder,
                                                MailRecipient.read_at]).execute()
    link = url_for("live.mail_thread", thread_id=thread.id)
    for person in recipients:
        notify.notify(current_app.config, person, "message", f"thread:{thread.id}",
                      lambda count: ngettext("%(num)d new message from %(name)s",
                                             "%(num)d new messages from %(name)s", count,
                                             name=sender.name),
                      link)
    return message


@bp.route("/mail/new", methods=["GET", "POST"])
@require(permissions.can_write_mail)
def mail_new():
    """Write to one or more of my contacts and project partners."""
    to = request.args.get("to", type=int)
    people = recipient_choices(current_user, to)
    form = ComposeForm(people=people)
    if request.method == "GET" and to and str(to) in form.people:
        form.recipients.data = [str(to)]
    if form.validate_on_submit():
        me = current_user._get_current_object()
        recipients = [form.people[pid] for pid in dict.fromkeys(form.recipients.data)]
        thread = MailThread.create(subject=form.subject.data)
        _deliver(thread, me, form.body.data, recipients)
        return go(url_for("live.mail_thread", thread_id=thread.id), _("Message sent."))
    return render("live/mail_new.html", form=form, to=to, no_people=not people)


def _others_in(thread, me):
    """Everybody still in the thread (holding a copy) and active, except me."""
    holders = (MailRecipient.select(MailRecipient.user).join(MailMessage)
               .where(MailMessage.thread == thread, MailRecipient.user != me.id))
    return list(User.select().where(User.id.in_(holders), User.disabled == False)  # noqa
                .order_by(User.id))


@bp.route("/mail/<int:thread_id>/reply", methods=["POST"])
@require(permissions.can_write_mail)
def mail_reply(thread_id):
    thread = _thread_or_404(thread_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _show_thread(thread, form=form)
    me = current_user._get_current_object()
    recipients = _others_in(thread, me)
    if not recipients:
        return go(url_for("live.mail_thread", thread_id=thread.id),
                  _("Nobody else is in this conversation any more. Write a new message "
                    "instead."), "error")
    _deliver(thread, me, form.body.data, recipients)
    return go(url_for("live.mail_thread", thread_id=thread.id) + "#latest", _("Reply sent."))


def _move(thread_id, folder):
    thread = _thread_or_404(thread_id)
    (MailRecipient.update(folder=folder)
     .where(MailRecipient.id.in_(_my_copies(thread))).execute())
    return thread


@bp.route("/mail/<int:thread_id>/delete", methods=["POST"])
@require(permissions.can_read_mail)
def mail_delete(thread_id):
    """Move my copies to Deleted (they can be restored)."""
    _move(thread_id, MailFolder.DELETED)
    return go(url_for("live.mail_inbox"), _("The conversation is in Deleted. You can restore "
                                            "it from there."))


@bp.route("/mail/<int:thread_id>/restore", methods=["POST"])
@require(permissions.can_read_mail)
def mail_restore(thread_id):
    thread = _move(thread_id, MailFolder.INBOX)
    return go(url_for("live.mail_thread", thread_id=thread.id),
              _("The conversation is back in your inbox."))


@bp.route("/mail/<int:thread_id>/purge", methods=["GET", "POST"])
@require(permissions.can_read_mail)
def mail_purge(thread_id):
    """Delete my copies for good (the others keep theirs). Asks to confirm first."""
    thread = _thread_or_404(thread_id)
    if request.method == "GET":
        return render("live/mail_purge.html", thread=thread)
    MailRecipient.delete().where(MailRecipient.id.in_(_my_copies(thread))).execute()
    return go(url_for("live.mail_deleted"), _("The conversation is deleted for good."))
