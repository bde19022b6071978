"""The one mailbox of Live mail (L-14) and of every space's mail (TwinMail, T-14).

Each person holds a copy (MailRecipient) of every message they received, and the sender a
copy of what they sent (already read), so a conversation shows in both inboxes; deleting
moves my copies to Deleted, purging removes them for good. A thread is readable only by
somebody who still holds a copy of one of its messages (permissions.can_read_thread), and an
attachment only by those who hold its message (permissions, through portal.file).

Threads written in a space have `space` set; they are the same threads in Live. Where a
thread links to is decided here for everybody: in its space (under the space's own parent,
through blueprints/spaces/parents.url_for_space) for the members of that space who cannot
write in Live, in Live otherwise.

Plain Python: the user, the settings and the uploaded files are arguments; forms, flash
messages, redirects and templates stay in the blueprints (blueprints/live/mail.py and
blueprints/spaces/mail.py), which both call this module and never each other.
"""
import os

from flask import url_for
from peewee import JOIN, Case, fn

from models import (Contact, ContactState, MailAttachment, MailFolder, MailMessage,
                    MailRecipient, MailThread, Membership, Notification, PartnerState,
                    ProjectPartner, Role, Space, StoredFile, User, db, utcnow)
from services import notify, permissions, storage
from services.paging import Page
from services.sanitize import text_or_html

PER_PAGE = 20


class ThreadClosed(Exception):
    """The thread was written in a space that is now closed: it takes no reply anywhere."""


class NobodyLeft(Exception):
    """Nobody the writer may reach is still in the conversation."""


class AttachmentRefused(Exception):
    """A file cannot be attached: `reason` is storage.UploadError's, `name` the file's name
    and `limit` the size limit in bytes. Nothing of the message was stored."""

    def __init__(self, reason, name, limit):
        super().__init__(reason)
        self.reason, self.name, self.limit = reason, name, limit


# --- Who may be written to --------------------------------------------------------------

def can_receive(person):
    """Somebody Live mail may be addressed to: an active teacher or staff member."""
    return (person is not None and not person.disabled
            and person.role in (Role.TEACHER, Role.NSS, Role.CSS))


def recipient_choices(user, to=None):
    """Whom `user` may write to from Live: contacts, partners of shared projects, and `to`
    (the person whose profile they came from). Sorted by name; three queries at most."""
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
            if can_receive(person):
                people[person.id] = person
    if to and to not in people and to != user.id:
        person = User.get_or_none(User.id == to)
        # Only a teacher whose name this writer may see (no walking ids to learn names).
        if can_receive(person) and permissions.can_see_teacher(user, person):
            people[person.id] = person
    return sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))


def space_recipients(space, user):
    """Whom `user` may write to from a space: its other active members, pupils and guests
    too. A query of Membership rows with their User; the caller orders it."""
    return (Membership.select(Membership, User).join(User)
            .where(Membership.space == space, User.id != user.id,
                   User.disabled == False))  # noqa: E712


def reply_recipients(thread, me):
    """Everybody still in the thread (holding a copy) and active, except me; for those who
    cannot write in Live (pupils, guests), only people who share a space with them."""
    holders = (MailRecipient.select(MailRecipient.user).join(MailMessage)
               .where(MailMessage.thread == thread, MailRecipient.user != me.id))
    people = list(User.select().where(User.id.in_(holders), User.disabled == False)  # noqa
                  .order_by(User.id))
    if not permissions.can_write_mail(me):
        mates = permissions.space_mate_ids(me, [p.id for p in people])
        people = [p for p in people if p.id in mates]
    return people


# --- Reading ------------------------------------------------------------------------------

def unread(user):
    """My unread copies in the inbox (a query: count() it)."""
    return MailRecipient.select(MailRecipient.id).where(
        MailRecipient.user == user.id, MailRecipient.folder == MailFolder.INBOX,
        MailRecipient.read_at.is_null())


