"""L-3: following teachers, contact requests and the contact list; the feed of followed
teachers' public activity."""
import datetime

import pytest
from flask_login import login_user
from playhouse.test_utils import count_queries

from models import (Contact, ContactState, DiaryPost, Follow, Notification, PartnerState,
                    Project, ProjectPartner, Role, Space, utcnow)
from services import feed
from tests.factories import make_user


def ask(client, person):
    return client.post(f"/live/people/{person.id}/contact")


def test_a_validated_teacher_asks_and_the_other_accepts(client, login):
    claire, giulia = make_user(name="Claire"), make_user(name="Giulia")
    login(claire)
    response = ask(client, giulia)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teachers/{giulia.id}")
    contact = Contact.get()
    assert (contact.requester_id, contact.addressee_id, contact.state) == (
        claire.id, giulia.id, ContactState.PENDING)
    note = Notification.get(Notification.recipient == giulia.id)
    assert note.kind == "contact_request" and note.subject_key == f"contact:{contact.id}"
    assert "Claire asks to be your contact" == note.text and note.link == "/live/contacts"
    page = client.get("/live/contacts").get_data(as_text=True)
    assert "Requests you sent" in page and "Giulia" in page

    client.post("/auth/logout")
    login(giulia)
    page = client.get("/live/contacts").get_data(as_text=True)
    assert "Claire" in page and f"/live/people/{claire.id}/accept" in page
    response = client.post(f"/live/people/{claire.id}/accept")
    assert response.status_code == 303 and response.headers["Location"].endswith("/live/contacts")
    assert Contact.are_contacts(claire, giulia)
    assert Notification.get_by_id(note.id).read_at is not None
    accepted = Notification.get(Notification.recipient == claire.id)
    assert accepted.kind == "contact_accepted" and "Giulia accepted" in accepted.text
    page = client.get("/live/contacts").get_data(as_text=True)
    assert "Nobody is waiting for your answer." in page
    assert f"/live/mail/new?to={claire.id}" in page


def test_asking_twice_is_idempotent_and_asking_back_accepts(client, login):
    claire, giulia = make_user(), make_user()
    login(claire)
    ask(client, giulia)
    response = ask(client, giulia)
    assert response.status_code == 303
    assert Contact.select().count() == 1
    assert Notification.select().count() == 1
    with client.session_transaction() as session:
        flashes = session.get("_flashes", [])
    assert any("already asked" in text for _cat, text in flashes)
    client.post("/auth/logout")
    login(giulia)
    ask(client, claire)
    assert Contact.select().count() == 1 and Contact.are_contacts(claire, giulia)
    assert Notification.get(Notification.recipient == claire.id).kind == "contact_accepted"
    ask(client, claire)  # already contacts: nothing changes
    assert Contact.select().count() == 1
    assert client.get(f"/live/contacts").status_code == 200


def test_a_request_to_someone_else_cannot_be_accepted_or_declined_by_me(client, login):
    claire, giulia, other = make_user(), make_user(), make_user()
    Contact.create(requester=claire, addressee=giulia)
    login(other)
    assert client.post(f"/live/people/{claire.id}/accept").status_code == 404
    assert client.post(f"/live/people/{claire.id}/decline").status_code == 404
    # The asker cannot accept their own request either.
    client.post("/auth/logout")
    login(claire)
    assert client.post(f"/live/people/{giulia.id}/accept").status_code == 404
    assert Contact.get().state == ContactState.PENDING


def test_a_declined_request_stays_declined_and_the_asker_sees_it_sent(client, login):
    claire, giulia = make_user(), make_user()
    login(claire)
    ask(client, giulia)
    client.post("/auth/logout")
    login(giulia)
    assert client.post(f"/live/people/{claire.id}/decline").status_code == 303
    assert Contact.get().state == ContactState.DECLINED
    assert client.post(f"/live/people/{claire.id}/accept").status_code == 404
    client.post("/auth/logout")
    login(claire)
    ask(client, giulia)
    assert Contact.get().state == ContactState.DECLINED
    assert Notification.select().where(Notification.recipient == giulia.id).count() == 1
    page = client.get("/live/contacts").get_data(as_text=True)
    assert "Contact request sent" in page


@pytest.mark.parametrize("who", ["unvalidated", "student", "visitor"])
def test_only_validated_teachers_and_staff_ask(client, login, who):
    person = make_user()
    user = {"unvalidated": lambda: make_user(validated=False),
            "student": lambda: make_user(Role.STUDENT),
            "visitor": lambda: make_user(Role.VISITOR)}[who]()
    login(user)
    assert ask(client, person).status_code == 403
    Contact.create(requester=person, addressee=user)
    assert client.post(f"/live/people/{person.id}/accept").status_code == 403
    assert Contact.get().state == ContactState.PENDING


def test_anonymous_visitors_are_sent_to_log_in(client):
    person = make_user()
    response = ask(client, person)
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]
    assert client.get("/live/contacts").status_code in (302, 303)


