"""Issue 13, faults: the database away gives a friendly 503 (styled, Retry-After), and the app
recovers by itself when it is back. The SQLite part runs on every pass; the PostgreSQL restart
under load is in test_postgres_restart.py."""
import shutil

import peewee
import psycopg2
from flask import url_for

import commands
from models import User, db
from tests.factories import make_user

BUSY = "Try again in a minute. What you saved before is safe."


def assert_friendly_503(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    html = response.get_data(as_text=True)
    assert "<h1>The service is busy for a moment</h1>" in html
    assert BUSY in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert 'href="/static/' in html  # the styled page, with the site's layout


def test_an_unreachable_database_is_a_503_and_the_app_recovers_when_it_is_back(
        make_app, template_db, tmp_path):
    path = tmp_path / "away" / "opentwin.db"  # its folder does not exist yet: cannot open
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    client = app.test_client()
    with app.test_request_context():
        home, login = url_for("portal.home"), url_for("auth.login")
    assert_friendly_503(client.get(home))
    assert_friendly_503(client.post(login, data={"identifier": "a@b.c", "password": "x"}))
    # The database comes back: the same app (no restart) answers normally.
    path.parent.mkdir()
    if template_db.startswith("/"):
        shutil.copyfile(template_db, path)
    else:  # the PostgreSQL pass: a SQLite database of its own
        commands.migrate(db.obj)  # the app's own database, the SQLite file above
        db.close()
    assert client.get(home).status_code == 200
    assert client.get(login).status_code == 200


def test_a_connection_lost_mid_request_is_a_503_even_for_someone_logged_in(app, client, login):
    teacher = make_user(name="Tina Teacher")

    @app.route("/__lost")
    def lost():
        User.get_by_id(teacher.id)  # the database answered once in this request...
        raise peewee.InterfaceError("connection already closed")  # ...then went away

    @app.route("/__locked")
    def locked():
        raise peewee.OperationalError("database is locked")

    login(teacher)
    response = client.get("/__lost")
    assert_friendly_503(response)
    # Built without the database: the page does not load the account (shown logged out).
    assert "Tina Teacher" not in response.get_data(as_text=True)
    assert_friendly_503(client.get("/__locked"))
    with app.test_request_context():
        account = url_for("account.show")
    # The next request reconnects and still knows who is logged in.
    response = client.get(account)
    assert response.status_code == 200 and "Tina Teacher" in response.get_data(as_text=True)


def test_psycopg2_errors_get_the_503_too(app, client):
    @app.route("/__pg")
    def pg():
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    assert_friendly_503(client.get("/__pg"))
