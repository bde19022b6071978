"""The life of a group (G-4, G-5): joining an open group, asking to join one by invitation and
the moderators' answer, invitations accepted or declined on the Groups page, leaving (never the
last moderator), the welcome message, the start checklist and its ice-breaker, the group's
settings and events — for every role (moderator, member, non-member teacher, pupil, national
staff, central staff, logged out), refusals included."""
import datetime
import io

import pytest
from PIL import Image

from models import (Discussion, Event, Folder, Group, GroupInvitation, GroupLanguage,
                    GroupState, MailRecipient, MailThread, Material, Membership, Notification,
                    Role, Space, SpaceRole, User, utcnow)
from services import chat, forums, group_members, pages, spaces, storage
from tests.conftest import log_out, switch
from tests.factories import make_space, make_user


def png():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 200)).save(out, "PNG")
    out.seek(0)
    return out


def member(space, user):
    return Membership.get_or_none(Membership.space == space, Membership.user == user)


def group_of(space):
    return Group.get(Group.space == space)


@pytest.fixture
def people(app):
    """An active group run by `moderator` (with a welcome message) and one `member`; a
    `teacher` of no group, a pupil of another space, national staff of the creator's country
    and elsewhere, central staff."""
    moderator = make_user(name="Marta Moderadora", country="ES")
    space = make_space(moderator, "group", title="Ríos de Europa")
    group = group_of(space)
    group.welcome = "¡Bienvenidos! Presentaos en el foro."
    group.save()
    the_member = make_user(name="Pablo Miembro")
    spaces.join(space, the_member, SpaceRole.MEMBER)
    pupil = make_user("student")
    spaces.join(make_space(make_user(), "twinspace"), pupil, SpaceRole.STUDENT)
    return dict(space=space, group=group, moderator=moderator, member=the_member,
                teacher=make_user(name="Tomás Profesor", country="PT"), pupil=pupil,
                nss=make_user(Role.NSS, country="ES"), far_nss=make_user(Role.NSS, country="FR"),
                css=make_user(Role.CSS))


def make_open(group):
    group.is_open = True
    group.save()


# --- Joining an open group -----------------------------------------------------------------

def test_a_teacher_joins_an_open_group_and_is_welcomed(client, login, people, space_url, url):
    space, group = people["space"], people["group"]
    make_open(group)
    login(people["teacher"])
    home = client.get(space_url(space, "home")).get_data(as_text=True)
    assert "Join this group" in home and "Leave the group" not in home
    response = client.post(url("groups.join", space_id=space.id))
    assert response.status_code == 303
    assert member(space, people["teacher"]).role == SpaceRole.MEMBER
    # The welcome: on the home (a notice) and as a group mail from the moderator.
    home = client.get(space_url(space, "home")).get_data(as_text=True)
    assert "Presentaos en el foro" in home and "Join this group" not in home
    thread = (MailThread.select().join_from(MailThread, Space)
              .where(MailThread.space == space).get())
    assert "Ríos de Europa" in thread.subject
    assert MailRecipient.select().where(MailRecipient.user == people["teacher"].id).exists()
    # Joining twice is harmless: still one membership, no second welcome.
    assert client.post(url("groups.join", space_id=space.id)).status_code == 303
    assert Membership.select().where(Membership.space == space).count() == 3
    assert MailThread.select().where(MailThread.space == space).count() == 1


def test_only_active_groups_take_members(client, login, people, url):
    """A group that takes nobody (waiting, closed, rejected) is not there for joiners."""
    space, group = people["space"], people["group"]
    make_open(group)
    login(people["teacher"])
    for state in (GroupState.PENDING, GroupState.CLOSED, GroupState.REJECTED):
        group.state = state
        group.save()
        assert client.post(url("groups.join", space_id=space.id)).status_code == 404
        assert member(space, people["teacher"]) is None
        assert client.get(url("groups.ask", space_id=space.id)).status_code == 404


