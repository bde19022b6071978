"""Refusals found by review: forged hosts, odd input, scopes that must match nothing."""
import pytest

from models import OutboxMail, Role, School, User
from tests.factories import PASSWORD, make_school, make_user
from tests.views.test_auth import register_data


def test_mail_links_use_base_url_not_the_request_host(make_app):
    client = make_app(BASE_URL="https://opentwin.example.org",
                      TRUSTED_HOSTS=["opentwin.example.org", "localhost"]).test_client()
    make_user(email="ana@example.org")
    client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    assert "https://opentwin.example.org/auth/password/reset/" in OutboxMail.get().body


def test_a_forged_host_is_refused_when_base_url_is_set(make_app):
    client = make_app(BASE_URL="https://opentwin.example.org",
                      TRUSTED_HOSTS=["opentwin.example.org", "localhost"]).test_client()
    make_user(email="ana@example.org")
    response = client.post("/auth/password/forgot", data={"email": "ana@example.org"},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert OutboxMail.select().count() == 0


def test_rate_limits_count_the_real_client_behind_a_proxy(make_app):
    client = make_app(RATELIMIT_ENABLED=True, PROXY_FIX=1).test_client()
    for n in range(10):
        client.post("/auth/password/forgot", data={"email": f"x{n}@example.org"},
                    headers={"X-Forwarded-For": "203.0.113.1"})
    blocked = client.post("/auth/password/forgot", data={"email": "y@example.org"},
                          headers={"X-Forwarded-For": "203.0.113.1"})
    other = client.post("/auth/password/forgot", data={"email": "y@example.org"},
                        headers={"X-Forwarded-For": "203.0.113.2"})
    assert blocked.status_code == 429
    assert other.status_code == 303


def test_national_staff_without_a_country_see_nobody(client, login):
    make_user(name="Some Teacher", country="ES")
    login(make_user(Role.NSS, country=None))
    page = client.get("/admin/people").get_data(as_text=True)
    assert "Some Teacher" not in page
    assert "0 accounts" in page


@pytest.mark.parametrize("page", ["²", "①", "٣", "1e3", ""])
def test_odd_page_numbers_are_page_one(client, login, page):
    login(make_user(Role.CSS))
    assert client.get(f"/admin/people?page={page}").status_code == 200
    assert client.get(f"/admin/outbox?page={page}").status_code == 200


@pytest.mark.parametrize("target", ["/a\nb", "/a\r\nSet-Cookie: x=1", "/a\x7f"])
def test_next_with_control_characters_goes_home(client, target):
    response = client.post("/language", data={"lang": "es", "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_language_switch_after_a_failed_post_does_not_return_to_a_post_only_url(client,
                                                                                login):
    login(make_user())
    page = client.post("/account/password", data={"current": "x", "password": "y",
                                                   "confirm": "z"}).get_data(as_text=True)
    assert 'name="next" value="/account/password"' not in page


def test_anonymous_post_to_a_protected_url_logs_in_without_a_post_only_next(client):
    response = client.post("/account/password", data={})
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/login"


@pytest.mark.parametrize("field", ["identifier", "password"])
def test_nul_bytes_are_refused_clearly(client, field):
    data = {"identifier": "ana@example.org", "password": PASSWORD}
    data[field] = "a\x00b"
    assert client.post("/auth/login", data=data).status_code == 400
    assert client.get("/connect?q=a%00b").status_code == 400


def test_names_are_kept_on_one_line(client):
    client.post("/auth/register", data=register_data(
        name="Rosa\nPlease verify at https://evil.example", new_school_name="IES\r\nNueva"))
    user = User.get(User.email == "rosa@example.org")
    assert "\n" not in user.name and user.name.startswith("Rosa Please")
    assert user.school.name == "IES Nueva"


def test_a_new_school_matching_an_existing_one_in_another_case_is_reused(client):
    school = make_school("ES", "IES Nueva")
    client.post("/auth/register", data=register_data(new_school_name="ies nueva"))
    assert User.get(User.email == "rosa@example.org").school_id == school.id
    assert School.select().count() == 1


def test_enter_without_javascript_registers_instead_of_refreshing_schools(client):
    response = client.post("/auth/register", data=register_data(action="schools"))
    assert response.status_code == 303
    assert User.select().where(User.email == "rosa@example.org").exists()


def test_registration_is_rate_limited_per_address(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    codes = [client.post("/auth/register", data=register_data(email=f"r{n}@example.org"))
             .status_code for n in range(31)]
    assert 429 not in codes[:30]
    assert codes[30] == 429


def test_ids_beyond_a_database_integer_are_404(client, login):
    login(make_user())
    for url in ("/files/99999999999999999999", "/projects/9223372036854775808",
                "/live/mail/99999999999999999999", "/live/events/99999999999999999999"):
        assert client.get(url).status_code == 404, url


def test_members_search_lists_only_public_projects(client, login):
    from models import PartnerState, Project, ProjectPartner
    from services import search
    owner = make_user()
    secret = Project.create(title="Secret project zebra", description="hush", founder=owner)
    ProjectPartner.create(project=secret, user=owner, state=PartnerState.ACCEPTED)
    search.index_project(secret)
    login(make_user())
    page = client.get("/connect?type=projects&q=zebra").get_data(as_text=True)
    assert "Secret project zebra" not in page


def test_a_name_kept_for_contacts_stays_with_contacts(client, login):
    from models import Contact, ContactState, PartnerState, Project, ProjectPartner
    from services import search
    hidden = make_user(name="Zorro Quixote")
    hidden.set_visibility({"name": "contacts", "school": "contacts"})
    hidden.save()
    search.index_teacher(hidden)
    project = Project.create(title="Open doors", founder=hidden, is_public=True)
    ProjectPartner.create(project=project, user=hidden, state=PartnerState.ACCEPTED)
    stranger = make_user()
    login(stranger)
    assert client.get(f"/teachers/{hidden.id}").status_code == 404
    assert "Zorro" not in client.get("/connect?q=zorro").get_data(as_text=True)
    assert "Zorro" not in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Zorro" not in client.get(f"/live/mail/new?to={hidden.id}").get_data(as_text=True)
    Contact.create(requester=stranger, addressee=hidden, state=ContactState.ACCEPTED)
    assert "Zorro Quixote" in client.get(f"/teachers/{hidden.id}").get_data(as_text=True)
