"""The one place that answers "may this user see or change this?".

Views call these rules (through web.require or directly) before doing anything; templates may
ask them only to decide whether to show a button. Each rule takes the user first.
"""
from models import (Contact, Kit, MailMessage, MailRecipient, PartnerState, ProjectPartner,
                    Membership, Publication, PublicationFile, Role, Space, SpaceRole, User,
                    Validation, Visibility)


def is_logged_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_use_live(user):
    """The Live desktop is the teachers' place."""
    return is_logged_in(user) and user.role == Role.TEACHER


def can_use_admin(user):
    """National and central support staff have the admin screens."""
    return is_logged_in(user) and user.role in Role.STAFF


def can_read_outbox(user):
    """Every mail the platform sent: central staff only (it holds reset links)."""
    return is_logged_in(user) and user.role == Role.CSS


def can_list_people(user):
    return can_use_admin(user)


# The scope of national staff whose account names no country: it matches nothing.
NO_COUNTRY = "--"


def country_of_staff_scope(user):
    """The country a staff member acts for (lists people, edits news, reviews requests);
    None = every country (central staff)."""
    return None if user.role == Role.CSS else (user.country or NO_COUNTRY)


def can_edit_portal(user):
    """Publications, kits, modules, testimonials, learning events: central staff."""
    return is_logged_in(user) and user.role == Role.CSS


def can_publish_news(user):
    """"Near you" news: national staff for their country, central staff for any."""
    return is_logged_in(user) and user.role in Role.STAFF


def can_edit_news(user, news):
    return can_publish_news(user) and can_review_for_country(user, news.country)


def can_register_for_learning(user):
    """Workshops and learning events are for teachers."""
    return is_logged_in(user) and user.role == Role.TEACHER


def is_member(user):
    """A logged-in member of the platform (any role)."""
    return is_logged_in(user)


def visible_profile_fields(viewer, teacher):
    """The profile fields of `teacher` that `viewer` (maybe anonymous) may see."""
    levels = teacher.visibility
    if is_logged_in(viewer) and (viewer.id == teacher.id or viewer.role in Role.STAFF):
        return set(levels)
    allowed = {Visibility.PUBLIC}
    if is_logged_in(viewer):
        allowed.add(Visibility.MEMBERS)
    return {field for field, level in levels.items() if level in allowed}


def can_see_teacher(viewer, teacher):
    """A teacher's page (and their name in lists): whoever may see their name — anybody when
    it is public, members when it is for members, contacts when it is for contacts."""
    if teacher.role != Role.TEACHER or teacher.disabled:
        return False
    return "name" in profile_fields_for(viewer, teacher)


def is_project_teacher(user, project):
    return is_logged_in(user) and (ProjectPartner
                                   .select()
                                   .where(ProjectPartner.project == project,
                                          ProjectPartner.user == user.id,
                                          ProjectPartner.state == PartnerState.ACCEPTED)
                                   .exists())


def can_see_project(viewer, project):
    """A project's page: anybody if public; otherwise its teachers and staff."""
    if project.is_public:
        return True
    return is_logged_in(viewer) and (viewer.role in Role.STAFF
                                     or is_project_teacher(viewer, project))


def file_is_public(stored):
    """Files of the public portal: publication covers and PDFs, kit materials."""
    return (Publication.select().where(Publication.cover == stored).exists()
            or PublicationFile.select().where(PublicationFile.file == stored).exists()
            or Kit.select().where(Kit.material == stored).exists())


def can_download(user, stored):
    """A stored file: its owner, central staff, and whoever may see what it belongs to (a
    portal publication, a profile photo, a space logo, a space material, a mail attachment)."""
    if is_logged_in(user) and (stored.owner_id == user.id or user.role == Role.CSS):
        return True
    return (file_is_public(stored) or can_see_profile_photo(user, stored)
            or can_see_space_logo(user, stored) or can_see_material_file(user, stored)
            or can_see_attachment(user, stored) or can_see_member_photo(user, stored))


# --- Live (issue 4) ---------------------------------------------------------------------

def is_validated_teacher(user):
    """A teacher whom national staff validated (L-15): may found projects and write."""
    return can_use_live(user) and user.validation == Validation.VALIDATED