@pytest.mark.parametrize("who", ["pupil", "nss", "css", "member", "moderator"])
def test_who_may_not_join(client, login, people, url, who):
    """Not teachers (pupils, staff): 404; members are members already (joining again only
    leads home; asking does not exist for them)."""
    make_open(people["group"])
    login(people[who])
    before = Membership.select().count()
    response = client.post(url("groups.join", space_id=people["space"].id))
    assert response.status_code == (303 if who in ("member", "moderator") else 404)
    assert client.get(url("groups.ask", space_id=people["space"].id)).status_code == 404
    assert Membership.select().count() == before
    assert member(people["space"], people["moderator"]).role == SpaceRole.MODERATOR


def test_logged_out_people_log_in_first(client, people, url):
    make_open(people["group"])
    response = client.post(url("groups.join", space_id=people["space"].id))
    assert response.status_code in (302, 303) and "login" in response.headers["Location"]
    assert member(people["space"], people["teacher"]) is None


def test_join_on_an_invitation_only_group_leads_to_asking(client, login, people, url):
    login(people["teacher"])
    response = client.post(url("groups.join", space_id=people["space"].id))
    assert response.status_code == 303 and response.headers["Location"].endswith("/ask")
    assert member(people["space"], people["teacher"]) is None


# --- Asking to join an invitation-only group -----------------------------------------------

def test_ask_then_the_moderator_accepts(client, login, people, url, space_url):
    space, moderator, teacher = people["space"], people["moderator"], people["teacher"]
    login(teacher)
    page = client.get(url("groups.ask", space_id=space.id)).get_data(as_text=True)
    assert "Ask to join" in page and "Ríos de Europa" in page
    long = client.post(url("groups.ask", space_id=space.id), data={"message": "x" * 1001})
    assert long.status_code == 422 and "at most 1000 characters" in long.get_data(as_text=True)
    assert client.post(url("groups.ask", space_id=space.id),
                       data={"message": "Enseño geografía en Oporto"}).status_code == 303
    row = GroupInvitation.get(GroupInvitation.user == teacher.id)
    assert (row.kind, row.state) == ("request", "pending")
    assert "waiting for the moderators" in client.get(
        url("groups.ask", space_id=space.id)).get_data(as_text=True)
    # Still no access to the content while waiting.
    assert client.get(space_url(space, "home")).status_code == 404
    # The moderators are told, and see the request on the members page and "Requests to join".
    note = Notification.get(Notification.recipient == moderator.id)
    assert "asks to join" in note.text and "Ríos de Europa" in note.text
    switch(client, moderator)
    members_page = client.get(space_url(space, "members")).get_data(as_text=True)
    assert "Requests to join" in members_page and "Tomás Profesor" in members_page
    requests_page = client.get(url("groups.requests", space_id=space.id)).get_data(as_text=True)
    assert "Enseño geografía en Oporto" in requests_page
    response = client.post(url("groups.answer_request", space_id=space.id, request_id=row.id),
                           data={"decision": "accept"})
    assert response.status_code == 303
    assert member(space, teacher).role == SpaceRole.MEMBER
    assert GroupInvitation.get_by_id(row.id).state == "accepted"
    told = Notification.get(Notification.recipient == teacher.id,
                            Notification.message == "group_request_accepted")
    assert "Ríos de Europa" in told.text
    # The welcome mail reached the new member.
    assert MailRecipient.select().where(MailRecipient.user == teacher.id).exists()
    # Answering again changes nothing.
    again = client.post(url("groups.answer_request", space_id=space.id, request_id=row.id),
                        data={"decision": "decline"})
    assert again.status_code == 303 and member(space, teacher) is not None


