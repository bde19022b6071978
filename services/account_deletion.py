"""Deleting one's own account (issue 13, 7a).

The user row stays as a tombstone, so that what they wrote in shared spaces (pages, posts,
diary, materials, mail they sent) keeps its author: the name is emptied and reads as
"Former member" (models.NameField), e-mail and username are freed (the address can register
again), the password can no longer match, the profile is cleared and the photo removed.
What only concerned them goes: subjects, languages, age ranges, contacts, follows,
notifications and their preferences, their copies of mail, their memberships and project
partnerships, event registrations, invitations, poll votes, mail the platform sent them.
The session token changes and the account is disabled, so every session ends at once.

Spaces keep running: a founder's projects pass to their earliest partner teacher, who runs
the project's space from then on. Deleting is refused while the person is the last teacher
of a space (nobody would be left to run it and to look after its pupils): they hand it over
first (invite a partner teacher, make another member a moderator) or delete the project.
"""
import os
import secrets

from models import (Contact, EventRegistration, Follow, GroupInvitation,
                    LearningEventRegistration, MailRecipient, MaterialPerson, Membership,
                    Notification, NotificationPreference, OutboxMail, PartnerState, PollVote,
                    Project, ProjectPartner, Space, SpaceRole, StoredFile, User,
                    UserAgeRange, UserLanguage, UserSubject, db, utcnow)
from services import audit, search_index


def last_teacher_of(user):
    """The spaces whose last teacher `user` is: [(space, project or None)]. A project whose
    founder leaves passes to a partner, so only projects without one count."""
    found = []
    mine = (Membership.select(Membership, Space).join(Space)
            .where(Membership.user == user.id, Membership.role.in_(SpaceRole.TEACHERS)))
    for membership in mine:
        others = (Membership.select()
                  .where(Membership.space == membership.space_id, Membership.user != user.id,
                         Membership.role.in_(SpaceRole.TEACHERS)).exists())
        project = membership.space.project if membership.space.project_id else None
        if project is not None and _successor(project, user) is not None:
            continue
        if not others:
            found.append((membership.space, project))
    seen = {space.project_id for space, _project in found if space.project_id}
    for project in Project.select().where(Project.founder == user.id):
        if project.id not in seen and _successor(project, user) is None:
            found.append((project.space, project))
    return found


def _successor(project, user):
    """The partner teacher who takes over a project from its departing founder."""
    return (ProjectPartner.select().join(User, on=(ProjectPartner.user == User.id))
            .where(ProjectPartner.project == project.id, ProjectPartner.user != user.id,
                   ProjectPartner.state == PartnerState.ACCEPTED,
                   User.disabled == False)  # noqa: E712 - someone who can still run it
            .order_by(ProjectPartner.created_at, ProjectPartner.id).first())


def _hand_over(user):
    projects = []
    for project in Project.select().where(Project.founder == user.id):
        partner = _successor(project, user)
        if partner is None:
            continue  # last_teacher_of refused this; a caller that skipped it keeps the row
        project.founder = partner.user_id
        project.save(only=[Project.founder])
        space = project.space
        if space is not None:
            Membership.get_or_create(space=space.id, user=partner.user_id,
                                     defaults={"role": SpaceRole.ADMIN})
            (Membership.update(role=SpaceRole.ADMIN)
             .where(Membership.space == space.id, Membership.user == partner.user_id)
             .execute())
        projects.append(project.id)
    return projects


def erase(user, upload_dir):
    """Turn `user` into a tombstone (see the module's docstring). The caller has checked
    last_teacher_of(user) is empty. Returns the ids of the projects whose search rows name
    them."""
    photo_id = user.photo_id
    email = user.email
    project_ids = {pid for (pid,) in ProjectPartner.select(ProjectPartner.project)
                   .where(ProjectPartner.user == user.id).tuples()}
    with db.atomic():
        audit.forget_users([user.id])
        # Kept in the log without a name: the account number and when, nothing personal.
        audit.record(None, "account.delete", ("user", user.id, f"#{user.id}"),
                     country=user.country)
        project_ids |= set(_hand_over(user))
        for model, field in ((UserSubject, UserSubject.user), (UserLanguage, UserLanguage.user),
                             (UserAgeRange, UserAgeRange.user),
                             (Contact, Contact.requester), (Contact, Contact.addressee),
                             (Follow, Follow.follower), (Follow, Follow.followed),
                             (Notification, Notification.recipient),
                             (NotificationPreference, NotificationPreference.user),
                             (MailRecipient, MailRecipient.user),
                             (Membership, Membership.user),
                             (ProjectPartner, ProjectPartner.user),
                             (EventRegistration, EventRegistration.user),
                             (LearningEventRegistration, LearningEventRegistration.user),
                             (GroupInvitation, GroupInvitation.user),
                             (PollVote, PollVote.user), (MaterialPerson, MaterialPerson.user)):
            model.delete().where(field == user.id).execute()
        if email:
            OutboxMail.delete().where(OutboxMail.to_address == email).execute()
        user.name = ""
        user.email = None
        user.username = None
        user.password_hash = "!deleted$" + secrets.token_hex(16)  # matches no password
        user.country = None
        user.school = None
        user.photo_id = None
        user.space_about = ""
        user.offer = ""
        user.profile_visibility = "{}"
        user.listed_publicly = False
        user.validation_note = ""
        user.email_confirmed_at = None
        user.last_login_at = None
        user.added_by = None
        user.disabled = True
        user.deleted_at = utcnow()
        user.rotate_session_token()
        user.save()
        photo = StoredFile.get_or_none(StoredFile.id == photo_id) if photo_id else None
        paths = []
        if photo is not None and not Space.select().where(Space.logo_id == photo.id).exists():
            paths = [photo.path] + [f"{photo.path}-{w}.webp"
                                    for w in photo.widths.split(",") if w]
            photo.delete_instance()
        search_index.remove_teacher(user.id)
        for project_id in sorted(project_ids):
            search_index.index_project(project_id)
    remove_unused_files(upload_dir, paths)
    return sorted(project_ids)


def remove_unused_files(upload_dir, names):
    """Remove files under UPLOAD_DIR that no stored file uses any more (stored files share
    the bytes of identical uploads). Called after the rows are committed."""
    root = os.path.normpath(upload_dir)
    for name in names:
        base = name[:-len(".webp")].rsplit("-", 1)[0] if name.endswith(".webp") else name
        if StoredFile.select().where(StoredFile.path == base).exists():
            continue
        full = os.path.normpath(os.path.join(root, name))
        if full.startswith(root + os.sep) and os.path.exists(full):
            os.remove(full)