def can_found_projects(user):
    return is_validated_teacher(user)


def can_write_to_others(user):
    """Messages and contact requests: validated teachers and staff."""
    return is_validated_teacher(user) or can_use_admin(user)


def is_project_admin(user, project):
    """The founder runs the project: partners, settings, closing."""
    return is_logged_in(user) and project.founder_id == user.id


def can_manage_project(user, project):
    return is_project_admin(user, project) and not project.is_closed


def can_reopen_project(user, project):
    """Reopening a closed project, which makes its space writable again: national staff of
    the country of one of its teachers, or central staff."""
    if not project.is_closed or not can_use_admin(user):
        return False
    scope = country_of_staff_scope(user)
    return scope is None or scope in {teacher.country for teacher in project.teachers()}


def can_review_for_country(user, country):
    """Validations, certificates, Quality Labels: national staff of that country, or central."""
    if not can_use_admin(user):
        return False
    scope = country_of_staff_scope(user)
    return scope is None or scope == country


def can_validate_teacher(user, teacher):
    return teacher.role == Role.TEACHER and can_review_for_country(user, teacher.country)


# --- Profile (L-1) and validation (L-15) -------------------------------------------------

def can_edit_profile(user):
    """Teachers edit their own profile (there is no other person's profile to edit)."""
    return can_use_live(user)


def profile_fields_for(viewer, teacher):
    """visible_profile_fields, plus the fields kept for contacts when `viewer` is one."""
    fields = set(visible_profile_fields(viewer, teacher))
    contacts_only = {f for f, level in teacher.visibility.items()
                     if level == Visibility.CONTACTS} - fields
    if contacts_only and is_logged_in(viewer) and Contact.are_contacts(viewer, teacher):
        fields |= contacts_only
    return fields


def can_see_profile_photo(user, stored):
    """A teacher's photo file: whoever may see that teacher's photo field."""
    if not stored.owner_id:
        return False
    teacher = User.get_or_none(User.id == stored.owner_id)
    if teacher is None or teacher.photo_id != stored.id:
        return False
    if is_logged_in(user) and user.id == teacher.id:
        return True
    return can_see_teacher(user, teacher) and "photo" in profile_fields_for(user, teacher)


# --- Live: people, mail, notifications (L-3, L-4, L-14) -----------------------------------

def is_active_teacher(person):
    """Somebody others may follow, ask to be contacts or write to from their profile."""
    return person is not None and person.role == Role.TEACHER and not person.disabled


def can_follow(user, person=None):
    """Any logged-in teacher (validated or not) follows active teachers, never themselves."""
    if not can_use_live(user):
        return False
    return person is None or (is_active_teacher(person) and person.id != user.id)


def can_ask_contact(user, person=None):
    """Contact requests: those who may write to others, to an active teacher not themselves."""
    if not can_write_to_others(user):
        return False
    return person is None or (is_active_teacher(person) and person.id != user.id)


def can_read_mail(user):
    """Anybody logged in reads their own mailbox."""
    return is_logged_in(user)


def can_write_mail(user):
    """Composing and replying: validated teachers and staff."""
    return can_write_to_others(user)


def can_read_thread(user, thread):
    """A mail thread: only somebody who still holds a copy of one of its messages."""
    return is_logged_in(user) and (MailRecipient
                                   .select(MailRecipient.id)
                                   .join(MailMessage)
                                   .where(MailMessage.thread == thread,
                                          MailRecipient.user == user.id)
                                   .exists())


def can_have_notifications(user):
    return is_logged_in(user)


# --- Events (L-5) --------------------------------------------------------------------------

def can_create_events(user):
    """Creating an event: validated teachers (like founding a project)."""
    return is_validated_teacher(user)


def can_see_event(user, event):
    """Every member sees every event, except the events of a space (a group's), which only
    those who may read that space see."""
    if not is_member(user):
        return False
    if event.space_id is None:
        return True
    from models import Membership, Space
    space = Space.get_or_none(Space.id == event.space_id)
    membership = Membership.get_or_none((Membership.space == event.space_id)
                                        & (Membership.user == user.id))
    return space is not None and can_read_space(user, space, membership)