def thread_list(user, folder):
    """My threads with a copy in `folder`, newest activity first, with unread counts."""
    last = fn.MAX(MailMessage.created_at)
    unread_copies = fn.SUM(Case(None, [(MailRecipient.read_at.is_null(), 1)], 0))
    return (MailThread
            .select(MailThread, last.alias("last_at"), unread_copies.alias("unread"),
                    fn.COUNT(MailRecipient.id).alias("total"))
            .join(MailMessage, on=(MailMessage.thread == MailThread.id))
            .join(MailRecipient, on=(MailRecipient.message == MailMessage.id))
            .where(MailRecipient.user == user.id, MailRecipient.folder == folder)
            .group_by(MailThread.id)
            .order_by(last.desc(), MailThread.id.desc()))


def participants(thread_ids, me):
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


def folder_page(user, folder, page, per_page=PER_PAGE):
    """One page of my threads in `folder` and {thread id: names of the others in it}."""
    threads = (MailRecipient.select(MailMessage.thread).join(MailMessage)
               .where(MailRecipient.user == user.id, MailRecipient.folder == folder)
               .distinct())  # counted without the list's sums and dates
    pagination = Page.of_query(thread_list(user, folder), page, per_page=per_page,
                               count_query=threads)
    return pagination, participants([t.id for t in pagination.items], user)


def readable_thread(user, thread_id):
    """The thread, if `user` still holds a copy of one of its messages; else None."""
    thread = MailThread.get_or_none(MailThread.id == thread_id)
    if thread is None or not permissions.can_read_thread(user, thread):
        return None
    return thread


def _my_copies(user, thread):
    return (MailRecipient.select(MailRecipient.id)
            .join(MailMessage)
            .where(MailMessage.thread == thread, MailRecipient.user == user.id))


def conversation(user, thread):
    """What a thread's page shows `user`: its messages in order (each with `copy`, my
    MailRecipient, and `author`), their attachments, the others' names, and whether I have
    copies in the inbox and in Deleted."""
    messages = list(MailMessage
                    .select(MailMessage, MailRecipient, User)
                    .join(MailRecipient, on=((MailRecipient.message == MailMessage.id)
                                             & (MailRecipient.user == user.id)),
                          attr="copy")
                    .switch(MailMessage)
                    .join(User, JOIN.LEFT_OUTER, on=(MailMessage.sender == User.id),
                          attr="author")
                    .where(MailMessage.thread == thread)
                    .order_by(MailMessage.created_at, MailMessage.id))
    return {"messages": messages, "attachments": attachments_of(messages),
            "people": participants([thread.id], user).get(thread.id, []),
            "in_deleted": any(m.copy.folder == MailFolder.DELETED for m in messages),
            "in_inbox": any(m.copy.folder == MailFolder.INBOX for m in messages)}


def attachments_of(messages):
    """{message id: [StoredFile, ...]} in one query."""
    found = {}
    if messages:
        for row in (MailAttachment.select(MailAttachment, StoredFile).join(StoredFile)
                    .where(MailAttachment.message.in_([m.id for m in messages]))
                    .order_by(MailAttachment.id)):
            found.setdefault(row.message_id, []).append(row.file)
    return found


def open_thread(user, thread):
    """Reading a conversation: my copies become read, and so does its notification."""
    now = utcnow()
    (MailRecipient.update(read_at=now)
     .where(MailRecipient.id.in_(_my_copies(user, thread)), MailRecipient.read_at.is_null())
     .execute())
    (Notification.update(read_at=now)
     .where(Notification.recipient == user.id, Notification.kind == "message",
            Notification.subject_key == f"thread:{thread.id}", Notification.read_at.is_null())
     .execute())


# --- Where a thread opens -----------------------------------------------------------------

def live_thread_url(thread_id):
    return url_for("live.mail_thread", thread_id=thread_id)


def space_thread_url(space, thread_id):
    """A thread in the mail of `space`, under the space's own parent."""
    from blueprints.spaces import parents
    return parents.url_for_space(space, "mail_thread", thread_id=thread_id)


def my_spaces(user):
    """{space id: Space} of the spaces `user` is a member of (one query)."""
    return {s.id: s for s in Space.select().join(Membership, on=(Membership.space == Space.id))
            .where(Membership.user == user.id)}


def my_space_of(user, thread):
    """The space the thread was written in, when `user` is a member of it; else None."""
    if thread.space_id is None:
        return None
    return (Space.select().join(Membership, on=(Membership.space == Space.id))
            .where(Space.id == thread.space_id, Membership.user == user.id).first())