def test_the_moderator_declines_and_the_asker_may_ask_again(client, login, people, url):
    space, teacher = people["space"], people["teacher"]
    login(teacher)
    client.post(url("groups.ask", space_id=space.id), data={"message": ""})
    row = GroupInvitation.get(GroupInvitation.user == teacher.id)
    switch(client, people["moderator"])
    client.post(url("groups.answer_request", space_id=space.id, request_id=row.id),
                data={"decision": "decline", "back": "members"})
    assert member(space, teacher) is None
    assert GroupInvitation.get_by_id(row.id).state == "declined"
    assert Notification.get(Notification.recipient == teacher.id,
                            Notification.message == "group_request_declined")
    switch(client, teacher)
    client.post(url("groups.ask", space_id=space.id), data={"message": "Otra vez"})
    assert GroupInvitation.get_by_id(row.id).state == "pending"


@pytest.mark.parametrize("who", ["member", "teacher", "pupil", "nss", "css"])
def test_only_moderators_answer_requests(app, client, login, people, url, who):
    space = people["space"]
    with app.test_request_context():
        row = group_members.ask(people["group"], people["teacher"], "hola", app.config)
    login(people[who])
    assert client.get(url("groups.requests", space_id=space.id)).status_code == 404
    assert client.post(url("groups.answer_request", space_id=space.id, request_id=row.id),
                       data={"decision": "accept"}).status_code == 404
    assert member(space, people["teacher"]) is None


def test_a_request_of_another_group_does_not_exist_here(app, client, login, people, url):
    other = make_space(make_user(), "group", title="Montañas")
    with app.test_request_context():
        row = group_members.ask(group_of(other), people["teacher"], "", app.config)
    login(people["moderator"])
    assert client.post(url("groups.answer_request", space_id=people["space"].id,
                           request_id=row.id), data={"decision": "accept"}).status_code == 404


# --- Invitations -----------------------------------------------------------------------

def test_invite_a_teacher_who_accepts_on_the_groups_page(client, login, people, url,
                                                         space_url):
    space, teacher = people["space"], people["teacher"]
    login(people["moderator"])
    response = client.post(space_url(space, "members_invite_teacher"),
                           data={"email": teacher.email})
    assert response.status_code == 303 and member(space, teacher) is None
    note = Notification.get(Notification.recipient == teacher.id)
    assert "Marta Moderadora invites you to the group “Ríos de Europa”" == note.text
    switch(client, teacher)
    page = client.get(url("groups.invitations")).get_data(as_text=True)
    assert "Ríos de Europa" in page and "Accept" in page
    groups_page = client.get(url("groups.index")).get_data(as_text=True)
    assert "Invitations to groups" in groups_page and "Ríos de Europa" in groups_page
    response = client.post(url("groups.answer_invitation", space_id=space.id),
                           data={"decision": "accept"})
    assert response.status_code == 303
    assert member(space, teacher).role == SpaceRole.MEMBER
    assert "Presentaos en el foro" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    # Nothing left to answer.
    assert client.post(url("groups.answer_invitation", space_id=space.id),
                       data={"decision": "accept"}).status_code == 404


def test_an_invitation_declined_and_nobody_else_answers_it(client, login, people, url,
                                                           space_url):
    space, teacher = people["space"], people["teacher"]
    login(people["moderator"])
    client.post(space_url(space, "members_invite_teacher"), data={"email": teacher.email})
    switch(client, people["member"])  # not theirs
    assert client.post(url("groups.answer_invitation", space_id=space.id),
                       data={"decision": "accept"}).status_code == 404
    switch(client, teacher)
    client.post(url("groups.answer_invitation", space_id=space.id), data={"decision": "decline"})
    assert member(space, teacher) is None
    assert GroupInvitation.get(GroupInvitation.user == teacher.id).state == "declined"
    log_out(client)
    assert client.post(url("groups.answer_invitation", space_id=space.id),
                       data={"decision": "accept"}).status_code in (302, 303)


