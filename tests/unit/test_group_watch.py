"""Monitoring groups (G-7): the clock moves forward and idle groups get flagged."""
import datetime

from models import (Discussion, Forum, Group, GroupNote, GroupState, Post, SpaceRole,
                    utcnow)
from services import group_watch, spaces
from tests.factories import make_space, make_user

DAY = datetime.timedelta(days=1)


def _group(app, **changes):
    teacher = make_user()
    space = make_space(teacher, "group")
    group = Group.get(Group.space == space)
    for key, value in changes.items():
        setattr(group, key, value)
    group.save()
    return group, space, teacher


def _post(space, author, when):
    forum = Forum.create(space=space, title="F")
    talk = Discussion.create(forum=forum, author=author, title="T")
    return Post.create(discussion=talk, author=author, body="hello", created_at=when)


def _flagged(group):
    return Group.get_by_id(group.id).flagged_at is not None


def test_a_new_idle_group_is_flagged_after_61_days_not_before(app):
    group, space, _ = _group(app)
    start = group.approved_at
    assert group_watch.flag_idle(now=start + 60 * DAY) == []
    assert not _flagged(group)
    assert [g.id for g in group_watch.flag_idle(now=start + 62 * DAY)] == [group.id]
    assert _flagged(group)
    note = GroupNote.get(GroupNote.group == group, GroupNote.action == "flag")
    assert note.author_id is None  # the system


def test_a_group_with_a_post_at_day_50_is_not_flagged_at_day_62(app):
    group, space, teacher = _group(app)
    _post(space, teacher, group.approved_at + 50 * DAY)
    assert group_watch.flag_idle(now=group.approved_at + 62 * DAY) == []
    assert not _flagged(group)
    # ... but three months after that post it is.
    assert len(group_watch.flag_idle(now=group.approved_at + 143 * DAY)) == 1


def test_an_older_group_is_flagged_after_92_idle_days(app):
    group, space, teacher = _group(app)
    last = group.approved_at + 10 * DAY
    _post(space, teacher, last)
    assert group_watch.flag_idle(now=last + 91 * DAY) == []
    assert len(group_watch.flag_idle(now=last + 93 * DAY)) == 1


def test_a_new_member_counts_as_activity_a_moderator_does_not(app):
    group, space, _ = _group(app)
    spaces.join(space, make_user(), SpaceRole.MODERATOR)
    assert group_watch.last_activity([space.id]) == {}
    member = spaces.join(space, make_user(), SpaceRole.MEMBER)
    member.created_at = group.approved_at + 40 * DAY
    member.save()
    assert group_watch.last_activity([space.id])[space.id] == member.created_at
    assert group_watch.flag_idle(now=group.approved_at + 70 * DAY) == []


def test_last_activity_takes_the_latest_of_each_kind(app):
    group, space, teacher = _group(app)
    other, other_space, other_teacher = _group(app)
    when = utcnow() - 5 * DAY
    _post(space, teacher, when)
    _post(other_space, other_teacher, when - DAY)
    latest = group_watch.last_activity([space.id, other_space.id, 99999])
    assert latest == {space.id: when, other_space.id: when - DAY}
    assert group_watch.last_activity([]) == {}


def test_exempt_groups_are_never_flagged(app):
    group, _, _ = _group(app, exempt=True)
    assert group_watch.flag_idle(now=group.approved_at + 400 * DAY) == []
    assert not _flagged(group)


def test_closed_and_pending_groups_are_never_flagged(app):
    closed, _, _ = _group(app, state=GroupState.CLOSED)
    pending, _, _ = _group(app, state=GroupState.PENDING, approved_at=None)
    assert group_watch.flag_idle(now=utcnow() + 400 * DAY) == []
    assert not _flagged(closed) and not _flagged(pending)


def test_flagging_twice_does_not_duplicate(app):
    group, _, _ = _group(app)
    later = group.approved_at + 100 * DAY
    assert len(group_watch.flag_idle(now=later)) == 1
    assert group_watch.flag_idle(now=later + DAY) == []
    assert GroupNote.select().where(GroupNote.group == group,
                                    GroupNote.action == "flag").count() == 1


def test_flask_maintenance_flags_idle_groups(app, monkeypatch):
    group, _, _ = _group(app, approved_at=utcnow() - 70 * DAY)
    result = app.test_cli_runner().invoke(args=["maintenance"])
    assert result.exit_code == 0, result.output
    assert "Flagged 1 idle group" in result.output
    assert _flagged(group)


def test_a_cleared_flag_lasts_three_months_and_a_reopened_group_starts_afresh(app):
    from models import Role
    from services import groups
    staff = make_user(Role.CSS)
    group, space, _ = _group(app)
    start = group.approved_at
    assert group_watch.flag_idle(now=start + 62 * DAY)
    groups.act(group, "clear_flag", staff, now=start + 63 * DAY)
    assert group_watch.flag_idle(now=start + 64 * DAY) == []  # not undone the next night
    assert group_watch.flag_idle(now=start + 63 * DAY + 91 * DAY) == []
    assert [g.id for g in group_watch.flag_idle(now=start + 63 * DAY + 93 * DAY)] == [group.id]
    groups.act(group, "close", staff, now=start + 200 * DAY)
    groups.act(group, "reopen", staff, now=start + 201 * DAY)
    assert group_watch.flag_idle(now=start + 202 * DAY) == []
