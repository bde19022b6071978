"""Issue 10.4 (T-12, L-15): a teacher from a country outside the platform, added to a space by
one of its teachers, gets an account that waits for validation like any new teacher's: it
works in the space it was added to, central staff find it in their queue with who added it,
and validate it."""
import pytest

from models import Membership, Role, SpaceRole, User, Validation
from services import accounts
from tests.conftest import switch
from tests.factories import PASSWORD, make_space, make_user
from tests.views.test_members import kinds_that


def add_outside_teacher(client, address):
    response = client.post(address, data={"name": "Olena K", "email": "olena@school.ca",
                                          "country": "CA"})
    assert response.status_code == 303
    return User.get(User.email == "olena@school.ca")


@pytest.mark.parametrize("space_kind", kinds_that("adds_outside_teachers"))
def test_an_outside_teacher_waits_for_central_staff(client, login, space_kind, space_url, url):
    ana = make_user(name="Ana Garcia", country="ES")
    space = make_space(ana, space_kind)
    login(ana)
    olena = add_outside_teacher(client, space_url(space, "members_add_teacher"))
    assert olena.validation == Validation.PENDING and not olena.is_validated
    assert olena.added_by_id == ana.id
    assert Membership.get(Membership.user == olena).role == SpaceRole.TEACHER
    home, page_new = space_url(space, "home"), space_url(space, "page_new")
    queue, accept = url("admin.validation"), url("admin.validation_accept", user_id=olena.id)
    found, mail = url("live.project_new"), url("live.mail_new")

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
