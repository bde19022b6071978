"""Deleting a project with its TwinSpace (issue 13, 7a).

Everything in the space goes (pages and their history, diary, bulletin, materials, consent,
guestbooks, mail of the space, forums, chat, polls, events of the space, reports), with the
project's own rows (partners, card, label and certificate requests). The database's ON DELETE
CASCADE rules remove those rows with the project. The pupils and guests who exist only for
this space (accounts made by its teachers, in no other space) are deleted with all their
data; a pupil who is also in another space only leaves this one. Teachers' accounts stay.

Rows go in one transaction; the files that only this space (or its deleted pupils) used are
removed from disk after it commits.
"""
from models import (BulletinPost, DiaryPost, Discussion, Forum, GuestbookEntry, Kit,
                    MailAttachment, MailMessage, MailThread, Material, Membership, News, Page,
                    PageRevision, Post, Publication, PublicationFile, Role, Space, SpaceRole,
                    StoredFile, User, db)
from services import audit, search_index
from services.account_deletion import remove_unused_files

TEMPORARY_ROLES = (SpaceRole.STUDENT, SpaceRole.VISITOR)


def pupils_only_here(space):
    """Ids of the pupils and guests of `space` who are members of no other space."""
    if space is None:
        return []
    candidates = [uid for (uid,) in Membership.select(Membership.user)
                  .join(User, on=(Membership.user == User.id))
                  .where(Membership.space == space.id, Membership.role.in_(TEMPORARY_ROLES),
                         User.role.in_((Role.STUDENT, Role.VISITOR))).tuples()]
    elsewhere = {uid for (uid,) in Membership.select(Membership.user)
                 .where(Membership.user.in_(candidates or [0]),
                        Membership.space != space.id).tuples()}
    return sorted(set(candidates) - elsewhere)


def _space_file_ids(space, pupil_ids):
    ids = {fid for (fid,) in Material.select(Material.file)
           .where(Material.space == space.id, Material.file.is_null(False)).tuples()}
    ids |= {fid for (fid,) in MailAttachment.select(MailAttachment.file)
            .join(MailMessage).join(MailThread)
            .where(MailThread.space == space.id).tuples()}
    if space.logo_id:
        ids.add(space.logo_id)
    if pupil_ids:
        ids |= {pid for (pid,) in User.select(User.photo_id)
                .where(User.id.in_(pupil_ids), User.photo_id.is_null(False)).tuples()}
        ids |= {fid for (fid,) in StoredFile.select(StoredFile.id)
                .where(StoredFile.owner.in_(pupil_ids)).tuples()}
    return ids


def _used_elsewhere(file_id, space, pupil_ids):
    """Whether something outside the space (or another person) still uses the stored file."""
    other_spaces = Space.id != space.id
    link = f"%/files/{file_id}%"
    checks = (
        Material.select().where(Material.file == file_id, Material.space != space.id),
        MailAttachment.select().join(MailMessage).join(MailThread)
        .where(MailAttachment.file == file_id,
               MailThread.space.is_null() | (MailThread.space != space.id)),
        Space.select().where(Space.logo_id == file_id, other_spaces),
        User.select().where(User.photo_id == file_id, User.id.not_in(pupil_ids or [0])),
        Publication.select().where(Publication.cover == file_id),
        PublicationFile.select().where(PublicationFile.file == file_id),
        Kit.select().where(Kit.material == file_id),
        # Writing elsewhere may show the file by its address (a /files/12 also matches
        # /files/123: a file is then kept, never wrongly removed): pages and their history,
        # diary, bulletin and guestbook of other spaces, forum posts there or in Live, news,
        # mail and profile texts.
        Page.select().where(Page.space != space.id, Page.body ** link),
        PageRevision.select().join(Page).where(Page.space != space.id,
                                               PageRevision.body ** link),
        DiaryPost.select().where(DiaryPost.space != space.id, DiaryPost.body ** link),
        BulletinPost.select().where(BulletinPost.space != space.id, BulletinPost.body ** link),
        GuestbookEntry.select().where(GuestbookEntry.space != space.id,
                                      GuestbookEntry.body ** link),
        Post.select().join(Discussion).join(Forum).where(
            Forum.space.is_null() | (Forum.space != space.id), Post.body ** link),
        News.select().where(News.body ** link),
        # Rich text since issue 14: mail outside this space, and profile texts.
        MailMessage.select().join(MailThread).where(
            MailThread.space.is_null() | (MailThread.space != space.id),
            MailMessage.body ** link),
        User.select().where((User.offer ** link) | (User.space_about ** link),
                            User.id.not_in(pupil_ids or [0])),
    )
    return any(query.exists() for query in checks)


def _disk_names(stored):
    widths = [w for w in stored.widths.split(",") if w]
    return [f"{stored.path}-{w}.webp" for w in widths] if widths else [stored.path]


def delete_project(project, upload_dir, actor=None):
    """Delete `project`, its space, its pupils' accounts and the files only they used, as
    `actor` (written to the audit log). Returns a summary: {"pupils": n, "files": n}."""
    space = project.space
    with db.atomic():
        pupil_ids = pupils_only_here(space) if space is not None else []
        files = []
        if space is not None:
            for file_id in sorted(_space_file_ids(space, pupil_ids)):
                if not _used_elsewhere(file_id, space, pupil_ids):
                    stored = StoredFile.get_or_none(StoredFile.id == file_id)
                    if stored is not None:
                        files.append(stored)
        if space is not None:
            space.delete_instance()  # ON DELETE CASCADE: everything in the space
        project.delete_instance()    # and the project's own rows
        if pupil_ids:
            audit.forget_users(pupil_ids)
            User.delete().where(User.id.in_(pupil_ids)).execute()
        names = [name for stored in files for name in _disk_names(stored)]
        if files:
            StoredFile.delete().where(StoredFile.id.in_([s.id for s in files])).execute()
        search_index.remove_project(project.id)
        audit.record(actor, "project.delete", ("project", project.id, project.title),
                     detail=f"{len(pupil_ids)} pupil accounts, {len(files)} files")
    remove_unused_files(upload_dir, names)
    return {"pupils": len(pupil_ids), "files": len(files)}
