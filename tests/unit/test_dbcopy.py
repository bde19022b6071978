"""`flask db copy --to URL` (issue 13, item 6): a SQLite database with the demo's people,
spaces, files and groups copies into an empty PostgreSQL (or SQLite) database with the same
rows in every table, a search index of its own and id sequences past the copied ids."""
import contextlib
import os

import pytest

import commands
from app import create_app, open_database
from models import ALL_MODELS, Page, School, Space, StoredFile, User, db
from services import demo, dbcopy, pages, storage
from services.search import search_teachers
from tests.conftest import USE_PG
from tests.pg_scratch import PG_SERVER, scratch_database

@contextlib.contextmanager
def empty_target(kind, tmp_path):
    if kind == "sqlite":
        yield "sqlite:///" + str(tmp_path / "target.db")
        return
    dbname = PG_SERVER.rsplit("/", 1)[1]
    dbname = (dbname.split("?", 1)[0] if USE_PG else "opentwin") + f"_copy_{os.getpid()}"
    with scratch_database(PG_SERVER, dbname) as url:
        yield url


def make(url, uploads):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                       "UPLOAD_DIR": uploads, "RATELIMIT_ENABLED": False,
                       "RATELIMIT_KEY_PREFIX": "test-" + os.urandom(6).hex()})


@pytest.fixture
def demo_source(tmp_path):
    """A SQLite instance with the demo in it (whatever DATABASE_URL the run has)."""
    url, uploads = "sqlite:///" + str(tmp_path / "source.db"), str(tmp_path / "uploads")
    database = open_database(url)
    commands.migrate(database)
    database.close()
    app = make(url, uploads)
    with app.app_context():
        demo.seed(uploads)
        # A page under a page made after it: the copy must not need ids in parent order.
        space = Space.select().order_by(Space.id).first()
        author = User.select().where(User.role == "teacher").first()
        child = pages.create(space, author, "Made first", "a")
        parent = pages.create(space, author, "Made second, the parent", "b")
        Page.update(parent=parent.id).where(Page.id == child.id).execute()
    return app


def _counts(url):
    database = open_database(url)
    try:
        return dbcopy.counts(database)
    finally:
        database.close()


def _index_rows(url):
    database = open_database(url)
    try:
        return {t: database.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("teacher_search", "school_search", "project_search",
                          "group_search")}
    finally:
        database.close()


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_db_copy_moves_everything(demo_source, tmp_path, kind, monkeypatch):
    # One row per insert: a page whose parent comes later is surely in another batch.
    monkeypatch.setattr(dbcopy, "BATCH", 1)
    source_url = demo_source.config["DATABASE_URL"]
    uploads = demo_source.config["UPLOAD_DIR"]
    with demo_source.app_context():
        teacher = User.select().where(User.role == "teacher").order_by(User.id).first()
        keyword = teacher.name.split()[-1]
        found_before = [u.id for u in search_teachers(keyword=keyword, public_only=False).items]
        last_school = School.select().order_by(School.id.desc()).first().id
    source = _counts(source_url)
    assert sum(source.values()) > 200 and source["stored_file"] and source["groups"]
    with empty_target(kind, tmp_path) as url:
        result = demo_source.test_cli_runner().invoke(args=["db", "copy", "--to", url])
        assert result.exit_code == 0, result.output
        assert "the counts match" in result.output
        copied = _counts(url)
        assert copied == source
        assert set(copied) == {m._meta.table_name for m in ALL_MODELS}
        assert _index_rows(url) == _index_rows(source_url)

        target = make(url, uploads)  # the same upload folder: files are not in the database
        with target.app_context():
            db.connect(reuse_if_open=True)
            found = [u.id for u in search_teachers(keyword=keyword, public_only=False).items]
            assert found == found_before and teacher.id in found
            for stored in StoredFile.select():
                assert os.path.exists(storage.stored_path(uploads, stored))
            child = Page.get(Page.title == "Made first")
            assert child.parent.title == "Made second, the parent"
            assert child.parent_id > child.id
            # The sequences go on after the copied ids.
            school = School.create(name="Brand new school", country="PT")
            assert school.id == last_school + 1
            db.close()
        print(f"\ndb copy sqlite -> {kind}: {sum(copied.values())} rows in {len(copied)} "
              "tables, counts equal")

        again = demo_source.test_cli_runner().invoke(args=["db", "copy", "--to", url])
        assert again.exit_code != 0 and "not empty" in again.output


def test_db_copy_refuses_its_own_database_and_a_bad_url(app):
    runner = app.test_cli_runner()
    same = runner.invoke(args=["db", "copy", "--to", app.config["DATABASE_URL"]])
    assert same.exit_code != 0 and "the app uses" in same.output
    bad = runner.invoke(args=["db", "copy", "--to", "mysql://nobody@nowhere/x"])
    assert bad.exit_code != 0 and "Cannot open" in bad.output
