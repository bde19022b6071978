"""Rules of groups (G-2..G-8) and of netiquette reports."""
from models import (Contact, Kit, MailMessage, MailRecipient, PartnerState, ProjectPartner,
                    Membership, Publication, PublicationFile, Role, Space, SpaceRole, User,
                    Validation, Visibility)
from services.permissions.people import *  # noqa: F401,F403
from services.permissions.spaces import *  # noqa: F401,F403


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