def test_inviting_somebody_who_asked_lets_them_in(app, client, login, people, space_url):
    space, teacher = people["space"], people["teacher"]
    with app.test_request_context():
        group_members.ask(people["group"], teacher, "", app.config)
    login(people["moderator"])
    client.post(space_url(space, "members_invite_teacher"), data={"email": teacher.email})
    assert member(space, teacher).role == SpaceRole.MEMBER


def test_members_of_a_group_cannot_invite(client, login, people, space_url):
    login(people["member"])
    assert client.post(space_url(people["space"], "members_invite_teacher"),
                       data={"email": people["teacher"].email}).status_code == 404


# --- Leaving -----------------------------------------------------------------------------

def test_a_member_leaves_after_confirming(client, login, people, url):
    space = people["space"]
    login(people["member"])
    assert "Yes, leave the group" in client.get(
        url("groups.leave", space_id=space.id)).get_data(as_text=True)
    assert client.post(url("groups.leave", space_id=space.id)).status_code == 303
    assert member(space, people["member"]) is None


def test_the_last_moderator_may_not_leave(client, login, people, url, space_url):
    space = people["space"]
    login(people["moderator"])
    page = client.get(url("groups.leave", space_id=space.id)).get_data(as_text=True)
    assert "only moderator" in page and "Yes, leave the group" not in page
    response = client.post(url("groups.leave", space_id=space.id))
    assert response.status_code == 303 and member(space, people["moderator"]) is not None
    assert "only moderator" in client.get(response.headers["Location"]).get_data(as_text=True)
    # Once the member is a moderator too, the first one may go.
    client.post(space_url(space, "member_type", user_id=people["member"].id),
                data={"role": SpaceRole.MODERATOR})
    assert member(space, people["member"]).role == SpaceRole.MODERATOR
    client.post(url("groups.leave", space_id=space.id))
    assert member(space, people["moderator"]) is None


@pytest.mark.parametrize("who", ["teacher", "pupil", "css"])
def test_non_members_cannot_leave(client, login, people, url, who):
    make_open(people["group"])
    login(people[who])
    assert client.post(url("groups.leave", space_id=people["space"].id)).status_code == 404


def test_the_last_moderator_cannot_be_removed_nor_demoted(client, login, people, space_url):
    space = people["space"]
    login(people["moderator"])
    assert client.post(space_url(space, "member_remove",
                                 user_id=people["moderator"].id)).status_code == 303
    assert member(space, people["moderator"]) is not None
    response = client.post(space_url(space, "member_type", user_id=people["moderator"].id),
                           data={"role": SpaceRole.MEMBER})
    assert response.status_code == 422
    # A member is removed.
    client.post(space_url(space, "member_remove", user_id=people["member"].id))
    assert member(space, people["member"]) is None


def test_the_members_page_of_a_group_offers_only_teacher_forms(client, login, people,
                                                               space_url):
    login(people["moderator"])
    page = client.get(space_url(people["space"], "members")).get_data(as_text=True)
    assert "Invite a teacher" in page and "Write to all members" in page
    assert "Add pupils" not in page and "Add a guest" not in page
    assert "Moderator" in page and "Member" in page
    for endpoint in ("members_add_pupils", "members_add_guest", "members_add_teacher"):
        assert client.get(space_url(people["space"], endpoint)).status_code == 404


# --- Who reads what ------------------------------------------------------------------------

@pytest.fixture
def content(app, people):
    """Something of every kind in the group."""
    space, moderator = people["space"], people["moderator"]
    page = pages.create(space, moderator.id, "Guía", "<p>Diez pasos.</p>")
    album = Folder.create(space=space, kind="image", title="Fotos", created_by=moderator)
    stored = storage.save_image(png(), app.config["UPLOAD_DIR"], owner=moderator.id)
    material = Material.create(space=space, folder=album, kind="image", title="Orilla",
                               alt_text="La orilla", file=stored, created_by=moderator)
    forum = forums.create_space_forum(space, moderator, title="General")
    discussion = forums.start_space_discussion(forum, moderator, title="Hola", body="Hola")
    chat.post_message(space.id, moderator.id, "Hola a todos")
    return dict(page=page, material=material, stored=stored, discussion=discussion)


