"""The public portal may be kept by a proxy (issue 15): an anonymous visitor's page makes no
session and says `public, max-age=60`, varying with what picks the language; a logged-in
user's page, a page with a form (its CSRF token) and any response that sets a cookie stay
`no-store`. The language switch needs no token from an anonymous visitor; a user's needs the
token, or a browser that names this site as its Origin."""
import pytest

from models import LearningEvent, Project, User
from services import demo
from tests.factories import make_user, reload

PUBLIC = "public, max-age=60"


def public_pages(url):
    lively = Project.get(Project.title == demo.LIVELY)
    ana = User.get(User.email == "ana.garcia@demo.opentwin.eu")
    return [url("portal.home"), url("portal.discover"), url("portal.connect", q="rossi"),
            url("portal.gallery"), url("portal.progress"), url("portal.kits"),
            url("portal.collaborate"), url("portal.group_directory"),
            url("portal.project", project_id=lively.id),
            url("portal.teacher", user_id=ana.id),
            url("portal.learning_event", event_id=LearningEvent.select().first().id),
            url("twinspace.public_view", space_id=lively.space.id),
            url("portal.discover", role="teacher")]


def test_anonymous_public_pages_set_no_cookie_and_may_be_kept_by_a_proxy(app, url):
    demo.seed(app.config["UPLOAD_DIR"])
    wrong = []
    for path in public_pages(url):
        response = app.test_client().get(path)
        vary = {v.strip() for v in response.headers.get("Vary", "").split(",")}
        seen = (response.status_code, response.headers.get("Cache-Control"),
                "Set-Cookie" in response.headers, {"Cookie", "Accept-Language"} <= vary)
        if seen != (200, PUBLIC, False, True):
            wrong.append((path, seen))
    assert wrong == []


def test_an_anonymous_page_carries_no_csrf_token(client, url):
    body = client.get(url("portal.home")).get_data(as_text=True)
    assert 'name="csrf-token"' not in body and 'name="csrf_token"' not in body
    assert 'action="/language"' in body  # the language choice is still there


def test_a_fragment_for_anonymous_visitors_is_public_too(client, url):
    response = client.get(url("portal.discover", role="teacher"),
                          headers={"HX-Request": "true", "HX-Target": "testimonials"})
    assert response.headers["Cache-Control"] == PUBLIC
    assert "HX-Target" in response.headers["Vary"]


@pytest.mark.parametrize("endpoint", ["auth.login", "auth.register", "auth.forgot_password"])
def test_pages_with_a_form_stay_private(client, url, endpoint):
    response = client.get(url(endpoint))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'name="csrf_token"' in response.get_data(as_text=True)


def test_logged_in_pages_stay_private(client, login, url):
    login(make_user())
    for path in (url("portal.home"), url("portal.discover"), url("live.dashboard")):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", path
        assert 'name="csrf-token"' in response.get_data(as_text=True)


def test_a_page_showing_a_flash_message_stays_private(client, url):
    client.get(url("live.dashboard"))  # anonymous: sent to log in, with a message
    response = client.get(url("portal.home"))
    assert "Log in to see this page." in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" in response.headers  # the message is gone from the session
    assert client.get(url("portal.home")).headers["Cache-Control"] == PUBLIC


def test_anonymous_language_switch_needs_no_token(client, url):
    response = client.post(url("portal.set_language"), csrf=False,
                           data={"lang": "es", "next": url("portal.discover")})
    assert response.status_code == 303 and "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert '<html lang="es">' in client.get(url("portal.discover")).get_data(as_text=True)
    # From then on the visitor's pages are public again, in Spanish, varying by the cookie.
    again = client.get(url("portal.home"))
    assert '<html lang="es">' in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == PUBLIC and "Set-Cookie" not in again.headers


def test_anonymous_language_switch_from_another_site_is_refused(client, url):
    response = client.post(url("portal.set_language"), csrf=False, data={"lang": "es"},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert '<html lang="en">' in client.get(url("portal.home")).get_data(as_text=True)
    same = client.post(url("portal.set_language"), csrf=False, data={"lang": "es"},
                       headers={"Origin": "http://localhost"})
    assert same.status_code == 303


def test_a_users_language_switch_still_needs_the_token(client, login, url):
    teacher = make_user(language="en")
    login(teacher)
    refused = client.post(url("portal.set_language"), csrf=False, data={"lang": "es"})
    assert refused.status_code == 400 and reload(teacher).language == "en"
    accepted = client.post(url("portal.set_language"), data={"lang": "es"})
    assert accepted.status_code == 303 and reload(teacher).language == "es"


def test_a_users_switch_from_a_page_kept_from_before_log_in_is_believed_by_its_origin(
        client, login, url):
    """The back button after logging in shows the anonymous page, whose form has no token:
    the browser's Origin says the post comes from this site, so it is not an error page."""
    teacher = make_user(language="en")
    login(teacher)
    forged = client.post(url("portal.set_language"), csrf=False, data={"lang": "es"},
                         headers={"Origin": "https://evil.example"})
    assert forged.status_code == 400 and reload(teacher).language == "en"
    kept = client.post(url("portal.set_language"), csrf=False, data={"lang": "es"},
                       headers={"Origin": "http://localhost"})
    assert kept.status_code == 303 and reload(teacher).language == "es"
