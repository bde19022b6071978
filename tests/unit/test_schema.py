"""The migrations build exactly the schema models.py declares, on SQLite and PostgreSQL."""
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

import commands
from models import ALL_MODELS, db


def test_migrations_match_the_models(app):
    db.connect(reuse_if_open=True)
    diff = diff_models(db.obj, ALL_MODELS)
    assert not diff, f"models and migrations differ:\n{diff}"


def test_every_migration_is_applied_and_upgrade_is_idempotent(app):
    db.connect(reuse_if_open=True)
    status = Runner(db.obj, commands.MIGRATIONS_DIR).status()
    assert status and all(m.applied for m in status)
    assert commands.migrate() == []


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        return  # the pragmas are SQLite's; PostgreSQL is durable by default
    db.connect(reuse_if_open=True)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