def visible_events(user):
    """A condition on Event for the lists of events `user` sees: those of no space, and those
    of the spaces they are in or may read (open groups for teachers; all for central staff)."""
    from models import Event, Group, GroupState, Membership
    if user.role == Role.CSS:
        return Event.id.is_null(False)
    mine = Membership.select(Membership.space).where(Membership.user == user.id)
    condition = Event.space.is_null() | Event.space.in_(mine)
    if is_active_teacher(user):
        readable = Group.select(Group.space).where(
            Group.is_open == True,  # noqa: E712
            Group.state.in_([GroupState.ACTIVE, GroupState.CLOSED]))
        condition = condition | Event.space.in_(readable)
    return condition


def is_event_organiser(user, event):
    return is_logged_in(user) and event.creator_id == user.id


def can_manage_event(user, event):
    """Editing and cancelling: its organiser, while the event is not cancelled."""
    return (can_use_live(user) and is_event_organiser(user, event)
            and event.cancelled_at is None)


def can_register_for_event(user, event, now=None):
    """Teachers other than the organiser, while the event is neither cancelled nor over."""
    from models import utcnow
    return (can_use_live(user) and not is_event_organiser(user, event)
            and event.cancelled_at is None and event.ends_at >= (now or utcnow()))


# --- Live: partner-finding forums (L-7) ----------------------------------------------------

def can_use_partner_forums(user):
    """Reading the partner-finding forums: the teachers of Live."""
    return can_use_live(user)


def can_post_in_partner_forums(user):
    """Posting a partner search or a reply: validated teachers (who may write to others)."""
    return can_use_live(user) and can_write_to_others(user)


# --- Spaces (issue 5) -------------------------------------------------------------------

def is_space_member(user, space, membership):
    return is_logged_in(user) and membership is not None and membership.space_id == space.id


def can_read_space(user, space, membership):
    """Reading a space's home, pages, materials, forums and members list: its members, and
    whom its parent lets read (an open group: any logged-in teacher; central staff)."""
    if is_space_member(user, space, membership):
        return True
    from blueprints.spaces import parents
    rule = parents.of(space).readers
    return bool(rule is not None and is_logged_in(user) and not user.disabled
                and rule(user, space))


def is_space_teacher(user, space, membership):
    """Those who run the space: its teachers and admin (a group's moderators)."""
    return is_space_member(user, space, membership) and membership.role in SpaceRole.TEACHERS


def space_is_writable(space):
    """Whether anything may be added to or changed in the space. A closed space is read-only
    for everybody until it is reopened: reading, its public view and its export go on. Every
    rule below that adds or changes something in a space asks this first."""
    return space is not None and space.closed_at is None


def can_reply_in_thread(user, thread):
    """A reply to a mail thread: whoever may write mail, unless the thread was written in a
    space that is now closed (read-only wherever the thread is opened, Live included)."""
    if thread.space_id is not None and not space_is_writable(thread.space):
        return False
    return is_logged_in(user)


def can_see_public_view(space):
    """Whether the space shows anything to the public: its parent decides (a TwinSpace when
    its project is public); a kind of space with no public view shows nothing."""
    from blueprints.spaces import parents
    rule = parents.of(space).public_view
    return bool(rule and rule(space))


# --- Spaces: members (T-12) ----------------------------------------------------------------

def can_manage_members(user, space, membership):
    """Adding, inviting, changing, removing members and writing to all: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_reset_member_password(user, space, membership, person):
    """A pupil's (or guest's) password: only teachers of a space that person is in (also
    when the space is closed: its pupils may still read it)."""
    from models import Membership
    return (is_space_teacher(user, space, membership) and person is not None
            and person.role in (Role.STUDENT, Role.VISITOR)
            and Membership.select().where(Membership.space == space.id,
                                          Membership.user == person.id).exists())


# --- Spaces: pages (T-2, T-3) -------------------------------------------------------------

from models import PageEdit, PageView  # noqa: E402


def can_view_page(user, space, membership, page):
    """A page of the space that is not archived: anybody if public, its teachers if
    teachers-only, else its members."""
    if page.space_id != space.id or page.archived_at is not None:
        return False
    if page.view_rule == PageView.PUBLIC:
        return True
    if page.view_rule == PageView.TEACHERS:
        return is_space_teacher(user, space, membership)
    return can_read_space(user, space, membership)


def can_edit_page(user, space, membership, page):
    """The space's teachers; its students too when the page says so; visitors never."""
    if not space_is_writable(space) or not can_view_page(user, space, membership, page):
        return False
    if is_space_teacher(user, space, membership):
        return True
    return (page.edit_rule == PageEdit.TEACHERS_AND_STUDENTS
            and is_space_member(user, space, membership)
            and membership.role == SpaceRole.STUDENT)