def test_staff_may_ask_but_the_target_must_be_an_active_teacher(client, login):
    staff = make_user(Role.NSS)
    login(staff)
    assert ask(client, make_user()).status_code == 303
    assert ask(client, make_user(Role.NSS)).status_code == 404
    assert ask(client, make_user(disabled=True)).status_code == 404
    assert ask(client, make_user(Role.STUDENT)).status_code == 404
    assert client.post("/live/people/99999/contact").status_code == 404
    assert ask(client, staff).status_code == 404


def test_asking_yourself_is_404(client, login):
    me = make_user()
    login(me)
    assert ask(client, me).status_code == 404
    assert client.post(f"/live/people/{me.id}/follow").status_code == 404


def test_remove_a_contact_asks_to_confirm(client, login):
    claire, giulia = make_user(name="Claire"), make_user(name="Giulia")
    Contact.create(requester=claire, addressee=giulia, state=ContactState.ACCEPTED)
    login(giulia)
    page = client.get(f"/live/people/{claire.id}/remove")
    assert page.status_code == 200 and "Remove Claire from your contacts?" in page.get_data(
        as_text=True)
    assert Contact.select().count() == 1
    assert client.post(f"/live/people/{claire.id}/remove").status_code == 303
    assert Contact.select().count() == 0
    assert client.post(f"/live/people/{claire.id}/remove").status_code == 404


def test_follow_is_for_any_teacher_and_twice_changes_nothing(client, login):
    person = make_user()
    fresh = make_user(validated=False)
    login(fresh)
    assert client.post(f"/live/people/{person.id}/follow",
                       data={"next": "/teachers/%d" % person.id}).status_code == 303
    assert client.post(f"/live/people/{person.id}/follow").status_code == 303
    assert Follow.select().count() == 1
    assert client.post(f"/live/people/{person.id}/unfollow").status_code == 303
    assert Follow.select().count() == 0
    assert client.post(f"/live/people/{make_user(Role.NSS).id}/follow").status_code == 404
    client.post("/auth/logout")
    login(make_user(Role.STUDENT))
    assert client.post(f"/live/people/{person.id}/follow").status_code == 403


def test_next_never_leaves_the_site(client, login):
    person = make_user()
    login(make_user())
    response = client.post(f"/live/people/{person.id}/follow",
                           data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"/teachers/{person.id}")


def test_person_actions_partial_shows_the_right_buttons(app, login):
    from flask import render_template
    me, other = make_user(), make_user(name="Giulia")

    def actions():
        with app.test_request_context("/teachers/%d" % other.id):
            login_user(me)
            return render_template("live/_person_actions.html", person=other)
    html = actions()
    assert "Send a message" in html and f"/live/mail/new?to={other.id}" in html
    assert "Ask to be contacts" in html and ">Follow<" in html
    Follow.create(follower=me, followed=other)
    contact = Contact.create(requester=me, addressee=other)
    html = actions()
    assert "Stop following" in html and "Contact request sent" in html
    contact.state = ContactState.DECLINED
    contact.save()
    assert "Contact request sent" in actions()
    contact.delete_instance()
    Contact.create(requester=other, addressee=me)
    html = actions()
    assert "Accept" in html and "Decline" in html
    Contact.update(state=ContactState.ACCEPTED).execute()
    html = actions()
    assert "You are contacts" in html and "Remove contact" in html
    me.validation = "pending"
    me.save()
    html = actions()
    assert "Send a message" not in html and "Ask to be contacts" not in html
    assert "Stop following" in html


def make_public_project(founder, title, when, public=True):
    project = Project.create(title=title, founder=founder, is_public=public, created_at=when)
    ProjectPartner.create(project=project, user=founder, state=PartnerState.ACCEPTED)
    space = Space.create(kind="twinspace", title=title, project=project)
    return project, space


def test_feed_shows_public_activity_of_followed_teachers_newest_first(app):
    me, giulia, stranger = make_user(), make_user(name="Giulia"), make_user()
    Follow.create(follower=me, followed=giulia)
    day = datetime.timedelta(days=1)
    now = utcnow()
    rivers, space = make_public_project(giulia, "Rivers", now - 5 * day)
    secret, secret_space = make_public_project(giulia, "Secret", now - 4 * day, public=False)
    other, other_space = make_public_project(stranger, "Birds", now - 3 * day)
    ProjectPartner.create(project=other, user=giulia, state=PartnerState.ACCEPTED)
    DiaryPost.create(space=space, title="Trip", is_public=True, published_at=now - 2 * day)
    DiaryPost.create(space=space, title="Draft", is_public=False, published_at=now - day)
    DiaryPost.create(space=secret_space, title="Hidden", is_public=True, published_at=now)
    DiaryPost.create(space=other_space, title="Nests", is_public=True,
                     published_at=now - 1 * day)
    with app.test_request_context():
        with count_queries() as counter:
            items = feed.feed_for(me)
        assert counter.count <= 3
        texts = [item.text for item in items]
    assert texts == ["New in the diary of “Birds”: Nests", "New in the diary of “Rivers”: Trip",
                     "Giulia started the project “Rivers”"]
    assert items[0].link == f"/projects/{other.id}"
    with app.test_request_context():
        assert feed.feed_for(stranger) == []
        assert len(feed.feed_for(me, limit=2)) == 2
