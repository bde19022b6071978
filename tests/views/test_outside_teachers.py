"""Issue 10.4 (T-12, L-15): a teacher from a country outside the platform, added to a space by
one of its teachers, gets an account that waits for validation like any new teacher's: it
works in the space it was added to, central staff find it in their queue with who added it,
and validate it."""
from flask import url_for

from models import Membership, Role, SpaceRole, User, Validation
from services import accounts
from tests.conftest import switch
from tests.factories import PASSWORD, make_user
from tests.views.test_twinspace import make_space


def add_outside_teacher(app, client, space):
    with app.test_request_context():
        url = url_for("twinspace.spaces.members_add_teacher", space_id=space.id)
    response = client.post(url, data={"name": "Olena K", "email": "olena@school.ca",
                                      "country": "CA"})
    assert response.status_code == 303
    return User.get(User.email == "olena@school.ca")


def test_an_outside_teacher_waits_for_central_staff(app, client, login):
    ana = make_user(name="Ana Garcia", country="ES")
    space = make_space(ana)
    login(ana)
    olena = add_outside_teacher(app, client, space)
    assert olena.validation == Validation.PENDING and not olena.is_validated
    assert olena.added_by_id == ana.id
    assert Membership.get(Membership.user == olena).role == SpaceRole.TEACHER
    with app.test_request_context():
        home = url_for("twinspace.spaces.home", space_id=space.id)
        page_new = url_for("twinspace.spaces.page_new", space_id=space.id)
        queue = url_for("admin.validation")
        accept = url_for("admin.validation_accept", user_id=olena.id)
        found = url_for("live.project_new")
        mail = url_for("live.mail_new")

    # Meanwhile the account works in its space, and elsewhere like any unvalidated teacher's.
    accounts.set_password(olena, PASSWORD)
    switch(client, User.get_by_id(olena.id))
    assert client.get(home).status_code == 200
    assert client.post(page_new, data={"title": "Hello from Canada",
                                       "body": "Hi"}).status_code == 303
    assert client.get(found).status_code == 403  # no project of their own yet
    assert client.get(mail).status_code == 403

    # National staff do not cover the country; central staff see who added the account.
    switch(client, make_user(Role.NSS, country="ES"))
    assert "Olena K" not in client.get(queue).get_data(as_text=True)
    assert client.post(accept).status_code == 404
    switch(client, make_user(Role.CSS))
    html = client.get(queue).get_data(as_text=True)
    assert "Olena K" in html and "Added by" in html and "Ana Garcia" in html
    assert client.post(accept).status_code == 303
    assert User.get_by_id(olena.id).is_validated
