"""Requesting a group (G-2), following and resubmitting the request, central staff's queue
and decisions (G-3), featured groups (G-6): every field's check, who may do what, and 404s
for what is not one's own."""
import io

import pytest
from PIL import Image
from tests.factories import make_user

from models import Group, GroupNote, GroupState, Notification, Role, Space
from services import groups

GOOD = {"title": "Rivers of Europe", "description": "We study rivers.",
        "objectives": "Measure water quality.", "access": "open", "languages": ["en", "es"],
        "topics": "rivers, water, science", "welcome": "Welcome!"}


@pytest.fixture
def people(app):
    return {"teacher": make_user(name="Tere Teacher"),
            "other": make_user(name="Otto Teacher"),
            "unvalidated": make_user(name="Una Unvalidated", validated=False),
            "pupil": make_user(Role.STUDENT),
            "css": make_user(Role.CSS, name="Cora Central"),
            "nss": make_user(Role.NSS, name="Nina National", country="ES"),
            "nss_fr": make_user(Role.NSS, name="Noe National", country="FR")}


def request_group(teacher, state=GroupState.PENDING, title="Rivers of Europe"):
    group = groups.create(teacher, title=title, description="About rivers", objectives="Learn",
                          is_open=True, languages=["en"], topics="rivers")
    Group.update(state=state).where(Group.id == group.id).execute()
    return Group.get_by_id(group.id)


def png():
    data = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(data, "PNG")
    data.seek(0)
    return data


# --- The request form (G-2) ----------------------------------------------------------------

