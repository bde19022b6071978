"""Issue 11 (item 6): the shared test helpers do what the shared-feature tests rely on — a
space of each kind made the way that kind is made, one `cast` around it, URLs that follow the
space's own parent, and one log-in helper that switches users and refuses a wrong password."""
from blueprints.spaces import parents
from models import Membership, SpaceRole
from services import spaces
from tests.conftest import log_out, switch
from tests.factories import RUNNER_ROLES, SPACE_FACTORIES, make_space, make_user


def test_every_kind_of_space_has_a_factory_and_a_parent(app):
    assert set(SPACE_FACTORIES) == {p.kind for p in parents.all_parents()}


def test_make_space_makes_a_space_of_its_kind_run_by_the_teacher(app, space_kind):
    teacher = make_user()
    space = make_space(teacher, space_kind, title="Lakes")
    assert space.kind == space_kind and space.title == "Lakes"
    assert parents.of(space).kind == space_kind
    assert spaces.membership(space, teacher).role == RUNNER_ROLES[space_kind]


def test_the_cast_has_everybody_in_their_place(cast, space_kind):
    space, other_space = cast["space"], cast["other_space"]
    assert space.kind == other_space.kind == space_kind and space.id != other_space.id
    roles = {who: spaces.membership(space, cast[who]) for who in (
        "teacher", "other", "pupil", "pupil2", "guest", "outsider", "other_teacher",
        "stranger_pupil")}
    assert {who: m.role for who, m in roles.items() if m} == {
        "teacher": RUNNER_ROLES[space_kind], "other": SpaceRole.TEACHER, "pupil": SpaceRole.STUDENT,
        "pupil2": SpaceRole.STUDENT, "guest": SpaceRole.VISITOR}
    assert (spaces.membership(other_space, cast["other_teacher"]).role
            == RUNNER_ROLES[space_kind])
    assert spaces.membership(other_space, cast["stranger_pupil"]).role == SpaceRole.STUDENT
    assert not Membership.select().where(Membership.user == cast["outsider"].id).exists()


def test_space_url_follows_the_spaces_own_parent(app, client, login, cast, space_url,
                                                 parent_url):
    space = cast["space"]
    parent = parents.of(space)
    with app.test_request_context():
        assert space_url(space, "page", page_id=3) == parent.url("page", space_id=space.id,
                                                                 page_id=3)
        assert space_url(space, "pages").startswith(parent.blueprint.url_prefix + "/")
        for entry in parent.nav:  # the parent's own pages, under the same prefix
            assert parent_url(space, entry.endpoint) == parent.own_url(entry.endpoint,
                                                                       space_id=space.id)
    login(cast["pupil"])
    assert client.get(space_url(space, "pages")).status_code == 200
    # The same page of another space of the same kind is not this pupil's.
    assert client.get(space_url(cast["other_space"], "pages")).status_code == 404


def test_one_log_in_helper_switches_users_and_refuses_a_wrong_password(client, login, cast,
                                                                       space_url):
    space = cast["space"]
    consent = space_url(space, "export")  # the space's teachers only
    assert login(cast["teacher"]).status_code == 303
    assert client.get(consent).status_code == 200
    switch(client, cast["pupil"])  # whoever was in is logged out first
    assert client.get(consent).status_code == 404
    response = switch(client, cast["teacher"], password="not the password")
    assert response.status_code == 422 and "correct e-mail address" in response.get_data(
        as_text=True)
    assert client.get(consent).status_code in (302, 303)  # logged out, not in as a teacher
    assert login(cast["teacher"]).status_code == 303
    log_out(client)
    assert client.get(consent).status_code in (302, 303)
