"""A group's life (G-2, G-3, G-6, G-7): one state machine, in one place.

    pending ──approve──▶ active ──close──▶ closed ──reopen──▶ active
       │  ▲                                                 (featured or not, flagged or not)
  ask_info resubmit
       ▼  │
    needs_info            pending / needs_info ──reject──▶ rejected (final)

`act(group, action, actor, text)` is the only way a group changes state: it checks that the
action is allowed from the group's state and that the actor may take it, records the step in
the group's history (GroupNote), keeps the space's read-only mark in step and tells the
creator. A refused action raises GroupError with a sentence for people, never a 500.
No Flask request objects here (the scheduled maintenance calls it too)."""
from dataclasses import dataclass
from typing import Optional

from flask_babel import lazy_gettext as _l

from models import (Group, GroupLanguage, GroupNote, GroupState, Membership, Role, Space,
                    SpaceKind, SpaceRole, User, db, utcnow)
from services import audit, group_search, spaces


class GroupError(Exception):
    """An action a group's state or the actor's role does not allow: str(error) says why."""


@dataclass(frozen=True)
class Action:
    sources: tuple            # states it may start from
    target: Optional[str]     # the state it leads to (None: the state does not change)
    who: str                  # "staff" (central staff), "creator", "system"
    needs_text: bool = False  # a reason or a question is required
    notify: Optional[str] = None   # notification message key for the creator


ACTIONS = {
    "submitted": Action((), GroupState.PENDING, "creator"),
    "created_featured": Action((), GroupState.ACTIVE, "staff"),
    "ask_info": Action((GroupState.PENDING,), GroupState.NEEDS_INFO, "staff", True,
                       "group_needs_info"),
    "resubmit": Action((GroupState.NEEDS_INFO,), GroupState.PENDING, "creator"),
    "approve": Action((GroupState.PENDING, GroupState.NEEDS_INFO), GroupState.ACTIVE, "staff",
                      False, "group_approved"),
    "reject": Action((GroupState.PENDING, GroupState.NEEDS_INFO), GroupState.REJECTED, "staff",
                     True, "group_rejected"),
    "close": Action((GroupState.ACTIVE,), GroupState.CLOSED, "staff", False, "group_closed"),
    "reopen": Action((GroupState.CLOSED,), GroupState.ACTIVE, "staff", False, "group_reopened"),
    "feature": Action((GroupState.ACTIVE,), None, "staff"),
    "unfeature": Action((GroupState.ACTIVE,), None, "staff"),
    "flag": Action((GroupState.ACTIVE,), None, "system"),
    "clear_flag": Action((GroupState.ACTIVE, GroupState.CLOSED), None, "staff"),
    "exempt": Action((GroupState.ACTIVE,), None, "staff"),
    "unexempt": Action((GroupState.ACTIVE,), None, "staff"),
}

