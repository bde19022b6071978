"""Download my data (issue 13, 7a): everything the platform holds about one person, as a zip.

`profile.json` (the account, its profile and the person's links to others), `messages.json`
(their own copies of mail, and what they sent), `posts.json` (what they wrote anywhere: every
row whose author, creator or user they are) and `files/` (the files they uploaded). Other
people appear only by name where they are the other side of something of theirs (a contact,
the sender of a message they received); nobody else's profile, upload or mail copy is read.
Rich texts (mail, forum posts, profile texts, diary, pages) are given as stored, cleaned HTML;
mail, forum posts and the profile texts also as plain text ("text", "offer_text",
"space_about_text"). The zip is written into a temporary file (never whole in memory);
the caller sends and closes it (a closed TemporaryFile is deleted).
"""
import datetime
import json
import os
import tempfile
import zipfile

from models import (CertificateRequest, ChatMessage, Consent, Contact, DiaryPost, Discussion,
                    Event, EventRegistration, Folder, Follow, Forum, GroupInvitation,
                    GroupNote, GuestbookEntry, LearningEventRegistration, MailAttachment,
                    MailMessage, MailRecipient, MailThread, Material, Membership, News,
                    Notification, NotificationPreference, Page, PageRevision, Poll, PollVote,
                    Post, Project, ProjectCardMessage, ProjectPartner, QualityLabelRequest,
                    Report, Space, StoredFile, User, BulletinPost, Group, MaterialPerson)
from services import storage
from services.export import file_name
from services.sanitize import plain_text


