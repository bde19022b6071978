"""Live: internal mail (L-14). The same mailbox TwinMail (T-14) uses: threads written here
have space=None; the inbox lists every thread I hold a copy of (so the header count matches).

Each person holds a copy (MailRecipient) of every message they received, and the sender a
copy of what they sent (already read), so a conversation shows in both inboxes; deleting
moves my copies to Deleted, purging removes them for good. A thread is readable only by
somebody who still holds a copy of one of its messages.

The functions without a route here (mailbox, open_thread, show_thread, compose, reply,
move, purge, ...) are also what TwinMail (blueprints/spaces/mail.py) runs: each takes the
endpoints (`ep`) and templates of the place it is shown in.
"""
from flask import abort, current_app, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, Case, fn

from blueprints.live import bp
from blueprints.live.mail_forms import (BODY_MAX, ComposeForm, ReplyForm,  # noqa: F401
                                        attachments_of, save_attachments)
from blueprints.live.notifications import header_counts
from models import (Contact, ContactState, MailAttachment, MailFolder, MailMessage,
                    MailRecipient, MailThread, Membership, Notification, PartnerState,
                    ProjectPartner, Role, User, db, utcnow)
from services import notify, permissions
from services.paging import Page
from services.sanitize import linkify_text
from web import go, page_arg, render, require

# Where each mail action lives in Live; TwinMail has its own (relative to its space).
LIVE = {"inbox": "live.mail_inbox", "deleted": "live.mail_deleted", "new": "live.mail_new",
        "thread": "live.mail_thread", "reply": "live.mail_reply", "delete": "live.mail_delete",
        "restore": "live.mail_restore", "purge": "live.mail_purge"}
SPACE_THREAD = "twinspace.spaces.mail_thread"


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


def _my_space_ids(user):
    return {sid for (sid,) in Membership.select(Membership.space)
            .where(Membership.user == user.id).tuples()}


def _live_thread_url(user):
    """Where a thread links to from Live: here, except for those who cannot write in Live
    (pupils, guests): a thread of one of their spaces opens there, where they can reply."""
    if permissions.can_write_mail(user):
        return lambda t: url_for("live.mail_thread", thread_id=t.id)
    mine = _my_space_ids(user)

    def link(t):
        if t.space_id and t.space_id in mine:
            return url_for(SPACE_THREAD, space_id=t.space_id, thread_id=t.id)
        return url_for("live.mail_thread", thread_id=t.id)
    return link


def mailbox(folder, template="live/mail_inbox.html", ep=LIVE, thread_url=None, **context):
    pagination = Page.of_query(_thread_list(current_user, folder), page_arg(), per_page=20)
    people = _participants([t.id for t in pagination.items], current_user)
    return render(template, partials={"mail-list": "live/_mail_list.html"},
                  pagination=pagination, people=people, folder=folder, ep=ep,
                  counts=header_counts(), thread_url=thread_url or _live_thread_url(current_user),
                  **context)


@bp.route("/mail")
@require(permissions.can_read_mail)
def mail_inbox():
    """My conversations, newest first, with what I have not read yet."""
    return mailbox(MailFolder.INBOX, can_write=permissions.can_write_mail(current_user))


@bp.route("/mail/deleted")
@require(permissions.can_read_mail)
def mail_deleted():
    return mailbox(MailFolder.DELETED, can_write=permissions.can_write_mail(current_user))


def thread_or_404(thread_id):
    thread = MailThread.get_or_none(MailThread.id == thread_id)
    if thread is None or not permissions.can_read_thread(current_user, thread):
        abort(404)
    return thread


_thread_or_404 = thread_or_404


def _my_copies(thread):
    return (MailRecipient.select(MailRecipient.id)
            .join(MailMessage)
            .where(MailMessage.thread == thread, MailRecipient.user == current_user.id))


def show_thread(thread, form=None, template="live/mail_thread.html", ep=LIVE, can_reply=None,
                **context):
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
    if can_reply is None:
        can_reply = permissions.can_write_mail(me)
    can_reply = can_reply and permissions.can_reply_in_thread(me, thread)
    if form is None and can_reply:
        form = ReplyForm()
    return render(template, thread=thread, messages=messages,
                  attachments=attachments_of(messages),
                  people=_participants([thread.id], me).get(thread.id, []), form=form,
                  can_reply=can_reply, in_deleted=in_deleted, in_inbox=in_inbox,
                  can_write=can_reply, linkify=linkify_text, ep=ep, **context)


def open_thread(thread):
    """Reading a conversation: my copies become read, and so does its notification."""
    now = utcnow()
    (MailRecipient.update(read_at=now)
     .where(MailRecipient.id.in_(_my_copies(thread)), MailRecipient.read_at.is_null())
     .execute())
    (Notification.update(read_at=now)
     .where(Notification.recipient == current_user.id, Notification.kind == "message",
            Notification.subject_key == f"thread:{thread.id}", Notification.read_at.is_null())
     .execute())
    counts = header_counts()
    if counts is not None:
        counts.forget()


@bp.route("/mail/<int:thread_id>")
@require(permissions.can_read_mail)
def mail_thread(thread_id):
    """Read a conversation: my copies become read, and so does its notification."""
    thread = thread_or_404(thread_id)
    open_thread(thread)
    space_link = None
    if (not permissions.can_write_mail(current_user) and thread.space_id
            and thread.space_id in _my_space_ids(current_user)):
        space_link = url_for(SPACE_THREAD, space_id=thread.space_id, thread_id=thread.id)
    return show_thread(thread, space_link=space_link)