def probes(space_url, url, space, content):
    return [space_url(space, "home"), space_url(space, "pages"),
            space_url(space, "page", page_id=content["page"].id),
            space_url(space, "materials"),
            space_url(space, "material", material_id=content["material"].id),
            space_url(space, "forums"),
            space_url(space, "discussion", discussion_id=content["discussion"].id),
            space_url(space, "live"), space_url(space, "members"), space_url(space, "mail"),
            url("portal.file", file_id=content["stored"].id)]


@pytest.mark.parametrize("who", ["teacher", "pupil", "far_nss"])
def test_an_invitation_only_group_does_not_exist_for_outsiders(client, login, people, content,
                                                               space_url, url, who):
    login(people[who])
    for address in probes(space_url, url, people["space"], content):
        assert client.get(address).status_code == 404, address


def test_an_open_group_is_read_by_any_teacher_written_by_members(client, login, people,
                                                                 content, space_url, url):
    space = people["space"]
    make_open(people["group"])
    login(people["teacher"])
    for address in probes(space_url, url, space, content)[:7]:
        assert client.get(address).status_code == 200, address
    # Readers find their way with the group's navigation, without what only members use.
    home = client.get(space_url(space, "home")).get_data(as_text=True)
    assert 'aria-label="In this group"' in home and "Group mail" not in home
    assert "Chat and calls" not in home and "Group settings" not in home
    # …but not written: no new page, no discussion, no reply, no chat, no mail.
    forum_id = content["discussion"].forum_id
    assert client.post(space_url(space, "page_new"),
                       data={"title": "Mía", "body": "x"}).status_code in (403, 404)
    assert client.post(space_url(space, "discussion_new", forum_id=forum_id),
                       data={"title": "Mía", "body": "x"}).status_code in (403, 404)
    assert client.get(space_url(space, "live")).status_code == 404
    assert client.get(space_url(space, "mail")).status_code == 404
    assert Discussion.select().count() == 1
    # Pupils of other spaces and logged-out people do not read it.
    switch(client, people["pupil"])
    assert client.get(space_url(space, "home")).status_code == 404
    log_out(client)
    assert client.get(space_url(space, "home")).status_code in (302, 303)


def test_members_write_in_the_group(client, login, people, content, space_url):
    login(people["member"])
    forum_id = content["discussion"].forum_id
    assert client.post(space_url(people["space"], "discussion_new", forum_id=forum_id),
                       data={"title": "Mi clase", "body": "<p>Hola</p>"}).status_code == 303


def test_staff_read_a_group_but_do_not_join(client, login, people, content, space_url, url):
    for who in ("nss", "css"):
        switch(client, people[who])
        home = client.get(space_url(people["space"], "home"))
        assert home.status_code == 200
        assert "Join this group" not in home.get_data(as_text=True)


# --- The home, the checklist and the ice-breaker ------------------------------------------

def test_the_home_shows_the_group(client, login, people, space_url):
    group = people["group"]
    group.objectives = "Comparar ríos"
    group.topics = "agua, geografía"
    group.save()
    GroupLanguage.create(group=group, code="es")
    login(people["member"])
    home = client.get(space_url(people["space"], "home")).get_data(as_text=True)
    for text in ("Comparar ríos", "agua", "geografía", "By invitation or request",
                 "Marta Moderadora", "Presentaos en el foro", "Leave the group",
                 "Upcoming events"):
        assert text in home, text
    assert "Start well" not in home  # members do not see the checklist


def test_pending_and_closed_groups_say_so(client, login, people, space_url):
    group = people["group"]
    login(people["moderator"])
    group.state = GroupState.PENDING
    group.save()
    assert "nobody can join it for now" in client.get(
        space_url(people["space"], "home")).get_data(as_text=True)
    group.state = GroupState.CLOSED
    group.save()
    assert "The group is closed" in client.get(
        space_url(people["space"], "home")).get_data(as_text=True)


