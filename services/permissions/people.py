"""Rules about people, the portal, Live, events and partner forums."""
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
    from services.permissions.spaces import can_read_space
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


def can_see_health(user):
    """The instance's health page (jobs, mail queue, disk, database): central staff, who run
    the platform; they may also start a job by hand there."""
    return is_logged_in(user) and user.role == Role.CSS


# --- The staff audit log (issue 13, 7b) -----------------------------------------------------

def can_read_audit_log(user):
    """Who did what among staff, on the whole platform: central staff only."""
    return is_logged_in(user) and user.role == Role.CSS


# --- Data rights (issue 13, 7a) ------------------------------------------------------------

def can_download_my_data(user):
    """Every logged-in person may download what the platform holds about them."""
    return is_logged_in(user)


def can_delete_own_account(user):
    """Teachers delete their own account. Pupils and guests are managed by their teachers
    (they go with their space); staff accounts are ended by central staff."""
    return is_logged_in(user) and user.role == Role.TEACHER


def can_delete_project(user, project):
    """Deleting a project with its TwinSpace, its pupils' accounts and everything in it:
    the project's founder, or central staff."""
    return is_logged_in(user) and (project.founder_id == user.id or user.role == Role.CSS)