def test_a_validated_teacher_requests_a_group(client, login, url, people):
    login(people["teacher"])
    page = client.get(url("groups.new"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "must be in English" in html or "in English" in html
    assert 'id="similar"' in html and 'aria-live="polite"' in html
    response = client.post(url("groups.new"), data=dict(GOOD, image=(png(), "r.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    group = Group.get()
    assert response.headers["Location"].endswith(url("groups.request", group_id=group.id))
    space = Space.get_by_id(group.space_id)
    assert (space.title, space.description) == ("Rivers of Europe", "We study rivers.")
    assert space.logo_id is not None
    assert group.state == GroupState.PENDING and group.is_open
    assert group.topic_list == ["rivers", "water", "science"]
    assert sorted(gl.code for gl in group.languages) == ["en", "es"]
    assert group.creator_id == people["teacher"].id
    assert groups.moderator_ids(space) == {people["teacher"].id}


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Enter a title"),
    ("title", "x" * 201, "at most 200 characters"),
    ("description", "", "Describe the group in English"),
    ("objectives", "  ", "objectives in English"),
    ("access", "", "Choose who can take part"),
    ("access", "secret", "Choose who can take part"),
    ("languages", [], "Choose at least one language"),
    ("languages", ["xx"], "Choose languages from the list"),
    ("topics", "", "at least one topic"),
    ("topics", " , ,", "at least one topic"),
    ("topics", "a,b,c,d,e,f,g,h,i", "at most 8 topics"),
    ("topics", "y" * 41, "at most 40 characters"),
    ("welcome", "w" * 2001, "at most 2000 characters"),
])
def test_each_wrong_field_is_told_next_to_it_and_nothing_is_lost(client, login, url, people,
                                                                 field, value, message):
    login(people["teacher"])
    data = dict(GOOD, **{field: value})
    response = client.post(url("groups.new"), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="error-message"' in html
    if field != "title":
        assert "Rivers of Europe" in html  # what was typed stays
    if field != "objectives":
        assert "Measure water quality." in html or field == "objectives"
    assert Group.select().count() == 0


def test_an_image_that_is_not_an_image_is_refused(client, login, url, people):
    login(people["teacher"])
    response = client.post(url("groups.new"),
                           data=dict(GOOD, image=(io.BytesIO(b"not an image"), "x.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "must be a JPEG, PNG, GIF or WebP image" in response.get_data(as_text=True)
    assert Group.select().count() == 0


def test_the_form_needs_its_csrf_token(client, login, url, people):
    login(people["teacher"])
    response = client.post(url("groups.new"), data=GOOD, csrf=False)
    assert response.status_code in (400, 422)
    assert Group.select().count() == 0


def test_checking_for_similar_groups_keeps_the_form(client, login, url, people):
    login(people["teacher"])
    response = client.post(url("groups.new"), data=dict(GOOD, check="1"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Rivers of Europe" in html and "rivers, water, science" in html
    assert Group.select().count() == 0


def test_an_unvalidated_teacher_is_told_why_not(client, login, url, people):
    login(people["unvalidated"])
    for response in (client.get(url("groups.new")), client.post(url("groups.new"), data=GOOD)):
        assert response.status_code == 403
        assert "National support staff must validate your account" in \
            response.get_data(as_text=True)
    assert Group.select().count() == 0


@pytest.mark.parametrize("who", ["pupil", "css", "nss"])
def test_others_may_not_request_a_group(client, login, url, people, who):
    login(people[who])
    assert client.get(url("groups.new")).status_code == 403
    assert client.post(url("groups.new"), data=GOOD).status_code == 403
    assert Group.select().count() == 0


def test_visitors_who_are_not_logged_in_go_to_log_in(client, url):
    response = client.get(url("groups.new"))
    assert response.status_code in (302, 303)


# --- The request page and resubmitting -----------------------------------------------------

def test_the_creator_follows_her_request(client, login, url, people):
    group = request_group(people["teacher"])
    login(people["teacher"])
    html = client.get(url("groups.request", group_id=group.id)).get_data(as_text=True)
    assert "Waiting for approval" in html and "Rivers of Europe" in html
    assert "Edit and send again" not in html


@pytest.mark.parametrize("who", ["other", "nss", "pupil"])
def test_another_persons_request_is_not_found(client, login, url, people, who):
    group = request_group(people["teacher"], GroupState.NEEDS_INFO)
    login(people[who])
    assert client.get(url("groups.request", group_id=group.id)).status_code == 404
    response = client.post(url("groups.request", group_id=group.id),
                           data=dict(GOOD, answer="Mine now"))
    assert response.status_code == 404
    assert Group.get_by_id(group.id).state == GroupState.NEEDS_INFO


def test_a_guessed_request_id_is_not_found(client, login, url, people):
    login(people["teacher"])
    assert client.get(url("groups.request", group_id=9999)).status_code == 404
    login(people["css"])
    assert client.get(url("admin.group", group_id=9999)).status_code == 404


def test_central_staff_read_the_request_page_without_the_form(client, login, url, people):
    group = request_group(people["teacher"], GroupState.NEEDS_INFO)
    login(people["css"])
    html = client.get(url("groups.request", group_id=group.id)).get_data(as_text=True)
    assert "Rivers of Europe" in html and "Edit and send again" not in html
    response = client.post(url("groups.request", group_id=group.id),
                           data=dict(GOOD, answer="x"))
    assert response.status_code == 404


def ask(app, group, staff, question="Which countries?"):
    with app.test_request_context():
        groups.act(group, "ask_info", staff, question, settings=app.config)


def test_she_edits_answers_and_sends_again(app, client, login, url, people):
    group = request_group(people["teacher"])
    ask(app, group, people["css"])
    login(people["teacher"])
    page = client.get(url("groups.request", group_id=group.id)).get_data(as_text=True)
    assert "Which countries?" in page and "Edit and send again" in page
    assert "More information asked" in page
    response = client.post(url("groups.request", group_id=group.id),
                           data=dict(GOOD, title="Rivers of Spain", access="invitation",
                                     answer="Spain and Portugal"))
    assert response.status_code == 303
    group = Group.get_by_id(group.id)
    assert group.state == GroupState.PENDING and not group.is_open
    assert Space.get_by_id(group.space_id).title == "Rivers of Spain"
    assert sorted(gl.code for gl in group.languages) == ["en", "es"]
    last = GroupNote.select().where(GroupNote.group == group).order_by(GroupNote.id.desc()).get()
    assert (last.action, last.text) == ("resubmit", "Spain and Portugal")
    html = client.get(url("groups.request", group_id=group.id)).get_data(as_text=True)
    assert "Spain and Portugal" in html and "Changed and sent again" in html


def test_the_answer_is_required_and_changes_nothing_without_it(app, client, login, url,
                                                               people):
    group = request_group(people["teacher"])
    ask(app, group, people["css"])
    login(people["teacher"])
    response = client.post(url("groups.request", group_id=group.id),
                           data=dict(GOOD, title="Changed", answer=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write your answer" in html and "Changed" in html
    assert Group.get_by_id(group.id).state == GroupState.NEEDS_INFO
    assert Space.get_by_id(group.space_id).title == "Rivers of Europe"


def test_resubmitting_twice_is_a_clear_refusal(app, client, login, url, people):
    group = request_group(people["teacher"])
    ask(app, group, people["css"])
    login(people["teacher"])
    data = dict(GOOD, answer="Spain")
    assert client.post(url("groups.request", group_id=group.id), data=data).status_code == 303
    again = client.post(url("groups.request", group_id=group.id),
                        data=dict(data, title="Sneaky change"))
    assert again.status_code == 409
    assert "still waiting for approval" in again.get_data(as_text=True)
    assert Space.get_by_id(group.space_id).title == "Rivers of Europe"
    assert GroupNote.select().where(GroupNote.action == "resubmit").count() == 1


# --- Staff's queue and decisions (G-3) -----------------------------------------------------

def test_the_queue_shows_pending_requests_oldest_first(client, login, url, people):
    import datetime
    first = request_group(people["teacher"], title="Oldest group")
    second = request_group(people["other"], title="Newest group")
    Group.update(submitted_at=first.submitted_at - datetime.timedelta(days=3)).where(
        Group.id == first.id).execute()
    request_group(people["other"], GroupState.ACTIVE, title="Running group")
    login(people["css"])
    html = client.get(url("admin.groups")).get_data(as_text=True)
    assert html.index("Oldest group") < html.index("Newest group")
    assert "Running group" not in html
    assert url("admin.group", group_id=second.id) in html
    active = client.get(url("admin.groups", state="active")).get_data(as_text=True)
    assert "Running group" in active and "Oldest group" not in active
    dashboard = client.get(url("admin.dashboard")).get_data(as_text=True)
    assert url("admin.groups") in dashboard and "2 waiting" in dashboard


@pytest.mark.parametrize("who, status", [("nss", (403, 404)), ("teacher", (403, 404)),
                                         ("pupil", (403, 404))])
def test_only_central_staff_have_the_queue(client, login, url, people, who, status):
    login(people[who])
    assert client.get(url("admin.groups")).status_code in status
    assert client.get(url("admin.group_new")).status_code in status


def test_national_staff_do_not_see_the_queue_link(client, login, url, people):
    login(people["nss"])
    assert url("admin.groups") not in client.get(url("admin.dashboard")).get_data(as_text=True)


def test_national_staff_read_their_countrys_requests_without_acting(client, login, url,
                                                                    people):
    group = request_group(people["teacher"])  # a teacher of ES
    login(people["nss"])
    html = client.get(url("admin.group", group_id=group.id)).get_data(as_text=True)
    assert "Rivers of Europe" in html and "Approve" not in html
    response = client.post(url("admin.group_act", group_id=group.id, action="approve"))
    assert response.status_code in (403, 404)
    assert Group.get_by_id(group.id).state == GroupState.PENDING
    login(people["nss_fr"])
    assert client.get(url("admin.group", group_id=group.id)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "other"])
def test_teachers_cannot_open_or_act_on_the_admin_page(client, login, url, people, who):
    group = request_group(people["teacher"])
    login(people[who])
    assert client.get(url("admin.group", group_id=group.id)).status_code in (403, 404)
    response = client.post(url("admin.group_act", group_id=group.id, action="approve"))
    assert response.status_code in (403, 404)
    assert Group.get_by_id(group.id).state == GroupState.PENDING


def test_central_staff_approve(client, login, url, people):
    group = request_group(people["teacher"])
    login(people["css"])
    page = client.get(url("admin.group", group_id=group.id)).get_data(as_text=True)
    for button in ("Approve", "Reject", "Ask for more information"):
        assert button in page
    response = client.post(url("admin.group_act", group_id=group.id, action="approve"))
    assert response.status_code == 303
    assert Group.get_by_id(group.id).state == GroupState.ACTIVE
    note = Notification.get(Notification.recipient == people["teacher"].id)
    assert note.message == "group_approved"
    again = client.post(url("admin.group_act", group_id=group.id, action="approve"))
    assert again.status_code == 409
    assert "already active" in again.get_data(as_text=True)


@pytest.mark.parametrize("action, state, message", [
    ("reject", GroupState.REJECTED, "group_rejected"),
    ("ask_info", GroupState.NEEDS_INFO, "group_needs_info")])
def test_reject_and_ask_need_a_text(client, login, url, people, action, state, message):
    group = request_group(people["teacher"])
    login(people["css"])
    empty = client.post(url("admin.group_act", group_id=group.id, action=action),
                        data={"text": "  "})
    assert empty.status_code == 422
    html = empty.get_data(as_text=True)
    assert "Please write a reason or a question" in html
    assert f'id="{action}-text-error"' in html
    assert Group.get_by_id(group.id).state == GroupState.PENDING
    done = client.post(url("admin.group_act", group_id=group.id, action=action),
                       data={"text": "Please say more"})
    assert done.status_code == 303
    assert Group.get_by_id(group.id).state == state
    assert GroupNote.get(GroupNote.action == action).text == "Please say more"
    note = Notification.get(Notification.recipient == people["teacher"].id)
    assert note.message == message
    # The creator reads the question or the reason on her request's page.
    assert note.link == url("groups.request", group_id=group.id)


def test_acting_on_a_rejected_group_says_so(client, login, url, people):
    group = request_group(people["teacher"], GroupState.REJECTED)
    login(people["css"])
    response = client.post(url("admin.group_act", group_id=group.id, action="approve"))
    assert response.status_code == 409
    assert "was rejected" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["flag", "clear_flag", "resubmit", "delete"])
def test_other_actions_are_not_offered_here(client, login, url, people, action):
    group = request_group(people["teacher"], GroupState.ACTIVE)
    login(people["css"])
    response = client.post(url("admin.group_act", group_id=group.id, action=action))
    assert response.status_code == 404


def test_decisions_need_the_csrf_token(client, login, url, people):
    group = request_group(people["teacher"])
    login(people["css"])
    response = client.post(url("admin.group_act", group_id=group.id, action="approve"),
                           csrf=False)
    assert response.status_code in (400, 422)
    assert Group.get_by_id(group.id).state == GroupState.PENDING


# --- Featured groups (G-6) -----------------------------------------------------------------

def test_central_staff_create_a_featured_group(client, login, url, people):
    login(people["css"])
    assert client.get(url("admin.group_new")).status_code == 200
    moderators = f"{people['teacher'].email}, {people['other'].email.upper()}"
    response = client.post(url("admin.group_new"), data=dict(GOOD, moderators=moderators))
    assert response.status_code == 303
    group = Group.get()
    assert group.state == GroupState.ACTIVE and group.featured
    assert groups.moderator_ids(Space.get_by_id(group.space_id)) == {
        people["teacher"].id, people["other"].id}


@pytest.mark.parametrize("moderators, message", [
    ("", "at least one moderator"),
    ("nobody@example.org", "nobody@example.org is not the address of an active teacher"),
])
def test_a_featured_group_needs_active_teachers_as_moderators(client, login, url, people,
                                                               moderators, message):
    login(people["css"])
    response = client.post(url("admin.group_new"), data=dict(GOOD, moderators=moderators))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert Group.select().count() == 0


@pytest.mark.parametrize("who", ["unvalidated_disabled", "pupil", "nss"])
def test_only_active_teachers_moderate(client, login, url, people, who):
    person = (make_user(name="Gone", disabled=True) if who == "unvalidated_disabled"
              else people[who])
    login(people["css"])
    address = person.email or "nobody"
    response = client.post(url("admin.group_new"), data=dict(GOOD, moderators=address))
    assert response.status_code == 422
    assert Group.select().count() == 0


def test_mark_and_unmark_as_featured(client, login, url, people):
    group = request_group(people["teacher"], GroupState.ACTIVE)
    login(people["css"])
    assert "Mark as featured" in client.get(url("admin.group", group_id=group.id)).get_data(
        as_text=True)
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="feature")).status_code == 303
    assert Group.get_by_id(group.id).featured
    assert "Unmark as featured" in client.get(url("admin.group", group_id=group.id)).get_data(
        as_text=True)
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="unfeature")).status_code == 303
    assert not Group.get_by_id(group.id).featured
    pending = request_group(people["other"])
    refused = client.post(url("admin.group_act", group_id=pending.id, action="feature"))
    assert refused.status_code == 409


def test_staff_close_reopen_and_exempt_any_group_from_its_page(client, login, url, people):
    group = request_group(people["teacher"], GroupState.ACTIVE)
    login(people["nss"])
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="close")).status_code == 404
    login(people["css"])
    page = client.get(url("admin.group", group_id=group.id)).get_data(as_text=True)
    assert "Exempt from monitoring" in page and "Close the group" in page
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="exempt")).status_code == 303
    assert Group.get_by_id(group.id).exempt
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="close")).status_code == 303
    assert Space.get_by_id(group.space_id).closed_at is not None
    assert "Reopen the group" in client.get(url("admin.group", group_id=group.id)).get_data(
        as_text=True)
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="close")).status_code == 409  # closed already
    assert client.post(url("admin.group_act", group_id=group.id,
                           action="reopen")).status_code == 303
    assert Group.get_by_id(group.id).state == GroupState.ACTIVE
    assert Space.get_by_id(group.space_id).closed_at is None