def ticks(client, space_url, space):
    home = client.get(space_url(space, "home")).get_data(as_text=True)
    assert "Start well" in home
    return {key: f'id="check-{key}"' in home and
            home.split(f'id="check-{key}"')[0].rsplit("<li", 1)[1].count("checklist-item--done")
            == 1 for key in ("image", "welcome", "pages", "ice_breaker", "discussion")}


def test_the_checklist_ticks_what_is_done(app, client, login, people, space_url, url):
    space, group, moderator = people["space"], people["group"], people["moderator"]
    group.welcome = ""
    group.save()
    login(moderator)
    assert not any(ticks(client, space_url, space).values())
    group.welcome = "Hola"
    group.save()
    space.logo_id = storage.save_image(png(), app.config["UPLOAD_DIR"]).id
    space.save()
    pages.create(space, moderator.id, "Uno", "<p>1</p>")
    assert ticks(client, space_url, space) == {"image": True, "welcome": True, "pages": False,
                                                "ice_breaker": False, "discussion": False}
    pages.create(space, moderator.id, "Dos", "<p>2</p>")
    # The ice-breaker: a form prefilled with a suggestion, a discussion in a new "General".
    form = client.get(url("groups.ice_breaker", space_id=space.id)).get_data(as_text=True)
    assert "Introduce yourself" in form and "one thing about your town" in form
    empty = client.post(url("groups.ice_breaker", space_id=space.id),
                        data={"title": "", "body": ""})
    assert empty.status_code == 422 and "Enter a title" in empty.get_data(as_text=True)
    assert client.post(url("groups.ice_breaker", space_id=space.id),
                       data={"title": "Preséntate", "body": "¿Dónde enseñas?"}
                       ).status_code == 303
    group = group_of(space)
    ice = Discussion.get_by_id(group.ice_breaker_id)
    assert ice.title == "Preséntate" and ice.forum.title == "General"
    done = ticks(client, space_url, space)
    assert done["pages"] and done["ice_breaker"] and not done["discussion"]
    # A second ice-breaker is not started: the link leads to the first one.
    assert client.post(url("groups.ice_breaker", space_id=space.id),
                       data={"title": "Otra", "body": "x"}).status_code == 303
    assert Discussion.select().count() == 1
    forums.start_space_discussion(ice.forum, people["member"], title="Mapas", body="Mapas")
    assert all(ticks(client, space_url, space).values())


def test_the_checklist_goes_once_the_group_grows(client, login, people, space_url):
    for _n in range(3):
        spaces.join(people["space"], make_user(), SpaceRole.MEMBER)
    login(people["moderator"])
    assert "Start well" not in client.get(
        space_url(people["space"], "home")).get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "teacher", "css"])
def test_only_moderators_start_the_ice_breaker(client, login, people, url, who):
    make_open(people["group"])
    login(people[who])
    assert client.post(url("groups.ice_breaker", space_id=people["space"].id),
                       data={"title": "x", "body": "y"}).status_code == 404
    assert Discussion.select().count() == 0


# --- Settings ------------------------------------------------------------------------------

def settings_data(**changes):
    data = {"title": "Ríos y lagos", "description": "Comparamos ríos.",
            "objectives": "Compare rivers", "topics": "agua,  lagos ,", "languages": ["es", "pt"],
            "access": "open", "welcome": "Hola a todos"}
    data.update(changes)
    return data