# What each state is called, and why an action does not fit a state (shown as is).
STATE_NAMES = {
    GroupState.PENDING: _l("Waiting for approval"),
    GroupState.NEEDS_INFO: _l("More information asked"),
    GroupState.ACTIVE: _l("Active"),
    GroupState.REJECTED: _l("Rejected"),
    GroupState.CLOSED: _l("Closed"),
}
ACTION_NAMES = {
    "submitted": _l("Requested"),
    "created_featured": _l("Created as a featured group"),
    "ask_info": _l("More information asked"),
    "resubmit": _l("Changed and sent again"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "close": _l("Closed"),
    "reopen": _l("Reopened"),
    "feature": _l("Marked as featured"),
    "unfeature": _l("No longer featured"),
    "flag": _l("Flagged as idle"),
    "clear_flag": _l("Flag cleared"),
    "exempt": _l("Exempted from monitoring"),
    "unexempt": _l("Monitored again"),
    "message": _l("Message to the moderators"),
}
NOT_FROM = {
    GroupState.PENDING: _l("This group is still waiting for approval."),
    GroupState.NEEDS_INFO: _l("This group waits for its creator to answer the question."),
    GroupState.ACTIVE: _l("This group is already active."),
    GroupState.REJECTED: _l("This group was rejected: nothing more can be done with it."),
    GroupState.CLOSED: _l("This group is closed."),
}


def may_act(user, group, action):
    """Whether `user` may take `action` (whatever the group's state): central staff for
    decisions, the creator for resubmitting, nobody by hand for flags."""
    who = ACTIONS[action].who
    if who == "staff":
        return user is not None and user.role == Role.CSS and not user.disabled
    if who == "creator":
        return user is not None and group is not None and group.creator_id == user.id
    return user is None  # "system": the scheduled maintenance


def act(group, action, actor, text="", *, settings=None, now=None):
    """Take `action` on `group` (see ACTIONS). Raises GroupError when the state or the actor
    does not allow it or a needed text is missing. Returns the GroupNote recorded."""
    spec = ACTIONS.get(action)
    if spec is None or not spec.sources:
        raise GroupError(str(_l("This action does not exist.")))
    if not may_act(actor, group, action):
        raise GroupError(str(_l("Only central support staff may do this.")
                             if spec.who == "staff" else _l("You may not do this.")))
    text = (text or "").strip()
    if spec.needs_text and not text:
        raise GroupError(str(_l("Please write a reason or a question for the creator.")))
    now = now or utcnow()
    with db.atomic():
        # Two staff clicking at once: one wins, the other reads the state it left. A write
        # first takes the row (PostgreSQL) or the database (SQLite) before the state is read
        # again, so no transaction decides on a state another is changing.
        Group.update(state=Group.state).where(Group.id == group.id).execute()
        fresh = Group.get_by_id(group.id)
        if fresh.state not in spec.sources:
            raise GroupError(str(NOT_FROM[fresh.state]))
        _apply(fresh, action, now)
        fresh.save()
        note = GroupNote.create(group=fresh, author=getattr(actor, "id", None), action=action,
                                text=text, created_at=now)
        if spec.who == "staff":
            audit.record(actor, f"group.{action}", fresh, detail=text,
                         country=creator_country(fresh))
        _keep_space_in_step(fresh, now)
    group_search.index_group(fresh)  # listed while active, featured first
    group.__data__.update(fresh.__data__)
    if spec.notify and settings is not None:
        tell_creator(settings, fresh, spec.notify)
    return note


def creator_country(group):
    """A group's country for the audit log: its creator's (groups have none of their own)."""
    creator = User.get_or_none(User.id == group.creator_id) if group.creator_id else None
    return creator.country if creator else None


def _apply(group, action, now):
    spec = ACTIONS[action]
    if spec.target is not None:
        group.state = spec.target
    if action == "approve":
        group.approved_at = now
    elif action == "resubmit":
        group.submitted_at = now
    elif action == "reopen":
        group.flagged_at = None
    elif action in ("feature", "unfeature"):
        group.featured = action == "feature"
    elif action == "flag":
        group.flagged_at = now
    elif action == "clear_flag":
        group.flagged_at = None
    elif action in ("exempt", "unexempt"):
        group.exempt = action == "exempt"
        group.flagged_at = None


def _keep_space_in_step(group, now):
    """Closed and rejected groups are read-only (permissions.space_is_writable)."""
    space = Space.get_by_id(group.space_id)
    if group.state in (GroupState.CLOSED, GroupState.REJECTED):
        spaces.close(space, now)
    else:
        spaces.reopen(space)


def tell_creator(settings, group, message):
    """Notify the creator (Live and mail, in their language) of a step of their request."""
    from flask import url_for

    from blueprints.spaces import parents
    from services import notify
    if not group.creator_id:
        return
    creator = User.get_by_id(group.creator_id)
    space = Space.get_by_id(group.space_id)
    # A question or a refusal is read (and answered) on the request's own page.
    link = url_for("groups.request", group_id=group.id) if group.state in (
        GroupState.NEEDS_INFO, GroupState.REJECTED) else parents.url_for_space(space, "home")
    notify.notify(settings, creator, "group_decision", f"group:{group.id}", message, link,
                  title=space.title)


def create(creator, *, title, description, objectives, is_open, languages, topics,
           welcome="", featured=False, moderators=(), logo_id=None, now=None):
    """A new group: requested by a teacher (pending), or created by central staff as a
    featured group (active at once, with the moderators they name)."""
    now = now or utcnow()
    action = "created_featured" if featured else "submitted"
    if not may_act(creator, None if featured else Group(creator=creator.id), action):
        raise GroupError(str(_l("You may not create this group.")))
    with db.atomic():
        space = Space.create(kind=SpaceKind.GROUP, title=title, description=description,
                             logo_id=logo_id, created_at=now)
        group = Group.create(space=space, creator=creator.id, is_open=is_open,
                             objectives=objectives, topics=topics, welcome=welcome,
                             featured=featured, created_at=now, submitted_at=now,
                             approved_at=now if featured else None,
                             state=ACTIONS[action].target)
        set_languages(group, languages)
        for person in (moderators if featured else [creator]):
            spaces.join(space, person, SpaceRole.MODERATOR)
        GroupNote.create(group=group, author=creator.id, action=action, created_at=now)
        if featured:
            audit.record(creator, "group.create_featured", (
                "group", group.id, title), detail=", ".join(p.name for p in moderators))
    group_search.index_group(group)
    return group


def update(group, values, logo_id=None, remove_logo=False):
    """Save what a group's request says (`values` as GroupForm.values() gives them): on its
    space (title, description, image) and on the group. The caller re-indexes."""
    with db.atomic():
        space = Space.get_by_id(group.space_id)
        space.title, space.description = values["title"], values["description"]
        if logo_id:
            space.logo_id = logo_id
        elif remove_logo:
            space.logo_id = None
        space.save()
        group.is_open, group.objectives = values["is_open"], values["objectives"]
        group.topics, group.welcome = values["topics"], values["welcome"]
        group.save(only=[Group.is_open, Group.objectives, Group.topics, Group.welcome])
        set_languages(group, values["languages"])


def set_languages(group, codes):
    GroupLanguage.delete().where(GroupLanguage.group == group).execute()
    for code in dict.fromkeys(codes):
        GroupLanguage.create(group=group, code=code)


def of_space(space):
    """The Group row of a space of kind "group"."""
    return Group.get_or_none(Group.space == space.id)


def moderator_ids(space):
    return {uid for (uid,) in Membership.select(Membership.user)
            .where(Membership.space == space.id, Membership.role == SpaceRole.MODERATOR)
            .tuples()}


def history(group):
    """The group's steps, oldest first, with their authors."""
    from peewee import JOIN
    return list(GroupNote.select(GroupNote, User)
                .join(User, JOIN.LEFT_OUTER, on=(GroupNote.author == User.id))
                .where(GroupNote.group == group)
                .order_by(GroupNote.created_at, GroupNote.id))