def live_links(user):
    """thread -> where it opens from Live's lists for `user`: in Live, except for those who
    cannot write there (pupils, guests): a thread of one of their spaces opens in it."""
    if permissions.can_write_mail(user):
        return lambda thread: live_thread_url(thread.id)
    spaces = my_spaces(user)

    def link(thread):
        space = spaces.get(thread.space_id)
        return (space_thread_url(space, thread.id) if space is not None
                else live_thread_url(thread.id))
    return link


def notification_links(thread, recipients):
    """{user id: the link of the thread for them}: in the thread's space for its members."""
    live = live_thread_url(thread.id)
    links = {p.id: live for p in recipients}
    if thread.space_id:
        here = space_thread_url(thread.space, thread.id)
        for (uid,) in (Membership.select(Membership.user)
                       .where(Membership.space == thread.space_id,
                              Membership.user.in_(list(links))).tuples()):
            links[uid] = here
    return links


# --- Writing ------------------------------------------------------------------------------

def _file_name(upload):
    name = os.path.basename((getattr(upload, "filename", "") or "").replace("\\", "/"))
    return (name or "file")[:255]


def store_attachments(uploads, config, owner):
    """Store the uploaded files of a message (each checked by storage.save_attachment);
    on the first refused one, remove those already stored and raise AttachmentRefused."""
    limit = storage.max_upload_bytes(config)
    stored = []
    for upload in uploads:
        try:
            stored.append(storage.save_attachment(upload, config["UPLOAD_DIR"], limit,
                                                  owner=owner.id))
        except storage.UploadError as error:
            storage.discard(stored, config["UPLOAD_DIR"])  # the files stored before it
            raise AttachmentRefused(error.reason, _file_name(upload), limit) from error
    return stored


def deliver(thread, sender, body, recipients, config, files=()):
    """Store a message (with its stored files) with a copy for each recipient and a read one
    for the sender, and tell each recipient (grouped per thread). `body` is rich text: what
    the editor wrote, or plain text; it is stored cleaned (services/sanitize.text_or_html),
    so a body that is already clean HTML is stored as it is."""
    now = utcnow()
    with db.atomic():
        message = MailMessage.create(thread=thread, sender=sender.id,
                                     body=text_or_html(body), created_at=now)
        rows = [(message.id, person.id, MailFolder.INBOX, None) for person in recipients]
        rows.append((message.id, sender.id, MailFolder.INBOX, now))
        MailRecipient.insert_many(rows, fields=[MailRecipient.message, MailRecipient.user,
                                                MailRecipient.folder,
                                                MailRecipient.read_at]).execute()
        if files:
            MailAttachment.insert_many([(message.id, f.id) for f in files],
                                       fields=[MailAttachment.message,
                                               MailAttachment.file]).execute()
    links = notification_links(thread, recipients)
    for person in recipients:
        notify.notify(config, person, "message", f"thread:{thread.id}",
                      "message", links[person.id], name=sender.name)
    return message


def compose(sender, subject, body, recipients, config, uploads=(), space=None):
    """A new thread (written in `space`, if any) to `recipients`, with the uploaded files.
    Raises AttachmentRefused (nothing stored) when a file is refused."""
    files = store_attachments(uploads, config, sender)
    recipients = list({p.id: p for p in recipients}.values())
    with db.atomic():
        thread = MailThread.create(subject=subject, space=space)
        deliver(thread, sender, body, recipients, config, files)
    return thread


def reply(thread, sender, body, config, uploads=()):
    """A reply to everybody still in the thread whom `sender` may write to. Raises
    ThreadClosed (a closed space's thread), NobodyLeft or AttachmentRefused, nothing stored."""
    if not permissions.can_reply_in_thread(sender, thread):
        raise ThreadClosed()
    recipients = reply_recipients(thread, sender)
    if not recipients:
        raise NobodyLeft()
    files = store_attachments(uploads, config, sender)
    return deliver(thread, sender, body, recipients, config, files)


def move(user, thread, folder):
    """Move my copies of the thread to `folder` (Deleted, or back to the inbox)."""
    (MailRecipient.update(folder=folder)
     .where(MailRecipient.id.in_(_my_copies(user, thread))).execute())


def purge(user, thread):
    """Delete my copies for good (the others keep theirs)."""
    MailRecipient.delete().where(MailRecipient.id.in_(_my_copies(user, thread))).execute()