def test_moderators_change_the_settings(client, login, people, url):
    space = people["space"]
    login(people["moderator"])
    page = client.get(url("groups.settings", space_id=space.id)).get_data(as_text=True)
    assert "in English: central support staff read and moderate" in page and "Presentaos" in page
    data = settings_data()
    data["image"] = (png(), "river.png")
    response = client.post(url("groups.settings", space_id=space.id), data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 303
    space, group = Space.get_by_id(space.id), group_of(space)
    assert space.title == "Ríos y lagos" and space.logo_id
    assert group.is_open and group.topics == "agua, lagos" and group.welcome == "Hola a todos"
    assert {row.code for row in group.languages} == {"es", "pt"}


def test_settings_refuse_wrong_input_next_to_the_field(client, login, people, url):
    login(people["moderator"])
    response = client.post(url("groups.settings", space_id=people["space"].id),
                           data=settings_data(title="", languages=[], access="maybe"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for text in ("Enter a title", "Choose at least one language", "Choose who can take part"):
        assert text in body
    response = client.post(url("groups.settings", space_id=people["space"].id),
                           data=settings_data(languages=["xx"]))
    assert response.status_code == 422
    assert group_of(people["space"]).welcome.startswith("¡Bienvenidos")


@pytest.mark.parametrize("who", ["member", "teacher", "pupil", "nss", "css"])
def test_only_moderators_reach_the_settings(client, login, people, url, who):
    make_open(people["group"])
    login(people[who])
    assert client.get(url("groups.settings", space_id=people["space"].id)).status_code == 404
    assert client.post(url("groups.settings", space_id=people["space"].id),
                       data=settings_data()).status_code == 404


def test_settings_only_for_active_groups(client, login, people, url, space_url):
    group = people["group"]
    group.state = GroupState.PENDING
    group.save()
    login(people["moderator"])
    response = client.get(url("groups.settings", space_id=people["space"].id))
    assert response.status_code == 403 and "once central support staff have approved it" in \
        response.get_data(as_text=True)
    assert client.post(url("groups.settings", space_id=people["space"].id),
                       data=settings_data()).status_code == 403
    assert group_of(people["space"]).welcome.startswith("¡Bienvenidos")


# --- Events --------------------------------------------------------------------------------

def event_data():
    day = (utcnow() + datetime.timedelta(days=10)).date().isoformat()
    return {"title": "Encuentro en línea", "description": "Nos vemos.", "kind": "training",
            "online": "online", "link": "https://meet.example.org/rios", "date": day,
            "start_time": "17:00", "end_time": "18:00", "timezone": "Europe/Madrid",
            "seats": ""}


def test_members_create_group_events_shown_on_the_home(client, login, people, url, space_url):
    space = people["space"]
    login(people["member"])
    assert "Create an event for the group" in client.get(
        url("groups.events", space_id=space.id)).get_data(as_text=True)
    response = client.post(url("groups.event_new", space_id=space.id), data=event_data())
    assert response.status_code == 303
    event = Event.get(Event.title == "Encuentro en línea")
    assert event.space_id == space.id
    assert "Encuentro en línea" in client.get(
        url("groups.events", space_id=space.id)).get_data(as_text=True)
    assert "Encuentro en línea" in client.get(space_url(space, "home")).get_data(as_text=True)
    bad = client.post(url("groups.event_new", space_id=space.id),
                      data={**event_data(), "title": ""})
    assert bad.status_code == 422


@pytest.mark.parametrize("who", ["teacher", "pupil", "css"])
def test_non_members_add_no_group_event(client, login, people, url, who):
    make_open(people["group"])
    login(people[who])
    assert client.post(url("groups.event_new", space_id=people["space"].id),
                       data=event_data()).status_code in (403, 404)
    assert Event.select().count() == 0


def test_the_group_navigation(client, login, people, space_url):
    login(people["moderator"])
    home = client.get(space_url(people["space"], "home")).get_data(as_text=True)
    for label in ("Group events", "Requests to join", "Group settings"):
        assert label in home
    switch(client, people["member"])
    home = client.get(space_url(people["space"], "home")).get_data(as_text=True)
    assert "Group events" in home and "Group settings" not in home
    assert "Requests to join" not in home
    assert User.select().count() > 0
