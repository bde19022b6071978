"""The staff's watch page of groups (G-7): central staff only (404 for everybody else), each
action through the state machine, a mail to the moderators kept in the group's history."""
import datetime

import pytest

from models import (Group, GroupNote, GroupState, MailRecipient, MailThread, Role, Space,
                    SpaceRole, utcnow)
from services import group_watch, spaces
from tests.factories import make_space, make_user


@pytest.fixture
def flagged(app):
    moderator = make_user(name="Mona Moderator")
    space = make_space(moderator, "group", title="Idle Rivers")
    second = make_user(name="Sam Second")
    spaces.join(space, second, SpaceRole.MODERATOR)
    group = Group.get(Group.space == space)
    group_watch.flag_idle(now=group.approved_at + datetime.timedelta(days=70))
    group = Group.get_by_id(group.id)
    assert group.flagged_at is not None
    return dict(group=group, space=space, moderator=moderator, second=second,
                staff=make_user(Role.CSS))


@pytest.mark.parametrize("role", [Role.TEACHER, Role.NSS, Role.STUDENT])
def test_only_central_staff_see_the_watch_page(client, login, url, flagged, role):
    login(make_user(role))
    assert client.get(url("admin.group_watch")).status_code == 404
    assert client.post(url("admin.group_watch_act", group_id=flagged["group"].id,
                           action="close")).status_code == 404
    assert client.get(url("admin.group_watch_message",
                          group_id=flagged["group"].id)).status_code == 404
    assert Group.get_by_id(flagged["group"].id).state == GroupState.ACTIVE


def test_the_moderator_of_the_group_does_not_see_it_either(client, login, url, flagged):
    login(flagged["moderator"])
    assert client.get(url("admin.group_watch")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, url, flagged):
    response = client.get(url("admin.group_watch"))
    assert response.status_code in (302, 303) and "login" in response.headers["Location"]


def test_staff_see_flagged_groups_with_moderators_and_dates(client, login, url, flagged):
    login(flagged["staff"])
    page = client.get(url("admin.group_watch")).get_data(as_text=True)
    assert "Idle Rivers" in page
    assert "Mona Moderator" in page and "Sam Second" in page
    assert "None since it started" in page
    dashboard = client.get(url("admin.dashboard")).get_data(as_text=True)
    assert url("admin.group_watch") in dashboard and "1 flagged" in dashboard


def test_close_then_reopen(client, login, url, flagged):
    login(flagged["staff"])
    group = flagged["group"]
    response = client.post(url("admin.group_watch_act", group_id=group.id, action="close"))
    assert response.status_code == 303
    assert Group.get_by_id(group.id).state == GroupState.CLOSED
    assert Space.get_by_id(flagged["space"].id).closed_at is not None
    page = client.get(url("admin.group_watch")).get_data(as_text=True)
    assert "Closed groups" in page and "Idle Rivers" in page
    client.post(url("admin.group_watch_act", group_id=group.id, action="reopen"))
    group = Group.get_by_id(group.id)
    assert group.state == GroupState.ACTIVE and group.flagged_at is None
    assert Space.get_by_id(flagged["space"].id).closed_at is None


def test_clear_the_flag(client, login, url, flagged):
    login(flagged["staff"])
    client.post(url("admin.group_watch_act", group_id=flagged["group"].id, action="clear_flag"))
    assert Group.get_by_id(flagged["group"].id).flagged_at is None
    assert "No group is flagged." in client.get(url("admin.group_watch")).get_data(as_text=True)


def test_exempt_and_undo(client, login, url, flagged):
    login(flagged["staff"])
    group = flagged["group"]
    client.post(url("admin.group_watch_act", group_id=group.id, action="exempt"))
    row = Group.get_by_id(group.id)
    assert row.exempt and row.flagged_at is None
    assert group_watch.flag_idle(now=utcnow() + datetime.timedelta(days=400)) == []
    page = client.get(url("admin.group_watch")).get_data(as_text=True)
    assert "Monitor again" in page
    client.post(url("admin.group_watch_act", group_id=group.id, action="unexempt"))
    assert not Group.get_by_id(group.id).exempt


def test_a_refused_action_is_a_message_not_a_500(client, login, url, flagged):
    login(flagged["staff"])
    group = flagged["group"]
    response = client.post(url("admin.group_watch_act", group_id=group.id, action="reopen"),
                           follow_redirects=True)
    assert response.status_code == 200
    assert "This group is already active." in response.get_data(as_text=True)
    assert client.post(url("admin.group_watch_act", group_id=group.id,
                           action="approve")).status_code == 404
    assert client.post(url("admin.group_watch_act", group_id=99999,
                           action="close")).status_code == 404


def test_actions_need_the_csrf_token(client, login, url, flagged):
    login(flagged["staff"])
    response = client.post(url("admin.group_watch_act", group_id=flagged["group"].id,
                               action="close"), csrf=False)
    assert response.status_code == 400
    assert Group.get_by_id(flagged["group"].id).state == GroupState.ACTIVE


def test_write_to_the_moderators(client, login, url, flagged):
    login(flagged["staff"])
    group = flagged["group"]
    address = url("admin.group_watch_message", group_id=group.id)
    assert client.get(address).status_code == 200
    response = client.post(address, data={"subject": "", "body": ""})
    assert response.status_code == 422
    assert "Enter a subject" in response.get_data(as_text=True)
    response = client.post(address, data={"subject": "Your group", "body": "Is all well?"})
    assert response.status_code == 303
    thread = MailThread.get(MailThread.subject == "Your group")
    readers = {r.user_id for r in MailRecipient.select()
               .where(MailRecipient.read_at.is_null())}
    assert readers == {flagged["moderator"].id, flagged["second"].id}
    assert thread.space_id is None
    note = GroupNote.get(GroupNote.group == group, GroupNote.action == "message")
    assert "Is all well?" in note.text and note.author_id == flagged["staff"].id