def can_add_page(user, space, membership, parent=None):
    """A top-level page: the space's teachers; a sub-page: whoever may edit its parent."""
    if parent is None:
        return space_is_writable(space) and is_space_teacher(user, space, membership)
    return can_edit_page(user, space, membership, parent)


def can_set_page_rules(user, space, membership):
    """Who may view and who may edit a page: the space's teachers decide."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_archive_page(user, space, membership, page):
    """Archiving a page and bringing it back: the space's teachers."""
    return (page.space_id == space.id and space_is_writable(space)
            and is_space_teacher(user, space, membership))


def can_see_space_logo(user, stored):
    """A space's logo: its members, and anybody when the space has a public view or its
    parent lists it publicly (SpaceParent.logo_is_public)."""
    space = Space.get_or_none(Space.logo_id == stored.id)
    if space is None:
        return False
    if can_see_public_view(space) or can_read_space(user, space, None):
        return True
    from blueprints.spaces import parents
    listed = parents.of(space).logo_is_public
    if listed is not None and listed(space):
        return True
    return is_logged_in(user) and Membership.select().where(
        Membership.space == space, Membership.user == user.id).exists()


# --- Spaces: materials and consent (T-4..T-6, T-9, T-16) ------------------------------------

import datetime  # noqa: E402

from models import (Consent, ConsentScope, MailAttachment, Material, MaterialKind,  # noqa: E402
                    MaterialPerson)

CONSENT_FIELD = {MaterialKind.IMAGE: "photo", MaterialKind.VIDEO: "video"}


def consent_allows_public(consent, kind, today=None):
    """Whether one pupil's consent lets a material of `kind` be public today."""
    today = today or datetime.date.today()
    field = CONSENT_FIELD.get(kind)
    return (consent is not None and field is not None and consent.scope == ConsentScope.PUBLIC
            and getattr(consent, field) and (consent.until is None or consent.until >= today))


def material_is_public(material, today=None):
    """A material shows in the public view only if its uploader marked it public and, for an
    image or a video, every pupil tagged in it has public consent for that kind, not expired.
    (The space must also have a public view: see can_see_public_view.)"""
    if not material.is_public or material.hidden_at is not None:
        return False
    if material.kind == MaterialKind.IMAGE and not material.alt_text:
        return False
    if material.kind not in CONSENT_FIELD:
        return True
    tagged = [p.user_id for p in MaterialPerson.select(MaterialPerson.user)
              .where(MaterialPerson.material == material.id)]
    if not tagged:
        return True
    consents = {c.student_id: c for c in Consent.select().where(
        Consent.space == material.space_id, Consent.student.in_(tagged))}
    return all(consent_allows_public(consents.get(uid), material.kind, today) for uid in tagged)


def public_materials(space, kind=None, today=None):
    """The materials of a space an anonymous visitor may see (bounded queries: three)."""
    query = Material.select().where(Material.space == space.id, Material.is_public == True,  # noqa: E712
                                    Material.hidden_at.is_null())
    if kind:
        query = query.where(Material.kind == kind)
    materials = [m for m in query.order_by(Material.created_at.desc())
                 if not (m.kind == MaterialKind.IMAGE and not m.alt_text)]
    if not materials:
        return []
    tags = {}
    for person in MaterialPerson.select().where(
            MaterialPerson.material.in_([m.id for m in materials])):
        tags.setdefault(person.material_id, []).append(person.user_id)
    consents = {c.student_id: c for c in Consent.select().where(Consent.space == space.id)}
    return [m for m in materials
            if m.kind not in CONSENT_FIELD
            or all(consent_allows_public(consents.get(uid), m.kind, today)
                   for uid in tags.get(m.id, []))]


