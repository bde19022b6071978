"""Monitoring groups (G-7): when each space last saw activity, and flagging idle groups.

Activity is a forum post, a saved page, an added material or a new member (not a moderator:
naming moderators is how a group starts, not what it does). `flag_idle` is run by
`flask maintenance`; it never touches the Flask request, and takes `now` so that tests can
move the clock forward. Flags go through services.groups.act (actor None: the system)."""
import datetime

from peewee import fn

from models import (Discussion, Forum, Group, GroupNote, GroupState, Material, Membership, Page,
                    PageRevision, Post, Space, SpaceRole, User, utcnow)
from services import groups

NEW_GROUP_IDLE = datetime.timedelta(days=61)   # "a new group with no activity for two months"
OLD_GROUP_IDLE = datetime.timedelta(days=92)   # "an existing group inactive for three months"


def last_activity(space_ids):
    """{space_id: datetime of its latest activity} for the given spaces (four grouped
    selects in one query, whatever their number); a space with no activity at all is
    absent."""
    ids = list({int(i) for i in space_ids})
    if not ids:
        return {}
    queries = [
        (Post.select(Forum.space, fn.MAX(Post.created_at))
         .join(Discussion).join(Forum)
         .where(Forum.space.in_(ids)).group_by(Forum.space)),
        (PageRevision.select(Page.space, fn.MAX(PageRevision.created_at))
         .join(Page).where(Page.space.in_(ids)).group_by(Page.space)),
        (Material.select(Material.space, fn.MAX(Material.created_at))
         .where(Material.space.in_(ids)).group_by(Material.space)),
        (Membership.select(Membership.space, fn.MAX(Membership.created_at))
         .where(Membership.space.in_(ids), Membership.role != SpaceRole.MODERATOR)
         .group_by(Membership.space)),
    ]
    latest = {}
    union = queries[0]
    for query in queries[1:]:
        union = union + query  # UNION ALL: one round trip to the database, not four
    for space_id, when in union.tuples():
        when = _as_datetime(when)
        if when is not None and (space_id not in latest or when > latest[space_id]):
            latest[space_id] = when
    return latest


def _as_datetime(value):
    """MAX() over a DateTimeField comes back as text on SQLite."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    text = str(value)
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def is_idle(group, last, now):
    """Whether `group` (approved at group.approved_at) is idle at `now`, given its last
    activity `last` (None: none at all): no activity since its approval for two months, or
    none for three months since its latest."""
    start = group.approved_at or group.created_at
    if last is None or last <= start:
        return now - start > NEW_GROUP_IDLE
    return now - last > OLD_GROUP_IDLE


# Staff's decisions after which a group gets a new three months (a cleared flag lasts).
RESTARTS = ("clear_flag", "reopen", "unexempt")


def staff_restarts(group_ids):
    """{group id: when central staff last cleared its flag, reopened it or monitored it
    again}: monitoring counts from then as from an activity (one grouped query)."""
    if not group_ids:
        return {}
    rows = (GroupNote.select(GroupNote.group, fn.MAX(GroupNote.created_at))
            .where(GroupNote.group.in_(list(group_ids)), GroupNote.action.in_(RESTARTS))
            .group_by(GroupNote.group).tuples())
    return {gid: _as_datetime(when) for gid, when in rows if when is not None}


def idle_candidates():
    """Active groups that monitoring looks at: not exempt, not flagged already."""
    return list(Group.select().where(Group.state == GroupState.ACTIVE,
                                     Group.exempt == False,  # noqa: E712
                                     Group.flagged_at.is_null()))


def flag_idle(now=None):
    """Flag every idle group (see is_idle); return the groups flagged now. Running it again
    flags nothing new: a flagged group waits for central staff."""
    now = now or utcnow()
    candidates = idle_candidates()
    latest = last_activity([g.space_id for g in candidates])
    restarts = staff_restarts([g.id for g in candidates])
    flagged = []
    for group in candidates:
        last = max((t for t in (latest.get(group.space_id), restarts.get(group.id)) if t),
                   default=None)
        if is_idle(group, last, now):
            try:
                groups.act(group, "flag", None, now=now)
            except groups.GroupError:
                continue  # its state changed meanwhile (closed by staff): leave it
            flagged.append(group)
    return flagged


def watch_rows(state, flagged_only=True):
    """The groups on the staff's watch page: flagged active groups (or closed ones), each
    with .space, .last (latest activity or None) and .moderators (Users)."""
    query = Group.select(Group, Space).join(Space).where(Group.state == state)
    if flagged_only:
        query = query.where(Group.flagged_at.is_null(False))
    rows = list(query.order_by(Group.flagged_at, Group.id).limit(200))
    if not rows:
        return []
    latest = last_activity([g.space_id for g in rows])
    people = {}
    for membership, user in ((m, m.user) for m in Membership.select(Membership, User)
                             .join(User).where(Membership.space.in_([g.space_id for g in rows]),
                                               Membership.role == SpaceRole.MODERATOR)
                             .order_by(User.name)):
        people.setdefault(membership.space_id, []).append(user)
    for group in rows:
        group.last = latest.get(group.space_id)
        group.moderators = people.get(group.space_id, [])
    return rows


def flagged_count():
    return Group.select().where(Group.state == GroupState.ACTIVE,
                                Group.flagged_at.is_null(False)).count()
