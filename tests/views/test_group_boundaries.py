"""Where a group's walls hold: its events, hidden content, who may join, national staff
without a country, and two staff deciding at once (found by review, issue 12)."""
import datetime
import threading

import pytest

from models import (Event, EventRegistration, Folder, Group, GroupNote, GroupState, Material,
                    Role, SpaceRole, Validation, utcnow)
from services import groups, permissions, spaces
from tests.conftest import switch
from tests.factories import make_group, make_space, make_user


@pytest.fixture
def closed_door(app):
    """An active group by invitation, its moderator, a member, and a teacher of no group."""
    moderator = make_user(name="Mona")
    space = make_space(moderator, "group", title="Quiet room")
    member = make_user(name="Mia")
    spaces.join(space, member, SpaceRole.MEMBER)
    return dict(space=space, group=Group.get(Group.space == space), moderator=moderator,
                member=member, outsider=make_user(name="Otto"))


def group_event(space, creator, title="SECRET-EVENT"):
    start = utcnow() + datetime.timedelta(days=3)
    return Event.create(creator=creator, space=space, title=title, starts_at=start,
                        ends_at=start + datetime.timedelta(hours=1),
                        link="https://meet.example.org/secret")


def test_an_invitation_only_groups_events_stay_inside_it(client, login, closed_door, url):
    event = group_event(closed_door["space"], closed_door["moderator"])
    login(closed_door["outsider"])
    assert "SECRET-EVENT" not in client.get(url("live.events")).get_data(as_text=True)
    assert "SECRET-EVENT" not in client.get(url("live.events", view="month")).get_data(
        as_text=True)
    assert client.get(url("live.event", event_id=event.id)).status_code == 404
    assert client.post(url("live.event_register", event_id=event.id)).status_code == 404
    assert not EventRegistration.select().exists()
    switch(client, closed_door["member"])
    assert "SECRET-EVENT" in client.get(url("live.events")).get_data(as_text=True)
    assert client.get(url("live.event", event_id=event.id)).status_code == 200


def test_an_open_groups_events_are_seen_by_teachers(client, login, closed_door, url):
    closed_door["group"].is_open = True
    closed_door["group"].save()
    event = group_event(closed_door["space"], closed_door["moderator"], "Open evening")
    login(closed_door["outsider"])
    assert "Open evening" in client.get(url("live.events")).get_data(as_text=True)
    assert client.get(url("live.event", event_id=event.id)).status_code == 200


def test_a_hidden_material_leaves_the_home_and_the_readers(client, login, closed_door,
                                                            space_url):
    space, moderator = closed_door["space"], closed_door["moderator"]
    folder = Folder.create(space=space, kind="document", title="Docs", created_by=moderator)
    material = Material.create(space=space, folder=folder, kind="link", title="Spam shop",
                               url="https://shop.example.org", created_by=moderator,
                               hidden_at=utcnow())
    member = closed_door["member"]
    membership = spaces.membership(space, member)
    assert not permissions.can_see_material(member, space, membership, material)
    assert permissions.can_see_material(moderator, space, spaces.membership(space, moderator),
                                        material)
    login(member)
    assert "Spam shop" not in client.get(space_url(space, "home")).get_data(as_text=True)
    switch(client, moderator)
    assert "Spam shop" in client.get(space_url(space, "home")).get_data(as_text=True)


def test_teachers_not_yet_validated_may_not_join(client, login, closed_door, url):
    closed_door["group"].is_open = True
    closed_door["group"].save()
    waiting = make_user(validated=False)
    assert waiting.validation != Validation.VALIDATED
    login(waiting)
    assert client.post(url("groups.join", space_id=closed_door["space"].id)).status_code == 404
    assert spaces.membership(closed_door["space"], waiting) is None


@pytest.mark.parametrize("state", ["pending", "needs_info", "rejected", "closed"])
def test_a_group_that_takes_nobody_is_not_there_for_joiners(client, login, url, state):
    staff = make_user(Role.CSS)
    group = make_group(staff, "Hidden", state=state, is_open=False)
    login(make_user())
    assert client.get(url("groups.ask", space_id=group.space_id)).status_code == 404
    assert client.post(url("groups.join", space_id=group.space_id)).status_code == 404


def test_national_staff_without_a_country_read_no_group(app, closed_door):
    css = make_user(Role.CSS)
    featured = groups.create(css, title="Featured", description="d", objectives="o",
                             is_open=False, languages=["en"], topics="t", featured=True,
                             moderators=[closed_door["moderator"]])
    nowhere = make_user(Role.NSS, country=None)
    assert not permissions.can_read_group(nowhere, featured.space, featured)
    assert permissions.can_read_group(make_user(Role.NSS, country="ES"), closed_door["space"],
                                      closed_door["group"])  # the creator teaches in Spain


def test_two_staff_deciding_at_once_one_wins_the_other_is_told(app):
    staff_a, staff_b = make_user(Role.CSS), make_user(Role.CSS)
    group = make_group(staff_a, "Twice", state="pending")
    start, results = threading.Barrier(2), {}

    def decide(who, action, text=""):
        start.wait()
        try:
            groups.act(Group.get_by_id(group.id), action, who, text)
            results[action] = "done"
        except groups.GroupError as error:
            results[action] = str(error)
        finally:
            from models import db
            db.close()

    threads = [threading.Thread(target=decide, args=(staff_a, "approve")),
               threading.Thread(target=decide, args=(staff_b, "reject", "No."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()).count("done") == 1, results
    final = Group.get_by_id(group.id).state
    assert final in (GroupState.ACTIVE, GroupState.REJECTED)
    decisions = GroupNote.select().where(GroupNote.group == group,
                                         GroupNote.action.in_(["approve", "reject"])).count()
    assert decisions == 1
