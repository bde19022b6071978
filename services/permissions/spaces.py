"""Rules of a space (TwinSpaces and Groups share them): reading and writing, members, pages,
mail and profiles in the space, forums, the live room, a TwinSpace's own pages."""
from models import (Contact, Kit, MailMessage, MailRecipient, PartnerState, ProjectPartner,
                    Membership, Publication, PublicationFile, Role, Space, SpaceRole, User,
                    Validation, Visibility)
from models import PageEdit, PageView
from services.permissions.people import *  # noqa: F401,F403


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
