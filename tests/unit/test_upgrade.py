"""Upgrading (issue 13, item 5): a database made at the first migration, with people in it,
migrates to the latest schema with its rows and values intact, and the app serves them;
`flask db upgrade` applies exactly the pending migrations."""
import datetime
import os
import sqlite3

from flask import url_for
from playhouse.migrations import Runner

import commands
from app import create_app, open_database
from services import accounts, search
from tests.conftest import CSRFClient, switch
from tests.factories import PASSWORD

FIRST = "0001_initial"
ALL = sorted(name[:-3] for name in os.listdir(commands.MIGRATIONS_DIR)
             if name[:4].isdigit() and name.endswith(".py"))
WHEN = datetime.datetime(2025, 3, 1, 9, 30)


def old_database(path):
    """A SQLite file at the first migration, with a school, two teachers and their subjects
    and age ranges written in the SQL of that time."""
    database = open_database("sqlite:///" + str(path))
    assert Runner(database, commands.MIGRATIONS_DIR).up(FIRST) == [FIRST]
    database.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO school (id, name, city, country, created_at) "
                     "VALUES (7, 'IES Río Tajo', 'Toledo', 'ES', ?)", (WHEN,))
        for uid, email, name in ((11, "ana@example.org", "Ana Old-Timer"),
                                 (12, "ben@example.org", "Ben Early")):
            conn.execute(
                'INSERT INTO "user" (id, role, email, username, name, password_hash, '
                "session_token, country, school_id, language, email_confirmed_at, validation, "
                "disabled, created_at) VALUES (?, 'teacher', ?, NULL, ?, ?, ?, 'ES', 7, 'es', "
                "?, 'validated', 0, ?)",
                (uid, email, name, accounts.hash_password(PASSWORD), f"token-{uid}", WHEN,
                 WHEN))
        conn.execute("INSERT INTO user_subject (user_id, code) VALUES (11, 'biology')")
        conn.execute("INSERT INTO user_age_range (user_id, code) VALUES (11, '12-15')")
        conn.execute("INSERT INTO outbox_mail (to_address, subject, body, created_at) "
                     "VALUES ('ana@example.org', 'Welcome', 'Hello', ?)", (WHEN,))
    conn.close()
    return "sqlite:///" + str(path)


def make(url, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_ENABLED": False,
                      "RATELIMIT_KEY_PREFIX": "test-" + os.urandom(6).hex()})
    app.test_client_class = CSRFClient
    return app


def test_migrating_from_the_first_migration_keeps_the_data(tmp_path):
    path = tmp_path / "old.db"
    url = old_database(path)
    database = open_database(url)
    applied = commands.migrate(database)
    database.close()
    assert applied == ALL[1:]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name, city, country FROM school").fetchall() == [
        ("IES Río Tajo", "Toledo", "ES")]
    assert conn.execute('SELECT id, email, name, school_id, language, validation, '
                        'session_token FROM "user" ORDER BY id').fetchall() == [
        (11, "ana@example.org", "Ana Old-Timer", 7, "es", "validated", "token-11"),
        (12, "ben@example.org", "Ben Early", 7, "es", "validated", "token-12")]
    assert conn.execute("SELECT user_id, code FROM user_subject").fetchall() == [
        (11, "biology")]
    assert conn.execute("SELECT user_id, code FROM user_age_range").fetchall() == [
        (11, "12-15")]
    assert conn.execute("SELECT subject FROM outbox_mail").fetchall() == [("Welcome",)]
    conn.close()

    app = make(url, tmp_path)
    with app.app_context():
        search.reindex_all()
    from models import User
    client = app.test_client()
    with app.app_context():
        ben = User.get_by_id(12)
    assert switch(client, ben).status_code == 303  # an old account still logs in
    with app.test_request_context():
        address = url_for("portal.teacher", user_id=11)
    page = client.get(address, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Ana Old-Timer" in body and "IES Río Tajo" in body


def test_flask_db_upgrade_applies_the_pending_migrations(tmp_path):
    url = old_database(tmp_path / "old.db")
    app = make(url, tmp_path)
    runner = app.test_cli_runner()
    status = runner.invoke(args=["db", "status"])
    assert f"{FIRST}: 20" in status.output and f"{ALL[1]}: pending" in status.output
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Applied: " + ", ".join(ALL[1:])
    status = runner.invoke(args=["db", "status"])
    assert "pending" not in status.output and len(status.output.splitlines()) == len(ALL)
    again = runner.invoke(args=["db", "upgrade"])
    assert again.output.strip() == "The database is up to date."
    # The upgrade rebuilt the search index: the old teachers are found.
    from services.search import search_teachers
    with app.app_context():
        found = search_teachers(keyword="Old-Timer", public_only=False)
        assert [u.name for u in found.items] == ["Ana Old-Timer"]
