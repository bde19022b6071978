"""Every transition of a group's state machine (services/groups.py), from every state, by
whom it is allowed and refused; the history it writes, the space's read-only mark, and the
creator's notification in their own language."""
import json

import pytest
from tests.factories import make_user

from models import Group, GroupNote, GroupState, Notification, Role, Space
from services import groups

MANUAL = {name: spec for name, spec in groups.ACTIONS.items() if spec.sources}


@pytest.fixture
def people(app):
    return {"creator": make_user(name="Carmen Creator", language="es"),
            "other": make_user(name="Otto Teacher"),
            "css": make_user(Role.CSS, name="Cora Central"),
            "nss": make_user(Role.NSS, name="Nina National", country="ES")}


def new_group(creator, state=GroupState.PENDING, **extra):
    group = groups.create(creator, title="Rivers of Europe", description="About rivers",
                          objectives="Learn", is_open=True, languages=["en", "es"],
                          topics="rivers, water")
    Group.update(state=state, **extra).where(Group.id == group.id).execute()
    return Group.get_by_id(group.id)


def actor_for(spec, people):
    return {"staff": people["css"], "creator": people["creator"], "system": None}[spec.who]


def notes(group):
    return [n.action for n in GroupNote.select().where(GroupNote.group == group)
            .order_by(GroupNote.id)]


@pytest.mark.parametrize("state", GroupState.ALL)
@pytest.mark.parametrize("action", sorted(MANUAL))
def test_every_action_from_every_state(app, people, action, state):
    spec = MANUAL[action]
    with app.test_request_context():
        group = new_group(people["creator"], state)
        before = notes(group)
        if state in spec.sources:
            note = groups.act(group, action, actor_for(spec, people), "Because",
                              settings=app.config)
            fresh = Group.get_by_id(group.id)
            assert fresh.state == (spec.target or state)
            assert group.state == fresh.state  # the caller's object is kept in step
            assert notes(group) == before + [action]
            assert note.text == "Because" and note.action == action
        else:
            with pytest.raises(groups.GroupError) as error:
                groups.act(group, action, actor_for(spec, people), "Because",
                           settings=app.config)
            assert str(error.value) == str(groups.NOT_FROM[state])
            assert Group.get_by_id(group.id).state == state
            assert notes(group) == before


@pytest.mark.parametrize("action", sorted(a for a, s in MANUAL.items() if s.who == "staff"))
@pytest.mark.parametrize("who", ["creator", "other", "nss"])
def test_staff_actions_are_refused_to_teachers_and_national_staff(app, people, action, who):
    spec = MANUAL[action]
    group = new_group(people["creator"], spec.sources[0])
    with pytest.raises(groups.GroupError, match="Only central support staff may do this."):
        groups.act(group, action, people[who], "Because")
    assert Group.get_by_id(group.id).state == spec.sources[0]


@pytest.mark.parametrize("who", ["other", "css", "nss"])
def test_only_the_creator_resubmits(app, people, who):
    group = new_group(people["creator"], GroupState.NEEDS_INFO)
    with pytest.raises(groups.GroupError, match="You may not do this."):
        groups.act(group, "resubmit", people[who], "Here it is")
    assert Group.get_by_id(group.id).state == GroupState.NEEDS_INFO


def test_nobody_raises_a_flag_by_hand(app, people):
    group = new_group(people["creator"], GroupState.ACTIVE)
    for who in ("css", "creator"):
        with pytest.raises(groups.GroupError, match="You may not do this."):
            groups.act(group, "flag", people[who])
    assert Group.get_by_id(group.id).flagged_at is None


@pytest.mark.parametrize("action", ["submitted", "created_featured", "nonsense"])
def test_creation_steps_and_unknown_actions_cannot_be_taken(app, people, action):
    group = new_group(people["creator"])
    with pytest.raises(groups.GroupError, match="This action does not exist."):
        groups.act(group, action, people["css"])