def can_see_material(user, space, membership, material):
    """Inside the space: its members; outside: anybody, when the material is public and the
    space has a public view."""
    if material.space_id != space.id:
        return False
    if getattr(material, "hidden_at", None) is not None:  # hidden after a report (G-8)
        return is_space_teacher(user, space, membership)
    if can_read_space(user, space, membership):
        return True
    return can_see_public_view(space) and material_is_public(material)


def can_add_material(user, space, membership):
    """Uploading and linking materials, making folders: teachers and pupils of the space."""
    return (space_is_writable(space) and is_space_member(user, space, membership)
            and membership.role != SpaceRole.VISITOR)


def can_change_material(user, space, membership, material):
    """Editing or deleting a material: the space's teachers, and the pupil who added it
    (who changes only its words and may add tags: see can_curate_material)."""
    if (material.space_id != space.id or not space_is_writable(space)
            or not is_space_member(user, space, membership)):
        return False
    return (is_space_teacher(user, space, membership)
            or (membership.role == SpaceRole.STUDENT and material.created_by_id == user.id))


def can_curate_material(user, space, membership):
    """Marking a material public (or not), removing a pupil's tag, moving it to another
    folder: only the space's teachers, who keep the consent register. A pupil may tag
    classmates (that only protects them) but never untag one nor publish."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_manage_folders(user, space, membership):
    """Renaming and deleting albums and folders: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_read_consent(user, space, membership):
    """The consent register (T-16): only the space's teachers read it, in a kind of space
    that has pupils (a space of teachers only has no register)."""
    from blueprints.spaces import parents
    return (parents.of(space).member_types.adds_pupils
            and is_space_teacher(user, space, membership))


def can_manage_consent(user, space, membership):
    """Recording or changing a pupil's consent: the space's teachers."""
    return space_is_writable(space) and can_read_consent(user, space, membership)


def can_export_space(user, space, membership):
    """Downloading the whole space as a static HTML archive (T-17): its teachers."""
    return is_space_teacher(user, space, membership)


def can_see_material_file(user, stored):
    """The file of a material: members of its space, or anybody if the material is public in
    a space with a public view."""
    material = Material.get_or_none(Material.file == stored.id)
    if material is None:
        return False
    space = material.space
    membership = is_logged_in(user) and Membership.get_or_none(
        (Membership.space == space.id) & (Membership.user == user.id))
    if material.hidden_at is not None:  # hidden by a moderator (G-8): the teachers only
        return bool(membership) and membership.role in SpaceRole.TEACHERS
    if membership:
        # An image still waiting for its alt text: its uploader (the owner) and the teachers.
        return (material.kind != MaterialKind.IMAGE or bool(material.alt_text)
                or membership.role in SpaceRole.TEACHERS)
    if can_read_space(user, space, None):
        return material.kind != MaterialKind.IMAGE or bool(material.alt_text)
    return can_see_public_view(space) and material_is_public(material)


def can_see_attachment(user, stored):
    """A mail attachment: whoever holds a copy of the very message it came with (its
    recipients and its sender; not everybody who holds some other message of the thread)."""
    if not is_logged_in(user):
        return False
    return (MailRecipient.select(MailRecipient.id)
            .join(MailAttachment, on=(MailAttachment.message == MailRecipient.message))
            .where(MailAttachment.file == stored.id, MailRecipient.user == user.id)
            .exists())


# --- Spaces: TwinMail and profiles in the space (T-13, T-14) --------------------------------

def space_mate_ids(user, ids):
    """Of the user ids `ids`, those who share at least one space with `user` (one query)."""
    ids = [i for i in ids if i is not None]
    if not is_logged_in(user) or not ids:
        return set()
    mine = Membership.select(Membership.space).where(Membership.user == user.id)
    return {uid for (uid,) in Membership.select(Membership.user)
            .where(Membership.space.in_(mine), Membership.user.in_(ids)).distinct().tuples()}


def shares_a_space(user, person):
    return person is not None and person.id in space_mate_ids(user, [person.id])


