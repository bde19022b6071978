"""T-12: a space's members — the list for everybody in it, and for its teachers adding pupils
and guests (a sheet of passwords shown once), inviting and adding teachers, changing types,
removing, resetting a pupil's password and writing to all; nothing reachable across spaces.

Every test runs once per kind of space (`space_kind`), except those of a project's partners
(inviting through the project, the founder who stays): only a TwinSpace has a project."""
import re

import pytest

from blueprints.spaces import parents
from models import (MailMessage, MailRecipient, MailThread, Membership, Notification,
                    PartnerState, ProjectPartner, Role, Space, SpaceRole, User)
from services import spaces
from tests.conftest import hx, log_out, switch
from tests.factories import PASSWORD, SPACE_FACTORIES, make_space, make_user

SHEET_ROW = re.compile(r'<th scope="row">([^<]+)</th><td><code>([^<]+)</code></td>'
                       r'<td><code>([^<]+)</code></td>')

# Every action of a space's teachers on its members: (endpoint, values besides the member).
ACTIONS = [("members_add_pupils", False), ("members_add_guest", False),
           ("members_invite_teacher", False), ("members_add_teacher", False),
           ("member_type", True), ("member_remove", True), ("member_password", True),
           ("members_message", False)]


def sheet(response):
    """{name: (username, password)} from a printable sheet."""
    return {name: (username, password)
            for name, username, password in SHEET_ROW.findall(response.get_data(as_text=True))}


def member(space, user):
    return Membership.get_or_none(Membership.space == space, Membership.user == user)


def log_in_as(client, identifier, password):
    """Log a second client in with what a sheet says (a username, not a user object)."""
    return switch(client, User.get(User.username == identifier), password)


def kinds_that(what="adds_pupils"):
    """The kinds of space whose members are also pupils and guests (or teachers from outside
    the list): a group is made of teachers (its parent's member_types). Tests of those forms
    run for these kinds only."""
    import blueprints.groups  # noqa: F401 (each package registers its parent on import)
    import blueprints.twinspace  # noqa: F401
    return [kind for kind in SPACE_FACTORIES
            if getattr(parents.for_kind(kind).member_types, what)]


