"""What every page has: security headers, compression, cached static files, error pages,
the interface language (P-7), and the home page (P-1)."""
import gzip
import re

import pytest

from models import Role, User
from tests.factories import make_school, make_user, reload


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    # The anonymous portal may be kept by a proxy; everything else is no-store
    # (tests/views/test_public_cache.py).
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_pages_have_no_inline_script_or_style(client):
    body = client.get("/auth/register").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "style=" not in body and "<style" not in body


def test_session_cookie_is_httponly_and_lax(client):
    make_user(email="ana@example.org")
    response = client.post("/auth/login", data={"identifier": "ana@example.org",
                                                "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_static_files_have_hashed_urls_and_long_cache(client):
    body = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', body).group(1)
    js = re.search(r'src="(/static/js/htmx-2\.0\.11\.min\.js\?v=[0-9a-f]{10})"', body).group(1)
    for url in (css, js):
        response = client.get(url)
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        response.close()


def test_htmx_is_version_2_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    assert "unpkg" not in body and "cdn" not in body
    with open("static/js/htmx-2.0.11.min.js") as fh:
        assert 'version:"2.0.11"' in fh.read()


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_pages_and_static_files_are_compressed(client, encoding):
    page = client.get("/auth/register", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    body = client.get("/").get_data(as_text=True)
    js = re.search(r'src="(/static/js/htmx[^"]+)"', body).group(1)
    response = client.get(js, headers={"Accept-Encoding": encoding})
    assert response.headers.get("Content-Encoding") == encoding
    response.close()


def test_gzip_page_decodes_to_the_page(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert b"OpenTwin" in gzip.decompress(response.data)


@pytest.mark.parametrize("url, code, text", [
    ("/no/such/page", 404, "Page not found"),
    ("/auth/logout", 405, "This page cannot be used that way"),
])
def test_errors_are_styled_pages(client, url, code, text):
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert text in body and 'class="skip-link"' in body


def test_server_error_is_a_styled_page(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_language_switch_holds_for_the_session(client):
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    response = client.post("/language", data={"lang": "es", "next": "/auth/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    body = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="es">' in body and "Iniciar sesión" in body
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)


def test_browser_language_is_the_default(client):
    body = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in body


def test_language_choice_is_remembered_for_the_account(app, client, login):
    teacher = make_user(language="en")
    login(teacher)
    client.post("/language", data={"lang": "es", "next": "/live/"})
    assert reload(teacher).language == "es"
    other = app.test_client()
    other.post("/auth/login", data={"identifier": teacher.email,
                                    "password": "correct horse battery"})
    assert '<html lang="es">' in other.get("/live/").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"lang": "xx"}, {}, {"lang": "es" * 100}])
def test_language_switch_refuses_unknown_languages(client, data):
    assert client.post("/language", data=data).status_code == 400


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"lang": "es", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_mail_goes_out_in_the_recipients_language(client):
    make_user(email="ana@example.org", language="es")
    client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    from models import OutboxMail
    mail = OutboxMail.get()
    assert mail.subject == "Crea una nueva contraseña de OpenTwin"
    assert "Hola" in mail.body


def test_home_shows_live_figures(client):
    school = make_school("ES")
    make_user(country="ES", school=school)
    make_user(country="FR", school=make_school("FR"))
    make_user(Role.NSS, country="IT")  # staff are not counted as teachers
    body = client.get("/").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", body))
    assert figures == {"Teachers": "2", "Schools": "2", "Projects": "0", "Countries": "2"}
    assert "Spain" in body and "France" in body


def test_home_needs_a_bounded_number_of_queries(client):
    from playhouse.test_utils import count_queries
    for n in range(20):
        make_user(country=["ES", "FR", "IT", "PL"][n % 4])
    with count_queries() as counter:
        client.get("/")
    assert counter.count <= 7


def test_over_long_upload_is_refused(app, client):
    """A request above the limit (the 50 MB file limit plus room for its form) gets 413."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 55 * 1024 * 1024
    response = client.post("/auth/login", data=b"x" * (limit + 1),
                           content_type="application/octet-stream", csrf=False)
    assert response.status_code == 413


def test_the_upload_limit_follows_max_upload_mb(make_app):
    assert make_app(MAX_UPLOAD_MB=100).config["MAX_CONTENT_LENGTH"] == 105 * 1024 * 1024