def _links(thread, recipients):
    """{user id: the link of the thread for them}: in the thread's space for its members."""
    live = url_for("live.mail_thread", thread_id=thread.id)
    links = {p.id: live for p in recipients}
    if thread.space_id:
        here = url_for(SPACE_THREAD, space_id=thread.space_id, thread_id=thread.id)
        for (uid,) in (Membership.select(Membership.user)
                       .where(Membership.space == thread.space_id,
                              Membership.user.in_(list(links))).tuples()):
            links[uid] = here
    return links


def deliver(thread, sender, body, recipients, files=()):
    """Store a message (with its attachments) with a copy for each recipient and a read one
    for the sender, and tell each recipient (grouped per thread)."""
    now = utcnow()
    with db.atomic():
        message = MailMessage.create(thread=thread, sender=sender.id, body=body,
                                     created_at=now)
        rows = [(message.id, person.id, MailFolder.INBOX, None) for person in recipients]
        rows.append((message.id, sender.id, MailFolder.INBOX, now))
        MailRecipient.insert_many(rows, fields=[MailRecipient.message, MailRecipient.user,
                                                MailRecipient.folder,
                                                MailRecipient.read_at]).execute()
        if files:
            MailAttachment.insert_many([(message.id, f.id) for f in files],
                                       fields=[MailAttachment.message,
                                               MailAttachment.file]).execute()
    links = _links(thread, recipients)
    for person in recipients:
        notify.notify(current_app.config, person, "message", f"thread:{thread.id}",
                      "message", links[person.id], name=sender.name)
    return message


_deliver = deliver  # the name blueprints/spaces/members.py imports


def compose(form, space=None):
    """Send a validated ComposeForm as a new thread (of `space`, if written there); None when
    an attachment is refused (the form then carries the message)."""
    files = save_attachments(form)
    if files is None:
        return None
    me = current_user._get_current_object()
    recipients = [form.people[pid] for pid in dict.fromkeys(form.recipients.data)]
    with db.atomic():
        thread = MailThread.create(subject=form.subject.data, space=space)
        deliver(thread, me, form.body.data, recipients, files)
    return thread


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
        thread = compose(form)
        if thread is not None:
            return go(url_for("live.mail_thread", thread_id=thread.id), _("Message sent."))
    return render("live/mail_new.html", form=form, to=to, no_people=not people, ep=LIVE,
                  can_write=True, action=url_for("live.mail_new", to=to) if to
                  else url_for("live.mail_new"))


def _others_in(thread, me):
    """Everybody still in the thread (holding a copy) and active, except me."""
    holders = (MailRecipient.select(MailRecipient.user).join(MailMessage)
               .where(MailMessage.thread == thread, MailRecipient.user != me.id))
    return list(User.select().where(User.id.in_(holders), User.disabled == False)  # noqa
                .order_by(User.id))


def reply(thread, show, ep=LIVE):
    """Post a reply to everybody still in the thread whom I may write to (pupils and guests:
    only people who share a space with them). `show(form)` renders the thread again."""
    me = current_user._get_current_object()
    if not permissions.can_reply_in_thread(me, thread):
        from blueprints.errors import error_page
        abort(make_response(error_page(
            403, _("This space is closed"),
            _("This conversation belongs to a closed space: it is read-only."))))
    form = ReplyForm()
    if not form.validate_on_submit():
        return show(form)
    recipients = _others_in(thread, me)
    if not permissions.can_write_mail(me):
        mates = permissions.space_mate_ids(me, [p.id for p in recipients])
        recipients = [p for p in recipients if p.id in mates]
    here = url_for(ep["thread"], thread_id=thread.id)
    if not recipients:
        return go(here, _("Nobody else is in this conversation any more. Write a new message "
                          "instead."), "error")
    files = save_attachments(form)
    if files is None:
        return show(form)
    deliver(thread, me, form.body.data, recipients, files)
    return go(here + "#latest", _("Reply sent."))


@bp.route("/mail/<int:thread_id>/reply", methods=["POST"])
@require(permissions.can_write_mail)
def mail_reply(thread_id):
    thread = thread_or_404(thread_id)
    return reply(thread, lambda form: show_thread(thread, form=form))


def move(thread_id, folder):
    thread = thread_or_404(thread_id)
    (MailRecipient.update(folder=folder)
     .where(MailRecipient.id.in_(_my_copies(thread))).execute())
    return thread


_move = move


def deleted_message():
    return _("The conversation is in Deleted. You can restore it from there.")


def restored_message():
    return _("The conversation is back in your inbox.")


@bp.route("/mail/<int:thread_id>/delete", methods=["POST"])
@require(permissions.can_read_mail)
def mail_delete(thread_id):
    """Move my copies to Deleted (they can be restored)."""
    move(thread_id, MailFolder.DELETED)
    return go(url_for("live.mail_inbox"), deleted_message())


@bp.route("/mail/<int:thread_id>/restore", methods=["POST"])
@require(permissions.can_read_mail)
def mail_restore(thread_id):
    thread = move(thread_id, MailFolder.INBOX)
    return go(url_for("live.mail_thread", thread_id=thread.id), restored_message())


def purge(thread_id, template="live/mail_purge.html", ep=LIVE):
    """Delete my copies for good (the others keep theirs). Asks to confirm first."""
    thread = thread_or_404(thread_id)
    if request.method == "GET":
        return render(template, thread=thread, ep=ep)
    MailRecipient.delete().where(MailRecipient.id.in_(_my_copies(thread))).execute()
    return go(url_for(ep["deleted"]), _("The conversation is deleted for good."))


@bp.route("/mail/<int:thread_id>/purge", methods=["GET", "POST"])
@require(permissions.can_read_mail)
def mail_purge(thread_id):
    return purge(thread_id)
