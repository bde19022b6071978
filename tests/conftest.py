"""Fixtures: an app with its own database per test, a CSRF-aware client, users per role.

The schema is migrated once per run (into a template SQLite file, or into PostgreSQL when
DATABASE_URL points there); each test then gets a fresh copy (SQLite) or emptied tables
(PostgreSQL), which keeps per-test set-up in the milliseconds.
"""
import contextlib
import os
import shutil
import threading

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

import commands
from app import create_app, open_database
from models import db

PG_URL = os.environ.get("DATABASE_URL", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_sessionstart(session):
    """Compile the translation catalogues, so a bare `pytest` tests the current ones."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    translations = os.path.join(ROOT, "translations")
    for lang in os.listdir(translations):
        po = os.path.join(translations, lang, "LC_MESSAGES", "messages.po")
        if os.path.exists(po):
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=lang)
            with open(po[:-3] + ".mo", "wb") as fh:
                write_mo(fh, catalog)
USE_PG = PG_URL.startswith("postgres")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrate an empty database once; return its path (SQLite) or URL (PostgreSQL)."""
    if USE_PG:
        database = open_database(PG_URL)
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
        db.initialize(database)
        commands.migrate(database)
        database.close()
        return PG_URL
    path = str(tmp_path_factory.mktemp("template") / "template.db")
    database = open_database("sqlite:///" + path)
    db.initialize(database)
    commands.migrate(database)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def _fresh_database_url(template_db, tmp_path):
    if USE_PG:
        database = open_database(PG_URL)
        tables = [t for t in database.get_tables() if t != "schema_migration"]
        if tables:
            database.execute_sql("TRUNCATE {} RESTART IDENTITY CASCADE".format(
                ", ".join(f'"{t}"' for t in tables)))
        database.close()
        return PG_URL
    path = tmp_path / "test.db"
    shutil.copyfile(template_db, path)
    return "sqlite:///" + str(path)


class CSRFClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token, unless told `csrf=False`."""

    def post(self, *args, csrf=True, **kwargs):
        if csrf:
            data = dict(kwargs.get("data") or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)

    def csrf_token(self):
        # The same signed token flask-wtf's generate_csrf() puts in forms.
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        secret = self.application.config["SECRET_KEY"]
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture
def make_app(template_db, tmp_path):
    """Build the test app, with a fresh database and any settings a test needs changed."""
    def _make(**overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": _fresh_database_url(template_db, tmp_path),
            "RATELIMIT_ENABLED": False,
            # Each app counts on its own, also when the counts live in a shared Redis.
            "RATELIMIT_KEY_PREFIX": "test-" + os.urandom(6).hex(),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
        config.update(overrides)
        app = create_app(config)
        app.test_client_class = CSRFClient
        return app
    yield _make
    if not db.is_closed():
        db.close()


@pytest.fixture
def app(make_app):
    # No app context is held open here: each request must get its own, as in production
    # (flask-login keeps the user in `g`, which would otherwise leak between requests).
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def hx(target, trigger=None):
    """Headers of an htmx request for one region: client.get(url, headers=hx("id"))."""
    headers = {"HX-Request": "true", "HX-Target": target}
    if trigger:
        headers["HX-Trigger"] = trigger
    return headers


def switch(client, user):
    """Log the client out and in again as `user` (password from factories)."""
    from tests.factories import PASSWORD
    client.post("/auth/logout")
    client.post("/auth/login", data={"identifier": user.email or user.username,
                                     "password": PASSWORD})


@pytest.fixture
def login(client):
    """Log the client in as a user (password from factories); returns the response."""
    from tests.factories import PASSWORD

    def _login(user, password=PASSWORD):
        identifier = user.email or user.username
        return client.post("/auth/login", data={"identifier": identifier, "password": password})
    return _login


@contextlib.contextmanager
def serving(app):
    """Serve `app` on a free port of 127.0.0.1 in a thread (WebSockets included); yield
    "127.0.0.1:<port>"."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