def can_write_space_mail(user, space, membership):
    """TwinMail: writing to the space's members and replying from the space. Its pupils and
    guests (who have no Live), and those who may write in Live (validated teachers, staff)."""
    if (not space_is_writable(space) or not is_space_member(user, space, membership)
            or user.disabled):
        return False
    return user.role in (Role.STUDENT, Role.VISITOR) or can_write_mail(user)


def can_see_member_photo(user, stored):
    """A member's picture (T-13): the members of any space its owner is in."""
    if not is_logged_in(user) or not stored.owner_id:
        return False
    owner = User.get_or_none(User.id == stored.owner_id)
    if owner is None or owner.photo_id != stored.id:
        return False
    return owner.id == user.id or shares_a_space(user, owner)


def can_see_space_profile(user, space, membership, person_membership):
    """A member's profile in a space: the members of that space, for its members only."""
    return (is_space_member(user, space, membership) and person_membership is not None
            and person_membership.space_id == space.id)


def can_write_guestbook(user, space, membership, person):
    """Leaving a message on a profile: every member of the space (guests too), on the profile
    of somebody else (one does not sign one's own guestbook)."""
    return (space_is_writable(space) and is_space_member(user, space, membership)
            and not user.disabled and person is not None and person.id != user.id)


def can_delete_guestbook_entry(user, space, membership, entry):
    """Its author, or the space's teachers."""
    if (entry.space_id != space.id or not space_is_writable(space)
            or not is_space_member(user, space, membership)):
        return False
    return entry.author_id == user.id or is_space_teacher(user, space, membership)


# --- Spaces: materials in pages (T-2) -------------------------------------------------------

def can_insert_materials(user, space, membership, page=None, parent=None):
    """The page editor's "Insert a material": whoever may write the page being edited (an
    existing `page`), or may add the new page (under `parent`, or at the top)."""
    if page is not None:
        return can_edit_page(user, space, membership, page)
    return can_add_page(user, space, membership, parent)


# --- Spaces: forums (T-10; Groups reuse them, G-4) ------------------------------------------

def can_read_space_forums(user, space, membership):
    """A space's forums, discussions and posts: its members, guests included, and whom the
    space's parent lets read it (see can_read_space)."""
    return can_read_space(user, space, membership)


def can_post_in_space_forums(user, space, membership):
    """Starting a discussion and replying: the space's teachers and pupils (and a group's
    moderators). Guests (visitors) read only: they never post."""
    return (space_is_writable(space) and is_space_member(user, space, membership)
            and membership.role != SpaceRole.VISITOR)


def can_add_space_forum(user, space, membership):
    """Adding a forum to the space: its teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_moderate_space_forums(user, space, membership):
    """Hiding and showing again any post, and reading hidden posts: the space's teachers (and
    a group's moderators)."""
    return (is_space_teacher(user, space, membership)
            or (is_space_member(user, space, membership)
                and membership.role == SpaceRole.MODERATOR))


def can_hide_space_posts(user, space, membership):
    """Hiding a post or showing it again: the moderators, while the space is open."""
    return space_is_writable(space) and can_moderate_space_forums(user, space, membership)


def can_change_space_post(user, space, membership, post):
    """Editing or deleting a post: only its author, while they may still post in the space,
    and not once a teacher hid it (the hidden text stays for the teachers to read)."""
    return (post is not None and post.author_id == user.id and not post.hidden
            and can_post_in_space_forums(user, space, membership))


# --- Spaces: the live room, chat and polls (T-11) ------------------------------------------

def can_use_space_chat(user, space, membership):
    """Entering a space's live room (page and WebSocket), reading its whole chat history
    (what is older than three months is deleted for everybody): every member, guests
    included (the room is where an invited guest talks with the classes)."""
    return is_space_member(user, space, membership)


def can_post_in_space_chat(user, space, membership):
    """Posting in the chat and voting (page and WebSocket): every member, while the space is
    open."""
    return space_is_writable(space) and can_use_space_chat(user, space, membership)


def can_ask_space_poll(user, space, membership):
    """Asking a question (a poll) in the chat: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


# --- TwinSpaces: diary, bulletin, settings (T-7, T-8, T-15) ------------------------------

def can_write_diary(user, space, membership):
    """Writing, changing and deleting diary posts: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_write_bulletin(user, space, membership):
    """Posting on the teachers' bulletin (which they all read): the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_change_space_settings(user, space, membership):
    """Title, description, logo, colours, meeting room: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