def _when(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def _row(obj, *names):
    return {name: _when(getattr(obj, name)) for name in names}


def _name(user_id):
    if user_id is None:
        return None
    user = User.get_or_none(User.id == user_id)
    return str(user.name) if user else None


def _space(space_id):
    space = Space.get_or_none(Space.id == space_id) if space_id else None
    return {"id": space.id, "title": space.title, "kind": space.kind} if space else None


def profile(user):
    school = user.school
    data = _row(user, "id", "role", "email", "username", "country", "language",
                "created_at", "last_login_at", "email_confirmed_at", "validation",
                "validated_at", "listed_publicly", "space_about", "offer",
                "community_role")
    data["name"] = str(user.name)
    # The profile texts are rich text (stored HTML, kept as it is); their words without tags.
    data["space_about_text"] = plain_text(user.space_about)
    data["offer_text"] = plain_text(user.offer)
    data["profile_visibility"] = user.visibility
    data["school"] = ({"name": school.name, "city": school.city, "country": school.country}
                      if school else None)
    data["photo"] = user.photo.original_name if user.photo else None
    data["subjects"] = user.subject_codes
    data["languages"] = user.language_codes
    data["age_ranges"] = user.age_range_codes
    contacts = Contact.select().where((Contact.requester == user.id)
                                      | (Contact.addressee == user.id)).order_by(Contact.id)
    data["contacts"] = [{
        "with": _name(c.addressee_id if c.requester_id == user.id else c.requester_id),
        "asked_by_me": c.requester_id == user.id, "state": c.state,
        "created_at": _when(c.created_at), "responded_at": _when(c.responded_at)}
        for c in contacts]
    data["following"] = [{"name": _name(f.followed_id), "since": _when(f.created_at)}
                         for f in Follow.select().where(Follow.follower == user.id)]
    data["followers_count"] = Follow.select().where(Follow.followed == user.id).count()
    data["notification_preferences"] = {
        p.kind: p.mode for p in NotificationPreference.select()
        .where(NotificationPreference.user == user.id)}
    data["notifications"] = [
        _row(n, "kind", "subject_key", "message", "params", "text", "link", "count",
             "created_at", "updated_at", "read_at")
        for n in Notification.select().where(Notification.recipient == user.id)
        .order_by(Notification.id)]
    data["spaces"] = [{"space": _space(m.space_id), "role": m.role,
                       "since": _when(m.created_at)}
                      for m in Membership.select().where(Membership.user == user.id)]
    data["projects"] = [{"project": p.project.title, "state": p.state,
                         "since": _when(p.created_at)}
                        for p in ProjectPartner.select().where(ProjectPartner.user == user.id)]
    data["event_registrations"] = [
        {"event": r.event.title, "at": _when(r.created_at)}
        for r in EventRegistration.select().where(EventRegistration.user == user.id)]
    data["learning_event_registrations"] = [
        {"event": r.event.title, "at": _when(r.created_at)}
        for r in LearningEventRegistration.select()
        .where(LearningEventRegistration.user == user.id)]
    data["group_invitations"] = [
        {"group": _space(i.group.space_id), "kind": i.kind, "state": i.state,
         "message": i.message, "at": _when(i.created_at)}
        for i in GroupInvitation.select().where(GroupInvitation.user == user.id)]
    data["consents"] = [
        dict(_row(c, "photo", "video", "voice", "real_name", "scope", "until", "note",
                  "updated_at"), space=_space(c.space_id))
        for c in Consent.select().where(Consent.student == user.id)]
    data["shown_in_materials"] = [
        {"material": p.material.title, "space": _space(p.material.space_id)}
        for p in MaterialPerson.select().where(MaterialPerson.user == user.id)]
    return data


def messages(user):
    """Mail threads with the messages of which the person has a copy or is the sender."""
    mine = {r.message_id: r for r in MailRecipient.select()
            .where(MailRecipient.user == user.id)}
    sent = {m.id for m in MailMessage.select(MailMessage.id)
            .where(MailMessage.sender == user.id)}
    ids = sorted(set(mine) | sent)
    threads = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for message in (MailMessage.select(MailMessage, MailThread).join(MailThread)
                        .where(MailMessage.id.in_(chunk)).order_by(MailMessage.id)):
            thread = threads.setdefault(message.thread_id, {
                "subject": message.thread.subject, "space": _space(message.thread.space_id),
                "messages": []})
            copy = mine.get(message.id)
            thread["messages"].append({
                "from": _name(message.sender_id), "sent_by_me": message.sender_id == user.id,
                "body": message.body, "text": plain_text(message.body),
                "sent_at": _when(message.created_at),
                "folder": copy.folder if copy else None,
                "read_at": _when(copy.read_at) if copy else None,
                "attachments": [a.file.original_name for a in MailAttachment.select()
                                .where(MailAttachment.message == message.id)]})
    return [dict(thread, id=tid) for tid, thread in sorted(threads.items())]


def _written(user, model, field, *names, space=True):
    """Every row of `model` whose `field` is the person, with the columns `names`."""
    rows = []
    for obj in model.select().where(field == user.id).order_by(model.id):
        row = _row(obj, "id", *names)
        if space and hasattr(obj, "space_id"):
            row["space"] = _space(obj.space_id)
        rows.append(row)
    return rows


def posts(user):
    """What the person wrote or made, by kind."""
    def mine(*args, **kwargs):
        return _written(user, *args, **kwargs)
    return {
        "forum_discussions": [dict(_row(d, "id", "title", "created_at"),
                                   forum=d.forum.title)
                              for d in Discussion.select().where(Discussion.author == user.id)],
        "forum_posts": [dict(_row(p, "id", "body", "is_html", "created_at", "edited_at"),
                             text=plain_text(p.body) if p.is_html else p.body,
                             discussion=p.discussion.title)
                        for p in Post.select().where(Post.author == user.id)],
        "forums_created": mine(Forum, Forum.created_by, "title", "description",
                                   "created_at"),
        "diary_posts": mine(DiaryPost, DiaryPost.author, "title", "body", "is_public",
                                "published_at"),
        "bulletin_posts": mine(BulletinPost, BulletinPost.author, "body", "created_at"),
        "pages_created": mine(Page, Page.created_by, "title", "created_at"),
        "page_revisions": [dict(_row(r, "id", "version", "title", "body", "created_at"),
                                page_id=r.page_id)
                           for r in PageRevision.select().where(PageRevision.author == user.id)],
        "chat_messages": mine(ChatMessage, ChatMessage.author, "body", "created_at"),
        "polls": mine(Poll, Poll.author, "question", "created_at"),
        "poll_votes": [{"poll": v.poll.question, "option": v.option.text,
                        "at": _when(v.created_at)}
                       for v in PollVote.select().where(PollVote.user == user.id)],
        "guestbook_entries": mine(GuestbookEntry, GuestbookEntry.author, "body",
                                      "created_at"),
        "folders": mine(Folder, Folder.created_by, "kind", "title", "description",
                            "created_at"),
        "materials": [dict(_row(m, "id", "kind", "title", "description", "alt_text",
                                "embed_provider", "embed_id", "is_public", "created_at"),
                           space=_space(m.space_id),
                           file=m.file.original_name if m.file_id else None)
                      for m in Material.select().where(Material.created_by == user.id)],
        "news": mine(News, News.author, "country", "kind", "title", "body",
                         "published_at", space=False),
        "events": mine(Event, Event.creator, "kind", "title", "description", "starts_at",
                           "ends_at", "place", "link", "created_at"),
        "project_card_messages": [dict(_row(m, "id", "body", "created_at"),
                                       project=m.project.title)
                                  for m in ProjectCardMessage.select()
                                  .where(ProjectCardMessage.author == user.id)],
        "projects_founded": mine(Project, Project.founder, "title", "description",
                                     "state", "created_at", space=False),
        "quality_label_requests": [dict(_row(r, "id", "report", "state", "created_at"),
                                        project=r.project.title)
                                   for r in QualityLabelRequest.select()
                                   .where(QualityLabelRequest.requester == user.id)],
        "certificate_requests": [dict(_row(r, "id", "state", "code", "created_at"),
                                      project=r.project.title)
                                 for r in CertificateRequest.select()
                                 .where(CertificateRequest.teacher == user.id)],
        "groups_created": [dict(_row(g, "id", "state", "objectives", "topics", "welcome",
                                     "created_at"), space=_space(g.space_id))
                           for g in Group.select().where(Group.creator == user.id)],
        "group_notes": mine(GroupNote, GroupNote.author, "action", "text", "created_at",
                                space=False),
        "reports_made": mine(Report, Report.reporter, "kind", "reason", "state",
                                 "created_at"),
    }


def uploads(user, upload_dir):
    """(name in the zip, path on disk, metadata) of each file the person uploaded."""
    for stored in StoredFile.select().where(StoredFile.owner == user.id).order_by(StoredFile.id):
        path = storage.stored_path(upload_dir, stored)
        yield file_name(stored), path, _row(stored, "id", "original_name", "content_type",
                                             "size", "created_at")


def build_zip(user, upload_dir):
    """Write the person's data as a zip into a temporary file; return it, positioned at 0."""
    out = tempfile.TemporaryFile(prefix="opentwin-mydata-")
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            def dump(name, data):
                zf.writestr(name, json.dumps(data, ensure_ascii=False, indent=2, default=str))
            dump("profile.json", profile(user))
            dump("messages.json", messages(user))
            dump("posts.json", posts(user))
            listing = []
            for name, path, meta in uploads(user, upload_dir):
                present = bool(path and os.path.exists(path))
                if present:
                    compress = not meta["content_type"].startswith(("image/", "video/"))
                    zf.write(path, name, compress_type=(zipfile.ZIP_DEFLATED if compress
                                                        else zipfile.ZIP_STORED))
                listing.append(dict(meta, in_archive=name if present else None))
            dump("files.json", listing)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
