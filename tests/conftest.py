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
from flask import url_for
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

import commands
from app import create_app, open_database
from blueprints.spaces import parents
from models import SpaceRole, db
from services import spaces
from tests.factories import PASSWORD, SPACE_FACTORIES, make_space, make_user

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


def build_app(template_db, folder, **overrides):
    """A test app on a fresh database (a copy in `folder`, or emptied PostgreSQL tables),
    its uploads in `folder`, with any settings a test needs changed."""
    _close_pool()  # an earlier app's: its connections end before the database is replaced
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": _fresh_database_url(template_db, folder),
        "RATELIMIT_ENABLED": False,
        # Each app counts on its own, also when the counts live in a shared Redis.
        "RATELIMIT_KEY_PREFIX": "test-" + os.urandom(6).hex(),
        "UPLOAD_DIR": str(folder / "uploads"),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = CSRFClient
    from services import jobs
    jobs.huey.flush()  # no task scheduled by an earlier test (retries wait in memory)
    return app


@pytest.fixture
def make_app(template_db, tmp_path):
    """Build the test app, with a fresh database and any settings a test needs changed."""
    def _make(**overrides):
        return build_app(template_db, tmp_path, **overrides)
    yield _make
    if not db.is_closed():
        db.close()
    _close_pool()


def _close_pool():
    """Close every connection the app's pool keeps (database.py): a test's SQLite file is
    replaced by a fresh copy, which an open connection (and its WAL) would still see. Counts
    kept by services/counts.py go too (on PostgreSQL every test's database has one name)."""
    from database import close_pool
    from services import counts
    close_pool()
    counts._kept.clear()


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


def switch(client, user, password=PASSWORD):
    """Log the test client in as `user` (password from factories), logging out first whoever
    is logged in; returns the response to the log-in form. The one log-in helper of the view
    tests (the `login` fixture is this, bound to `client`; the browser's is `log_in` in
    tests/browser/test_foundation.py)."""
    with client.session_transaction() as session:
        logged_in = "_user_id" in session
    if logged_in:
        log_out(client)
    with client.application.test_request_context():
        address = url_for("auth.login")
    return client.post(address, data={"identifier": user.email or user.username,
                                      "password": password})


def log_out(client):
    with client.application.test_request_context():
        address = url_for("auth.logout")
    return client.post(address)


@pytest.fixture
def login(client):
    """login(user) or login(user, password): `switch` for the test's client."""
    def _login(user, password=PASSWORD):
        return switch(client, user, password)
    return _login


# --- Spaces of every kind ------------------------------------------------------------------
# A test of a shared space feature (pages, materials, forums, members, consent, profiles)
# takes `cast` (or `space_kind`) and so runs once per kind of space; it builds its URLs with
# `space_url`, which follows the space's own parent, and never writes a path.

@pytest.fixture(params=list(SPACE_FACTORIES))
def space_kind(request):
    """Each kind of space in turn ("twinspace"; the Groups issue adds "group")."""
    return request.param


@pytest.fixture
def cast(app, space_kind):
    """People around a space of `space_kind`: its admin `teacher`, a second teacher `other`,
    pupils `pupil` and `pupil2`, a `guest` (visitor) and an `outsider` (a teacher of no space);
    and `other_space` of the same kind, run by `other_teacher`, with its pupil
    `stranger_pupil`."""
    teacher = make_user(name="Tina Teacher")
    space = make_space(teacher, space_kind)
    other = make_user(name="Otto Teacher")
    pupil, pupil2, guest = make_user("student"), make_user("student"), make_user("visitor")
    spaces.join(space, other, SpaceRole.TEACHER)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, pupil2, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    other_teacher = make_user()
    other_space = make_space(other_teacher, space_kind, title="Mountains")
    stranger_pupil = make_user("student")
    spaces.join(other_space, stranger_pupil, SpaceRole.STUDENT)
    return dict(space=space, teacher=teacher, other=other, pupil=pupil, pupil2=pupil2,
                guest=guest, outsider=make_user(), other_space=other_space,
                other_teacher=other_teacher, stranger_pupil=stranger_pupil)


@pytest.fixture
def space_url(app):
    """space_url(space, "page", page_id=3): a shared page of `space`, under its own parent."""
    def _space_url(space, endpoint, **values):
        with app.test_request_context():
            return parents.url_for_space(space, endpoint, **values)
    return _space_url


@pytest.fixture
def parent_url(app):
    """parent_url(space, "diary"): a page of the space's parent itself (a TwinSpace's diary,
    bulletin, public view, settings)."""
    def _parent_url(space, endpoint, **values):
        with app.test_request_context():
            return parents.of(space).own_url(endpoint, space_id=space.id, **values)
    return _parent_url


@pytest.fixture
def url(app):
    """url("live.project", project_id=3): url_for for every page outside a space."""
    def _url(endpoint, **values):
        with app.test_request_context():
            return url_for(endpoint, **values)
    return _url


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
