"""Roles and what each may reach: navigation, Live, admin screens, the outbox."""
import pytest

from models import OutboxMail, Role
from services import permissions
from tests.factories import make_school, make_user

PAGES = ["/live/", "/admin/", "/admin/people", "/admin/outbox", "/account/"]

# role -> the pages above it may open (anything else: 403; anonymous: sent to log in)
ALLOWED = {
    Role.TEACHER: {"/live/", "/account/"},
    Role.STUDENT: {"/account/"},
    Role.VISITOR: {"/account/"},
    Role.NSS: {"/admin/", "/admin/people", "/account/"},
    Role.CSS: {"/admin/", "/admin/people", "/admin/outbox", "/account/"},
}


@pytest.mark.parametrize("role", Role.ALL)
def test_each_role_reaches_exactly_its_pages(client, login, role):
    login(make_user(role))
    for page in PAGES:
        expected = 200 if page in ALLOWED[role] else 403
        assert client.get(page).status_code == expected, (role, page)


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/auth/login?next={page}"


def test_htmx_request_for_a_protected_page_redirects_the_whole_page(client):
    response = client.get("/admin/people", headers={"HX-Request": "true",
                                                    "HX-Target": "people-results"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/auth/login")


@pytest.mark.parametrize("role, shown, hidden", [
    (None, ["Log in", "Register"], ["Live", "Admin", "National support", "Log out"]),
    (Role.TEACHER, ["Live", "Your account", "Log out"], ["Admin", "National support"]),
    (Role.STUDENT, ["Your account", "Log out"], [">Live<", "Admin", "National support"]),
    (Role.NSS, ["National support", "Log out"], [">Live<", ">Admin<"]),
    (Role.CSS, [">Admin<", "Log out"], [">Live<", "National support"]),
])
def test_navigation_differs_by_role(client, login, role, shown, hidden):
    if role:
        login(make_user(role))
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    for text in shown:
        assert text in header, (role, text)
    for text in hidden:
        assert text not in header, (role, text)


def test_national_staff_list_only_their_country(client, login):
    make_user(name="Spanish Teacher", country="ES")
    make_user(name="French Teacher", country="FR")
    login(make_user(Role.NSS, country="ES"))
    page = client.get("/admin/people").get_data(as_text=True)
    assert "Spanish Teacher" in page and "French Teacher" not in page
    assert "People in Spain" in page


def test_central_staff_list_everyone_and_filter_by_role(client, login):
    make_user(name="Spanish Teacher", country="ES")
    make_user(Role.STUDENT, name="Some Pupil")
    login(make_user(Role.CSS))
    page = client.get("/admin/people").get_data(as_text=True)
    assert "Spanish Teacher" in page and "Some Pupil" in page
    page = client.get("/admin/people?role=student").get_data(as_text=True)
    assert "Some Pupil" in page and "Spanish Teacher" not in page
    # An unknown role filter shows everyone rather than failing.
    assert client.get("/admin/people?role=<script>").status_code == 200


def test_people_results_are_an_htmx_partial_with_the_same_check(client, login):
    make_user(name="Spanish Teacher")
    login(make_user(Role.CSS))
    response = client.get("/admin/people?role=teacher",
                          headers={"HX-Request": "true", "HX-Target": "people-results"})
    body = response.get_data(as_text=True)
    assert "Spanish Teacher" in body and "<html" not in body
    client.post("/auth/logout")
    login(make_user(Role.TEACHER))
    response = client.get("/admin/people?role=teacher",
                          headers={"HX-Request": "true", "HX-Target": "people-results"})
    assert response.status_code == 403


def test_people_pages_clamp_out_of_range_page_numbers(client, login):
    login(make_user(Role.CSS))
    for page in ("999", "-1", "abc", "9" * 40):
        assert client.get(f"/admin/people?page={page}").status_code == 200


def test_a_long_people_list_is_counted_up_to_a_cap_and_says_so(client, login, monkeypatch):
    from blueprints.admin import routes
    from models import User
    from services import paging
    staff = make_user(Role.CSS)
    for n in range(6):
        make_user(name=f"Person {n}")
    monkeypatch.setattr(routes, "PEOPLE_COUNTED", 4)
    monkeypatch.setattr(paging.Page, "of_query", _small_pages(paging.Page.of_query))
    login(staff)
    page = client.get("/admin/people").get_data(as_text=True)
    assert "More than 4 accounts" in page and "Page 1 of 2" in page
    assert "Only the newest 4 are listed: choose a role to see fewer." in page
    newest = [u.name for u in User.select().order_by(User.created_at.desc(), User.id.desc())]
    assert newest[0] in page and newest[2] not in page
    last = client.get("/admin/people?page=9").get_data(as_text=True)  # clamps to the cap
    assert "Page 2 of 2" in last and newest[3] in last and newest[4] not in last
    page = client.get("/admin/people?role=css").get_data(as_text=True)
    assert "More than" not in page and "Only the newest" not in page


def _small_pages(of_query):
    """Page.of_query with 2 a page, so a short list shows how a long one pages."""
    def small(query, page, per_page=25, **kwargs):
        return of_query(query, page, per_page=2, **kwargs)
    return small


def test_outbox_shows_mails_with_clickable_links_to_central_staff(client, login):
    mail = OutboxMail.create(to_address="a@example.org", subject="Hello <b>",
                             body="Open http://localhost/auth/confirm/abc <script>x</script>")
    login(make_user(Role.CSS))
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert "Hello &lt;b&gt;" in listing
    page = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    assert '<a href="http://localhost/auth/confirm/abc" rel="nofollow">' in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert client.get("/admin/outbox/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.TEACHER, Role.NSS, Role.STUDENT])
def test_outbox_mail_is_refused_to_anyone_but_central_staff(client, login, role):
    mail = OutboxMail.create(to_address="a@example.org", subject="Reset", body="secret link")
    login(make_user(role))
    assert client.get(f"/admin/outbox/{mail.id}").status_code == 403


def test_permission_rules_refuse_disabled_and_anonymous_users():
    from flask_login import AnonymousUserMixin
    anonymous = AnonymousUserMixin()
    for rule in (permissions.can_use_live, permissions.can_use_admin,
                 permissions.can_read_outbox, permissions.is_logged_in):
        assert not rule(anonymous)
    disabled = make_user(Role.CSS, disabled=True)
    assert not permissions.can_read_outbox(disabled)


@pytest.mark.parametrize("url", ["/admin/people", "/admin/outbox"])
def test_admin_lists_need_a_bounded_number_of_queries(client, login, url):
    from playhouse.test_utils import count_queries
    for n in range(30):
        make_user(name=f"T{n}", school=make_school())
        OutboxMail.create(to_address=f"t{n}@example.org", subject="s", body="b")
    login(make_user(Role.CSS))
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    assert counter.count <= 6  # the page, the user, and the two header counts