# --- Groups (G-2..G-8) -------------------------------------------------------------------------

def can_request_group(user):
    """Requesting a new group (G-2): validated teachers (L-15)."""
    return is_validated_teacher(user) and not user.disabled


def can_review_groups(user):
    """Approving, rejecting, featuring, closing, exempting groups: central staff only."""
    return is_logged_in(user) and user.role == Role.CSS and not user.disabled


def can_read_group(user, space, group):
    """Reading a group one is not a member of: central staff always; national staff when
    its creator teaches in their country; any active teacher when the group is open and
    active (or closed, read-only). Members read through their membership."""
    if group is None or not is_logged_in(user):
        return False
    if user.role == Role.CSS:
        return True
    if user.role == Role.NSS:
        creator = group.creator
        return (creator is not None and bool(user.country)
                and creator.country == user.country)
    from models import GroupState
    return (is_active_teacher(user) and group.is_open
            and group.state in (GroupState.ACTIVE, GroupState.CLOSED))


# --- Group requests and staff's decisions (G-2, G-3, G-6) -------------------------------------

def can_see_group_request(user, group):
    """A group's request page (its fields, history, the resubmit form): its creator and
    central staff; anybody else gets 404."""
    if group is None or not is_logged_in(user):
        return False
    return group.creator_id == user.id or can_review_groups(user)


def can_read_group_in_admin(user, group):
    """A group's admin page: central staff (who act on it), and national staff read-only for
    groups whose creator teaches in their country."""
    if group is None or not can_use_admin(user) or user.disabled:
        return False
    if can_review_groups(user):
        return True
    creator = group.creator
    return user.role == Role.NSS and creator is not None and bool(user.country) \
        and creator.country == user.country

# --- Groups: monitoring (G-7) and netiquette reports (G-8) --------------------------------

def can_watch_groups(user):
    """The watch page of idle and closed groups, and every report of every space: central
    staff only."""
    return can_review_groups(user)


def can_report_in_space(user, space, membership):
    """Reporting something of a space to its moderators: any member (reading is not
    enough), while the space is open."""
    return space_is_writable(space) and is_space_member(user, space, membership)


def can_handle_space_reports(user, space, membership):
    """Reading a space's reports and hiding or dismissing: those who run the space."""
    return is_space_teacher(user, space, membership)

# --- Groups: joining, leaving and running a group (G-4, G-5) --------------------------------

def is_group_moderator(user, space, membership):
    """Those who run a group."""
    return is_space_member(user, space, membership) and membership.role == SpaceRole.MODERATOR


def can_join_group(user, space, membership):
    """Joining an open group or asking to join one by invitation: a validated active teacher
    (L-15: they write) who is not a member, while the group is active (another group does
    not exist, for them)."""
    from models import GroupState
    from services import groups
    group = groups.of_space(space)
    return (is_logged_in(user) and is_validated_teacher(user) and is_active_teacher(user)
            and not is_space_member(user, space, membership)
            and group is not None and group.state == GroupState.ACTIVE)


def can_leave_group(user, space, membership):
    """Leaving: any member (the last moderator is refused with a message)."""
    return is_space_member(user, space, membership)


def can_run_group(user, space, membership):
    """Answering requests to join, starting the ice-breaker: its moderators, while the group
    is writable."""
    return space_is_writable(space) and is_group_moderator(user, space, membership)


def can_change_group_settings(user, space, membership, group):
    """A group's title, description, objectives, topics, languages, openness, welcome and
    image: its moderators, while it is active."""
    from models import GroupState
    return (group is not None and group.state == GroupState.ACTIVE
            and can_run_group(user, space, membership))


def can_see_group_events(user, space, membership):
    """The group's events page: whoever may read the group."""
    return can_read_space(user, space, membership)


def can_add_group_event(user, space, membership):
    """An event of the group: its members who may create events (validated teachers), while
    the group is writable."""
    return (space_is_writable(space) and is_space_member(user, space, membership)
            and can_create_events(user))
