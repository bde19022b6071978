"""Who is in a group and how they got there (G-4, G-5): joining an open group at once, asking
to join one by invitation (moderators accept or decline), being invited by a moderator
(accepting or declining in Live), leaving (never the last moderator), the welcome message that
greets each new member, and the start checklist of a young group with its ice-breaker.

Rules of who may do what are in services/permissions.py; a refused step raises
groups.GroupError with a sentence for people. No request data is read here: the demo data and
the tests call these directly, inside an app's request context (notifications carry links made
with url_for; `settings` is the app's config)."""
from flask_babel import lazy_gettext as _l

from models import (Discussion, Forum, Group, GroupInvitation, GroupInvitationKind, GroupState,
                    Membership, Page, Space, SpaceRole, User, db, utcnow)
from services import forums, groups, mailbox, notify, spaces
from services.groups import GroupError
from services.sanitize import text_to_html

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
# The start checklist shows while the group has fewer members than this.
YOUNG_GROUP = 5
ICE_BREAKER_TITLE = _l("Introduce yourself")
ICE_BREAKER_TEXT = _l("Introduce yourself: where you teach, what you teach, and one thing "
                      "about your town.")


def _space(group):
    return Space.get_by_id(group.space_id)


def _home_link(space):
    from blueprints.spaces import parents
    return parents.url_for_space(space, "home")


def refusal(group):
    """Why nobody may join `group` now (text), or None: only active groups take members."""
    if group.state == GroupState.ACTIVE:
        return None
    if group.state == GroupState.CLOSED:
        return str(_l("This group is closed: nobody can join it now."))
    return str(_l("This group is not active yet: nobody can join it now."))


def _check(group):
    problem = refusal(group)
    if problem:
        raise GroupError(problem)


def _add(group, user, settings):
    """Make `user` a member (once) and greet them; True when they were not a member yet."""
    space = _space(group)
    if spaces.membership(space, user) is not None:
        return False
    spaces.join(space, user, SpaceRole.MEMBER)
    (GroupInvitation.update(state=ACCEPTED, answered_at=utcnow())
     .where(GroupInvitation.group == group, GroupInvitation.user == user.id,
            GroupInvitation.state == PENDING).execute())
    welcome(group, user, settings)
    return True


def join(group, user, settings):
    """Join an open, active group at once (twice is harmless). Returns whether they joined now."""
    _check(group)
    if not group.is_open:
        raise GroupError(str(_l("This group is by invitation: ask to join it.")))
    return _add(group, user, settings)


def ask(group, user, message, settings):
    """Ask to join a group by invitation: its moderators are told and answer. Asking again
    while the request waits changes nothing; after a refusal one may ask again."""
    _check(group)
    space = _space(group)
    if spaces.membership(space, user) is not None:
        return None
    now = utcnow()
    with db.atomic():
        row = GroupInvitation.get_or_none(GroupInvitation.group == group,
                                          GroupInvitation.user == user.id)
        if row is not None and row.state == PENDING:
            if row.kind == GroupInvitationKind.INVITATION:  # invited already: asking = yes
                answer_invitation(row, True, settings)
            return row
        if row is None:
            row = GroupInvitation(group=group, user=user.id)
        row.kind, row.state, row.message = GroupInvitationKind.REQUEST, PENDING, message or ""
        row.invited_by, row.created_at, row.answered_at = None, now, None
        row.save()
    for moderator in User.select().where(User.id.in_(list(groups.moderator_ids(space)))):
        notify.notify(settings, moderator, "group_decision", f"group-requests:{group.id}",
                      "group_join_request", _requests_link(space), name=user.name,
                      title=space.title)
    return row


def _requests_link(space):
    from flask import url_for
    return url_for("groups.requests", space_id=space.id)


def pending_requests(group):
    return list(GroupInvitation.select(GroupInvitation, User)
                .join(User, on=(GroupInvitation.user == User.id))
                .where(GroupInvitation.group == group,
                       GroupInvitation.kind == GroupInvitationKind.REQUEST,
                       GroupInvitation.state == PENDING)
                .order_by(GroupInvitation.created_at, GroupInvitation.id))


def answer_request(request_row, accept, settings):
    """A moderator accepts (the asker becomes a member, greeted) or declines; the asker is
    told either way."""
    group = Group.get_by_id(request_row.group_id)
    if accept:
        _check(group)
    space = _space(group)
    with db.atomic():
        request_row.state = ACCEPTED if accept else DECLINED
        request_row.answered_at = utcnow()
        request_row.save()
        if accept:
            _add(group, request_row.user, settings)
    asker = User.get_by_id(request_row.user_id)
    notify.notify(settings, asker, "group_decision", f"group-request:{group.id}",
                  "group_request_accepted" if accept else "group_request_declined",
                  _home_link(space) if accept else _list_link(), title=space.title)


def _list_link():
    from flask import url_for
    return url_for("groups.index")