@pytest.mark.parametrize("action", ["reject", "ask_info"])
@pytest.mark.parametrize("text", ["", "   "])
def test_reject_and_ask_info_need_a_text(app, people, action, text):
    group = new_group(people["creator"])
    with pytest.raises(groups.GroupError,
                       match="Please write a reason or a question for the creator."):
        groups.act(group, action, people["css"], text)
    assert Group.get_by_id(group.id).state == GroupState.PENDING
    assert notes(group) == ["submitted"]


def test_approving_twice_says_it_is_already_active(app, people):
    with app.test_request_context():
        group = new_group(people["creator"])
        groups.act(group, "approve", people["css"], settings=app.config)
        with pytest.raises(groups.GroupError, match="This group is already active."):
            groups.act(group, "approve", people["css"], settings=app.config)
    assert notes(group) == ["submitted", "approve"]
    assert Group.get_by_id(group.id).approved_at is not None


def test_resubmitting_twice_says_it_waits_for_approval(app, people):
    group = new_group(people["creator"], GroupState.NEEDS_INFO)
    groups.act(group, "resubmit", people["creator"], "More details")
    with pytest.raises(groups.GroupError, match="still waiting for approval"):
        groups.act(group, "resubmit", people["creator"], "More details")
    assert notes(group) == ["submitted", "resubmit"]


@pytest.mark.parametrize("action", sorted(MANUAL))
def test_a_rejected_group_takes_no_action(app, people, action):
    group = new_group(people["creator"], GroupState.REJECTED)
    spec = MANUAL[action]
    with pytest.raises(groups.GroupError) as error:
        groups.act(group, action, actor_for(spec, people), "x")
    assert str(error.value) == "This group was rejected: nothing more can be done with it."


def test_closing_makes_the_space_read_only_and_reopening_writable(app, people):
    with app.test_request_context():
        group = new_group(people["creator"], GroupState.ACTIVE)
        groups.act(group, "close", people["css"], settings=app.config)
        assert Space.get_by_id(group.space_id).closed_at is not None
        groups.act(group, "reopen", people["css"], settings=app.config)
        assert Space.get_by_id(group.space_id).closed_at is None


def test_rejecting_makes_the_space_read_only(app, people):
    with app.test_request_context():
        group = new_group(people["creator"])
        groups.act(group, "reject", people["css"], "Off topic", settings=app.config)
    assert Space.get_by_id(group.space_id).closed_at is not None


@pytest.mark.parametrize("action, message", [
    ("approve", "group_approved"), ("reject", "group_rejected"),
    ("ask_info", "group_needs_info")])
def test_the_creator_is_told_in_their_language(app, people, action, message):
    with app.test_request_context():
        group = new_group(people["creator"])
        groups.act(group, action, people["css"], "Why", settings=app.config)
    row = Notification.get(Notification.recipient == people["creator"].id)
    assert people["creator"].language == "es"
    assert row.kind == "group_decision" and row.message == message
    assert json.loads(row.params) == {"title": "Rivers of Europe"}
    assert row.subject_key == f"group:{group.id}"


def test_a_featured_group_is_active_at_once_with_its_moderators(app, people):
    moderator = people["other"]
    group = groups.create(people["css"], title="Climate", description="d", objectives="o",
                          is_open=True, languages=["en"], topics="climate", featured=True,
                          moderators=[moderator])
    assert group.state == GroupState.ACTIVE and group.featured
    assert groups.moderator_ids(Space.get_by_id(group.space_id)) == {moderator.id}
    assert notes(group) == ["created_featured"]


def test_teachers_cannot_create_featured_groups(app, people):
    with pytest.raises(groups.GroupError):
        groups.create(people["creator"], title="Climate", description="d", objectives="o",
                      is_open=True, languages=["en"], topics="climate", featured=True,
                      moderators=[people["creator"]])