@pytest.fixture
def setup(client, login, space_kind):
    teacher = make_user(country="PT")
    space = make_space(teacher, space_kind)
    login(teacher)
    return teacher, space


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_everybody_in_the_space_sees_the_list_pupils_without_actions(client, login, space_kind,
                                                                     space_url):
    teacher = make_user(name="Ana Garcia", country="ES")
    space = make_space(teacher, space_kind)
    pupil = make_user("student", name="Lucia Perez")
    guest = make_user("visitor", name="Mother Perez")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    login(pupil)
    response = client.get(space_url(space, "members"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ana Garcia" in page and "Lucia Perez" in page and "Mother Perez" in page
    assert "Spain" in page and "Add pupils" not in page and "Remove" not in page
    assert client.get(space_url(space, "members", type="pupil")).get_data(
        as_text=True).count("<tr>") == 2  # the heading row and Lucia
    only = client.get(space_url(space, "members", q="garc")).get_data(as_text=True)
    assert re.findall(r'<th scope="row"><a [^>]*>([^<]+)', only) == ["Ana Garcia"]
    part = client.get(space_url(space, "members", type="guest"),
                      headers=hx("member-list")).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="member-list"') and "Mother Perez" in part
    assert "Ana Garcia" not in part and "<html" not in part


def test_non_members_and_anonymous(client, login, space_kind, space_url):
    space = make_space(make_user(), space_kind)
    assert client.get(space_url(space, "members")).status_code == 303
    login(make_user())
    assert client.get(space_url(space, "members")).status_code == 404


def test_pupils_and_guests_get_404_for_every_action(client, login, space_kind, space_url):
    teacher = make_user()
    space = make_space(teacher, space_kind)
    pupil, guest = make_user("student"), make_user("visitor")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    for person in (pupil, guest):
        login(person)
        for endpoint, of_member in ACTIONS:
            address = space_url(space, endpoint, **({"user_id": pupil.id} if of_member else {}))
            assert client.get(address).status_code == 404, endpoint
            assert client.post(address, data={"names": "X", "role": "visitor"}
                               ).status_code == 404, endpoint
    assert member(space, pupil).role == SpaceRole.STUDENT
    assert User.select().count() == 3


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_add_pupils_sheet_once_unique_usernames_and_login(app, client, setup, space_url, url,
                                                          space_kind):
    teacher, space = setup
    response = client.post(space_url(space, "members_add_pupils"),
                           data={"names": "Lucía Pérez\n\n  Lucía Pérez \nJohn O'Neil\n"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    found = SHEET_ROW.findall(response.get_data(as_text=True))
    assert len(found) == 3
    usernames = [u for _n, u, _p in found]
    assert len(set(usernames)) == 3
    for name in usernames:
        assert re.fullmatch(r"[a-z0-9.\-]+", name) and str(space.id) in name
    assert usernames[0] == f"lucia.perez.{space.id}"
    assert url("auth.login") in response.get_data(as_text=True)
    pupils = list(User.select().where(User.role == Role.STUDENT))
    assert len(pupils) == 3
    assert all(p.country == "PT" and member(space, p).role == SpaceRole.STUDENT for p in pupils)
    _name, username, password = found[0]
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-\d\d", password)
    # Shown once: never stored in clear, never on the list.
    assert all(password not in (p.password_hash or "") for p in pupils)
    listing = client.get(space_url(space, "members")).get_data(as_text=True)
    assert username in listing and password not in listing
    # The pupil logs in with what the sheet says, and finds the space among theirs.
    log_out(client)
    pupil_client = app.test_client()
    assert log_in_as(pupil_client, username, password).status_code == 303
    assert "Rivers" in pupil_client.get(url(parents.of(space).list_endpoint)).get_data(
        as_text=True)


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_add_pupils_validation(client, setup, space_url, space_kind):
    _teacher, space = setup
    response = client.post(space_url(space, "members_add_pupils"), data={"names": "  \n"})
    assert response.status_code == 422
    assert "Enter the full name of at least one pupil" in response.get_data(as_text=True)
    too_many = "\n".join(f"Pupil {n}" for n in range(61))
    response = client.post(space_url(space, "members_add_pupils"), data={"names": too_many})
    assert response.status_code == 422 and "at most 60" in response.get_data(as_text=True)
    assert User.select().where(User.role == Role.STUDENT).count() == 0


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_add_a_guest_with_or_without_email(client, setup, space_url, space_kind):
    _teacher, space = setup
    address = space_url(space, "members_add_guest")
    response = client.post(address, data={"name": "Maria Head", "email": "Head@School.eu"})
    assert response.status_code == 200 and len(sheet(response)) == 1
    guest = User.get(User.name == "Maria Head")
    assert guest.role == Role.VISITOR and guest.email == "head@school.eu"
    assert member(space, guest).role == SpaceRole.VISITOR
    again = client.post(address, data={"name": "Other", "email": "head@school.eu"})
    assert again.status_code == 422
    assert client.post(address, data={"name": "Dad"}).status_code == 200


def test_invite_a_teacher_through_the_project(client, login, space_url, url):
    """TwinSpace only: a teacher invited to a TwinSpace is invited to its project and joins
    the space on accepting in Live."""
    teacher = make_user(country="PT")
    space = make_space(teacher, "twinspace")
    login(teacher)
    other = make_user(email="partner@school.eu")
    invite = space_url(space, "members_invite_teacher")
    response = client.post(invite, data={"email": "PARTNER@school.eu"})
    assert response.status_code == 303
    row = ProjectPartner.get(ProjectPartner.user == other)
    assert row.state == PartnerState.INVITED and row.project == space.project
    assert Notification.get(Notification.recipient == other).kind == "project_invitation"
    assert member(space, other) is None
    for email in ("nobody@school.eu", make_user(validated=False).email,
                  make_user("student", email="kid@school.eu").email):
        assert client.post(invite, data={"email": email}).status_code == 422
    login(other)
    client.post(url("live.project_answer", project_id=space.project.id, answer="accept"))
    assert member(space, other).role == SpaceRole.TEACHER


def test_a_space_of_another_kind_is_not_served_under_twinspaces(client, login):
    """The TwinSpace parent loads only TwinSpaces: a space of another kind under its prefix
    does not exist (404), for its own members too, on every shared page and every page of the
    parent's own (TwinSpace only: the parent under test is the TwinSpace's; the row of another
    kind is made directly, as no other parent exists yet)."""
    teacher = make_user()
    space = Space.create(kind="group", title="Readers")
    spaces.join(space, teacher, SpaceRole.ADMIN)
    login(teacher)
    parent = parents.for_kind("twinspace")
    with client.application.test_request_context():
        urls = [parent.url(name, space_id=space.id)
                for name in ("home", "pages", "materials", "forums", "members", "mail", "live")]
        urls += [parent.own_url(entry.endpoint, space_id=space.id) for entry in parent.nav]
        invite = parent.url("members_invite_teacher", space_id=space.id)
    assert len(urls) == 11
    for address in urls:
        assert client.get(address).status_code == 404, address
    other = make_user(email="direct@school.eu")
    assert client.post(invite, data={"email": "direct@school.eu"}).status_code == 404
    assert member(space, other) is None


def test_by_default_an_invited_teacher_joins_the_space_at_once(app):
    """A kind of space that declares no invitation of its own (no project) adds the teacher."""
    from blueprints.spaces.parents import Hooks
    teacher, other = make_user(), make_user()
    space = Space.create(kind="group", title="Readers")
    with app.test_request_context():
        ok, message = Hooks().invite(space, other, teacher)
    assert ok and other.name in message
    assert member(space, other).role == SpaceRole.TEACHER
    assert ProjectPartner.select().count() == 0


@pytest.mark.parametrize("space_kind", kinds_that("adds_outside_teachers"))
def test_add_a_teacher_from_outside_the_list(client, setup, space_url, space_kind):
    _teacher, space = setup
    address = space_url(space, "members_add_teacher")
    for code in ("ES", "x", "12"):
        assert client.post(address, data={
            "name": "Olena K", "email": "olena@school.ca", "country": code}).status_code == 422
    response = client.post(address, data={
        "name": "Olena K", "email": "olena@school.ca", "country": "ca"})
    assert response.status_code == 303
    olena = User.get(User.email == "olena@school.ca")
    assert olena.role == Role.TEACHER and olena.country == "CA"
    assert not olena.is_validated  # central staff validate it (issue 10.4)
    assert member(space, olena).role == SpaceRole.TEACHER
    assert client.post(address, data={
        "name": "Olena K", "email": "olena@school.ca", "country": "CA"}).status_code == 422


# Per kind of space: (the role of who runs it, of a teacher who does not, whether it has
# pupils and guests). A TwinSpace: admin and teacher, with pupils; a group: moderator and
# member, teachers only.
KIND_ROLES = {"twinspace": (SpaceRole.ADMIN, SpaceRole.TEACHER, True),
              "group": (SpaceRole.MODERATOR, SpaceRole.MEMBER, False)}


def test_change_types_and_keep_the_last_admin(client, setup, space_url, space_kind):
    teacher, space = setup
    runner, plain, has_pupils = KIND_ROLES[space_kind]
    other = make_user()
    spaces.join(space, other, plain)

    def change(person, role):
        return client.post(space_url(space, "member_type", user_id=person.id),
                           data={"role": role})
    if has_pupils:
        pupil = make_user("student")
        spaces.join(space, pupil, SpaceRole.STUDENT)
        assert change(pupil, "visitor").status_code == 303
        assert member(space, pupil).role == SpaceRole.VISITOR
        # A pupil cannot become a teacher, nor a teacher a pupil.
        assert change(pupil, runner).status_code == 422
        assert change(other, "student").status_code == 422
    else:
        # No pupils nor guests here: a teacher cannot become one, nor take another kind's role.
        assert change(other, "student").status_code == 422
        assert change(other, "admin").status_code == 422
        assert client.get(space_url(space, "members_add_pupils")).status_code == 404
        assert client.get(space_url(space, "members_add_guest")).status_code == 404
    assert member(space, other).role == plain
    # The only one who runs the space stays so…
    response = change(teacher, plain)
    assert response.status_code == 422 and "at least one teacher who runs it" in \
        response.get_data(as_text=True)
    assert member(space, teacher).role == runner
    # …until another teacher runs it too.
    assert change(other, runner).status_code == 303
    assert member(space, other).role == runner
    assert change(teacher, plain).status_code == 303
    assert member(space, teacher).role == plain


def test_remove_members_but_never_the_founder(client, login, space_url):
    """TwinSpace only: the space's teachers are its project's partners (a teacher added or
    removed here is added to or removed from the project), and the project's founder stays."""
    teacher = make_user(country="PT")
    space = make_space(teacher, "twinspace")
    login(teacher)
    pupil = make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    client.post(space_url(space, "members_add_teacher"), data={
        "name": "Olena K", "email": "olena@school.ca", "country": "CA"})
    other = User.get(User.email == "olena@school.ca")
    assert ProjectPartner.get(ProjectPartner.user == other).state == PartnerState.ACCEPTED

    def remove(person):
        return space_url(space, "member_remove", user_id=person.id)
    assert "Yes, remove them" in client.get(remove(pupil)).get_data(as_text=True)
    assert client.post(remove(pupil)).status_code == 303
    assert member(space, pupil) is None
    client.post(remove(other))
    assert member(space, other) is None
    assert ProjectPartner.get_or_none(ProjectPartner.user == other) is None
    assert "Yes, remove them" not in client.get(remove(teacher)).get_data(as_text=True)
    client.post(remove(teacher))
    assert member(space, teacher).role == SpaceRole.ADMIN
    assert client.get(remove(pupil)).status_code == 404  # no longer a member


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_reset_a_pupils_password_ends_their_session(app, client, setup, space_url, space_kind):
    teacher, space = setup
    client.post(space_url(space, "members_add_pupils"), data={"names": "Tom Sawyer"})
    pupil = User.get(User.role == Role.STUDENT)
    pupil_client = app.test_client()
    from services import accounts
    accounts.set_password(pupil, PASSWORD)
    switch(pupil_client, pupil)
    assert pupil_client.get(space_url(space, "home")).status_code == 200
    reset = space_url(space, "member_password", user_id=pupil.id)
    assert "Make a new password" in client.get(reset).get_data(as_text=True)
    response = client.post(reset)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    (_name, username, password), = SHEET_ROW.findall(response.get_data(as_text=True))
    assert username == pupil.username
    assert pupil_client.get(space_url(space, "home")).status_code == 303  # logged out
    fresh = app.test_client()
    assert log_in_as(fresh, username, PASSWORD).status_code != 303
    assert log_in_as(fresh, username, password).status_code == 303
    # Teachers' passwords are not reset here.
    assert client.post(space_url(space, "member_password", user_id=teacher.id)
                       ).status_code == 404


def test_cross_space_404(client, login, space_kind, space_url):
    mine_teacher, their_teacher = make_user(), make_user()
    mine = make_space(mine_teacher, space_kind, title="Mine")
    theirs = make_space(their_teacher, space_kind, title="Theirs")
    their_pupil = make_user("student")
    spaces.join(theirs, their_pupil, SpaceRole.STUDENT)
    login(mine_teacher)
    for endpoint in ("member_type", "member_remove", "member_password"):
        address = space_url(mine, endpoint, user_id=their_pupil.id)
        assert client.get(address).status_code == 404
        assert client.post(address, data={"role": "visitor"}).status_code == 404
    assert client.get(space_url(theirs, "members")).status_code == 404
    assert client.post(space_url(theirs, "members_add_pupils"),
                       data={"names": "Intruder"}).status_code == 404
    assert member(theirs, their_pupil).role == SpaceRole.STUDENT
    assert User.select().where(User.role == Role.STUDENT).count() == 1


def test_write_to_all_members(client, setup, space_url):
    teacher, space = setup
    pupil, other = make_user("student"), make_user()
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, other, SpaceRole.TEACHER)
    outsider = make_user()
    address = space_url(space, "members_message")
    assert client.post(address, data={"subject": "", "body": ""}).status_code == 422
    response = client.post(address, data={"subject": "River day", "body": "Boots on Friday."})
    assert response.status_code == 303
    thread = MailThread.get()
    assert thread.space_id == space.id and thread.subject == "River day"
    message = MailMessage.get()
    assert message.sender_id == teacher.id
    holders = {r.user_id for r in MailRecipient.select()}
    assert holders == {teacher.id, pupil.id, other.id} and outsider.id not in holders
    kinds = {(n.recipient_id, n.kind) for n in Notification.select()}
    assert (pupil.id, "message") in kinds and (other.id, "message") in kinds


def test_pupil_of_two_spaces_is_reset_only_by_teachers_of_their_spaces(client, login,
                                                                       space_kind, space_url):
    a_teacher, b_teacher = make_user(), make_user()
    a = make_space(a_teacher, space_kind, title="A")
    b = make_space(b_teacher, space_kind, title="B")
    pupil = make_user("student")
    spaces.join(a, pupil, SpaceRole.STUDENT)
    login(b_teacher)
    reset = space_url(b, "member_password", user_id=pupil.id)
    assert client.post(reset).status_code == 404
    spaces.join(b, pupil, SpaceRole.STUDENT)
    assert client.post(reset).status_code == 200
    assert Space.select().count() == 2


def test_a_pupil_removed_from_their_last_space_can_no_longer_log_in(app, client, login,
                                                                    space_kind, space_url,
                                                                    url):
    teacher = make_user()
    space = make_space(teacher, space_kind)
    other_space = make_space(teacher, space_kind, title="Second")
    pupil, twice = make_user("student"), make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, twice, SpaceRole.STUDENT)
    spaces.join(other_space, twice, SpaceRole.STUDENT)
    pupil_client = app.test_client()
    switch(pupil_client, pupil)
    assert pupil_client.get(space_url(space, "home")).status_code == 200
    login(teacher)
    client.post(space_url(space, "member_remove", user_id=pupil.id))
    client.post(space_url(space, "member_remove", user_id=twice.id))
    assert User.get_by_id(pupil.id).disabled
    assert not User.get_by_id(twice.id).disabled  # still in the second space
    assert pupil_client.get(url(parents.of(space).list_endpoint)).status_code == 303  # ended