def invite(group, person, inviter, settings):
    """A moderator invites a platform teacher: (ok, message for the inviter). Somebody who
    asked to join is accepted at once."""
    from flask_babel import gettext as _
    if refusal(group):
        return False, refusal(group)
    space = _space(group)
    row = GroupInvitation.get_or_none(GroupInvitation.group == group,
                                      GroupInvitation.user == person.id)
    if row is not None and row.state == PENDING:
        if row.kind == GroupInvitationKind.REQUEST:
            answer_request(row, True, settings)
            return True, _("%(name)s had asked to join: they are now a member.",
                           name=person.name)
        return False, _("%(name)s is already invited.", name=person.name)
    with db.atomic():
        if row is None:
            row = GroupInvitation(group=group, user=person.id)
        row.kind, row.state, row.invited_by = GroupInvitationKind.INVITATION, PENDING, inviter.id
        row.message, row.created_at, row.answered_at = "", utcnow(), None
        row.save()
    from flask import url_for
    notify.notify(settings, person, "group_decision", f"group-invitation:{group.id}",
                  "group_invitation", url_for("groups.invitations"), name=inviter.name,
                  title=space.title)
    return True, _("Invitation sent to %(name)s. They join the group when they accept it.",
                   name=person.name)


def invitations_for(user):
    """My pending invitations to groups, with their spaces, newest first."""
    return list(GroupInvitation.select(GroupInvitation, Group, Space)
                .join(Group).join(Space)
                .where(GroupInvitation.user == user.id,
                       GroupInvitation.kind == GroupInvitationKind.INVITATION,
                       GroupInvitation.state == PENDING)
                .order_by(GroupInvitation.created_at.desc()))


def answer_invitation(row, accept, settings):
    """The invitee accepts (joins, greeted) or declines."""
    group = Group.get_by_id(row.group_id)
    if accept:
        _check(group)
    with db.atomic():
        row.state = ACCEPTED if accept else DECLINED
        row.answered_at = utcnow()
        row.save()
        if accept:
            _add(group, User.get_by_id(row.user_id), settings)


def leave(group, user):
    """Leave the group; its last moderator may not (they name another one first)."""
    space = _space(group)
    member = Membership.get_or_none(Membership.space == space, Membership.user == user.id)
    if member is None:
        return False
    if member.role == SpaceRole.MODERATOR and groups.moderator_ids(space) == {user.id}:
        raise GroupError(str(_l("You are the group's only moderator: make another member a "
                                "moderator first, on the members page.")))
    spaces.leave(space, user)
    return True


def greeter(group):
    """Who signs the welcome: the creator while a member, else a moderator."""
    space = _space(group)
    ids = groups.moderator_ids(space)
    if group.creator_id and Membership.select().where(
            Membership.space == space, Membership.user == group.creator_id).exists():
        return User.get_by_id(group.creator_id)
    return User.select().where(User.id.in_(list(ids))).order_by(User.id).first() if ids else None


def welcome(group, user, settings):
    """Greet a new member with the group's welcome message: a group mail from its creator
    (or a moderator). Nothing when there is no welcome message."""
    text = (group.welcome or "").strip()
    sender = greeter(group)
    if not text or sender is None or sender.id == user.id:
        return None
    space = _space(group)
    from flask_babel import force_locale
    with force_locale(user.language or "en"):
        subject = str(_l("Welcome to %(title)s", title=space.title))[:200]
    # The welcome message is plain text (shown as typed on the group's page): never read as HTML.
    return mailbox.compose(sender, subject, text_to_html(text), [user], settings, space=space)


# --- The start checklist and the ice-breaker ---------------------------------------------

def ice_breaker(group):
    if not group.ice_breaker_id:
        return None
    return (Discussion.select().join(Forum)
            .where(Discussion.id == group.ice_breaker_id, Forum.space == group.space_id)
            .first())


def checklist(group):
    """[(key, done)] for a young group: image, welcome, two pages, ice-breaker, a first
    discussion besides the ice-breaker (computed, never ticked by hand)."""
    space = _space(group)
    pages = (Page.select().where(Page.space == space, Page.archived_at.is_null()).count())
    discussions = (Discussion.select().join(Forum)
                   .where(Forum.space == space,
                          Discussion.id != (group.ice_breaker_id or 0)).exists())
    return [("image", bool(space.logo_id)), ("welcome", bool((group.welcome or "").strip())),
            ("pages", pages >= 2), ("ice_breaker", ice_breaker(group) is not None),
            ("discussion", discussions)]


def is_young(group):
    return Membership.select().where(Membership.space == group.space_id).count() < YOUNG_GROUP


def start_ice_breaker(group, moderator, *, title, body):
    """Open the ice-breaker discussion in the group's first forum (a "General" forum is made
    when there is none) and remember it."""
    space = _space(group)
    with db.atomic():
        forum = Forum.select().where(Forum.space == space).order_by(Forum.id).first()
        if forum is None:
            forum = forums.create_space_forum(space, moderator, title=str(_l("General")))
        discussion = forums.start_space_discussion(forum, moderator, title=title, body=body)
        group.ice_breaker_id = discussion.id
        group.save(only=[Group.ice_breaker_id])
    return discussion
