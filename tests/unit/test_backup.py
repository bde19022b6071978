"""`flask backup` and `flask restore` (issue 13, item 4): an archive taken while pages are
saved and files uploaded restores into an empty instance with the same rows and files, and
every page reads; a non-empty target or a changed archive is refused untouched."""
import contextlib
import io
import os
import tarfile
import threading

import pytest
from werkzeug.datastructures import FileStorage

from app import create_app
from blueprints.spaces import parents
from models import Page, StoredFile, db
from services import backup, pages, storage
from services import restore as restore_service
from tests.conftest import PG_URL, USE_PG, CSRFClient, switch
from tests.factories import make_space, make_user
from tests.pg_scratch import PG_SERVER, pg_admin, scratch_database

WAIT = 60  # seconds at most for a condition (a stuck writer fails the test, never sleeps it)


@contextlib.contextmanager
def empty_instance(tmp_path, name="restored"):
    """A brand-new empty instance: (DATABASE_URL, UPLOAD_DIR). On PostgreSQL a second
    database beside the test's, <dbname>_restore, dropped afterwards."""
    uploads = str(tmp_path / f"{name}-uploads")
    if not USE_PG:
        folder = tmp_path / name
        folder.mkdir()
        yield "sqlite:///" + str(folder / "opentwin.db"), uploads
        return
    dbname = PG_URL.rsplit("/", 1)[1].split("?", 1)[0] + "_restore"
    with scratch_database(PG_URL, dbname) as url:
        yield url, uploads


def instance_app(url, uploads):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                      "UPLOAD_DIR": uploads, "RATELIMIT_ENABLED": False,
                      "RATELIMIT_KEY_PREFIX": "test-" + os.urandom(6).hex()})
    app.test_client_class = CSRFClient
    return app


class Writer(threading.Thread):
    """Saves pages and uploads files in a loop, with its own app context and connection,
    until stopped; `written` counts the saves."""

    def __init__(self, app, space, teacher):
        super().__init__(daemon=True)
        self.app, self.space, self.teacher = app, space, teacher
        self.written, self.error = 0, None
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def wait_for(self, count):
        with self.progress:
            ok = self.progress.wait_for(lambda: self.written >= count or self.error, WAIT)
        assert ok and not self.error, f"the writer is stuck ({self.written}): {self.error!r}"

    def run(self):
        upload_dir = self.app.config["UPLOAD_DIR"]
        try:
            with self.app.app_context():
                db.connect(reuse_if_open=True)
                n = 0
                while not self.stop.is_set():
                    n += 1
                    pages.create(self.space, self.teacher, f"Load page {n}",
                                 f"<p>Written under load, number {n}.</p>")
                    if n % 3 == 0:
                        data = f"Notes {n} ".encode() * 500
                        storage.save_document(FileStorage(io.BytesIO(data), f"notes{n}.txt"),
                                              upload_dir, 10 ** 6, owner=self.teacher)
                    with self.progress:
                        self.written = n
                        self.progress.notify_all()
        except Exception as exc:  # reported by wait_for and the test
            self.error = exc
            with self.progress:
                self.progress.notify_all()


def page_urls(app):
    with app.test_request_context():
        return [(parents.url_for_space(p.space, "page", page_id=p.id), p.title)
                for p in Page.select().order_by(Page.id)]


def test_backup_under_write_load_restores_into_an_empty_instance(make_app, tmp_path,
                                                                  monkeypatch):
    app = make_app()
    with app.app_context():
        teacher = make_user(name="Tina Teacher")
        space = make_space(teacher, "twinspace")
        photo = io.BytesIO()
        from PIL import Image
        Image.new("RGB", (600, 400), "teal").save(photo, "PNG")
        photo.seek(0)
        storage.save_image(FileStorage(photo, "photo.png"), app.config["UPLOAD_DIR"], teacher)
    writer = Writer(app, space, teacher)

    # The files are copied after the snapshot: hold that moment until the writer has saved
    # five more times, so writes surely fall inside the backup.
    listing = backup.upload_files

    def upload_files_after_writes(upload_dir):
        writer.wait_for(writer.written + 5)
        return listing(upload_dir)
    monkeypatch.setattr(backup, "upload_files", upload_files_after_writes)

    writer.start()
    try:
        writer.wait_for(20)
        before = writer.written
        archive = backup.create_backup(app.config, str(tmp_path / "backups") + "/")
        during = writer.written - before
    finally:
        writer.stop.set()
        writer.join(WAIT)
    assert not writer.is_alive() and writer.error is None, writer.error
    assert during >= 5
    assert os.path.basename(archive).startswith("opentwin-backup-")
    assert os.listdir(tmp_path / "backups") == [os.path.basename(archive)]  # no temp left
    manifest = restore_service.verify(archive)
    assert manifest["engine"] == ("postgresql" if USE_PG else "sqlite")
    assert manifest["migrations"][0] == "0001_initial"
    assert manifest["tables"]["page"] >= before

    with empty_instance(tmp_path) as (url, uploads):
        target = instance_app(url, uploads)
        result = target.test_cli_runner().invoke(args=["restore", archive])
        assert result.exit_code == 0, result.output
        assert "Restored" in result.output
        restored = restore_service.count_rows(url, list(manifest["tables"]))
        assert restored == manifest["tables"]
        for relative, digest in manifest["files"].items():
            assert backup.sha256_file(os.path.join(uploads, relative)) == digest
        assert not [n for _r, _d, files in os.walk(uploads) for n in files
                    if n.endswith(".part")]
        with target.app_context():
            db.connect(reuse_if_open=True)
            for stored in StoredFile.select():  # every file a row names came along
                assert os.path.exists(storage.stored_path(uploads, stored)), stored.path
            urls = page_urls(target)
        assert len(urls) == manifest["tables"]["page"]
        client = target.test_client()
        assert switch(client, teacher).status_code == 303
        for address, title in urls:
            response = client.get(address)
            assert response.status_code == 200, address
            assert title in response.get_data(as_text=True)
        print(f"\nbackup under load: {sum(manifest['tables'].values())} rows in "
              f"{len(restored)} tables compared, {len(manifest['files'])} files compared, "
              f"{len(urls)} pages read, {during} writes during the backup "
              f"({writer.written} in all)")


@pytest.fixture
def archived(make_app, tmp_path):
    """An app with a teacher, a page and a PDF, and a backup archive of it."""
    app = make_app()
    with app.app_context():
        teacher = make_user()
        space = make_space(teacher)
        pages.create(space, teacher, "Rivers of Europe", "<p>Danube</p>")
        storage.save_pdf(FileStorage(io.BytesIO(b"%PDF-1.4 rivers"), "r.pdf"),
                         app.config["UPLOAD_DIR"], teacher)
        archive = backup.create_backup(app.config, str(tmp_path / "archive.tar"))
    return app, archive


def test_restore_refuses_a_database_with_rows(archived):
    app, archive = archived
    result = app.test_cli_runner().invoke(args=["restore", archive])
    assert result.exit_code != 0
    assert "not empty" in result.output and "new DATABASE_URL" in result.output


def test_restore_refuses_an_upload_folder_with_files(archived, tmp_path):
    _app, archive = archived
    with empty_instance(tmp_path) as (url, uploads):
        os.makedirs(os.path.join(uploads, "ab"))
        with open(os.path.join(uploads, "ab", "old.pdf"), "wb") as fh:
            fh.write(b"%PDF-old")
        result = instance_app(url, uploads).test_cli_runner().invoke(args=["restore", archive])
        assert result.exit_code != 0 and "upload folder" in result.output
        assert restore_service.application_rows(url) == {}
        assert os.listdir(uploads) == ["ab"] and os.listdir(os.path.join(uploads, "ab")) == [
            "old.pdf"]


def _tampered(archive, path):
    """A copy of the archive with one byte of its PDF changed (same size)."""
    with tarfile.open(archive) as source, tarfile.open(path, "w") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.endswith(".pdf"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    return path


def test_restore_refuses_a_changed_archive_without_touching_the_target(archived, tmp_path):
    _app, archive = archived
    changed = _tampered(archive, str(tmp_path / "changed.tar"))
    with empty_instance(tmp_path) as (url, uploads):
        result = instance_app(url, uploads).test_cli_runner().invoke(args=["restore", changed])
        assert result.exit_code != 0
        assert "does not match its sha256" in result.output
        assert not os.path.exists(uploads)
        if USE_PG:
            conn = pg_admin(url)
            with conn.cursor() as cur:
                assert backup.pg_tables(cur) == []
            conn.close()
        else:
            assert not os.path.exists(backup.sqlite_path(url))


def test_restore_refuses_what_is_not_an_archive(app, tmp_path):
    path = tmp_path / "notes.tar"
    path.write_bytes(b"not a tar at all")
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not an OpenTwin backup archive" in result.output
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "missing.tar")])
    assert result.exit_code != 0 and "There is no file" in result.output


def test_backup_to_a_file_prints_its_path_last(app, tmp_path):
    # An upload being written (its temporary *.part file) is left out.
    os.makedirs(os.path.join(app.config["UPLOAD_DIR"], "ab"))
    for name in ("abc.pdf", "abd.pdf.part"):
        with open(os.path.join(app.config["UPLOAD_DIR"], "ab", name), "wb") as fh:
            fh.write(b"%PDF-1.4 " + name.encode())
    target = tmp_path / "nightly.tar"
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(target)
    manifest = restore_service.verify(str(target))
    assert manifest["format"] == backup.FORMAT and list(manifest["files"]) == ["ab/abc.pdf"]


def test_backup_without_a_destination_goes_to_instance_backups(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert os.path.dirname(path) == str(tmp_path / "instance" / "backups")
    assert os.path.isfile(path)


def test_backup_into_a_missing_folder_is_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["backup", "--to", str(tmp_path / "nowhere" / "b.tar")])
    assert result.exit_code != 0 and "does not exist" in result.output


def test_prune_keeps_the_newest(tmp_path):
    names = ["opentwin-backup-20260101-030000.tar", "opentwin-backup-20260102-030000.tar",
             "opentwin-backup-20260102-030000-2.tar", "opentwin-backup-20260103-030000.tar",
             "opentwin-backup-20251231-030000.tar", "notes.txt"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = backup.prune(str(tmp_path), 3)
    assert sorted(os.path.basename(p) for p in removed) == [
        "opentwin-backup-20251231-030000.tar", "opentwin-backup-20260101-030000.tar"]
    assert sorted(os.listdir(tmp_path)) == [
        "notes.txt", "opentwin-backup-20260102-030000-2.tar",
        "opentwin-backup-20260102-030000.tar", "opentwin-backup-20260103-030000.tar"]


def test_the_daily_job_backs_up_and_prunes(app, tmp_path):
    assert backup.run_scheduled(app.config) is None  # no BACKUP_DIR: nothing to do
    folder = str(tmp_path / "daily")
    app.config.update(BACKUP_DIR=folder, BACKUP_KEEP=2)
    made = [backup.run_scheduled(app.config) for _ in range(3)]
    assert sorted(os.listdir(folder)) == sorted(os.path.basename(p) for p in made[1:])


def test_restore_into_the_other_engine_points_to_db_copy(archived, tmp_path):
    _app, archive = archived
    other = ("sqlite:///" + str(tmp_path / "other.db") if USE_PG
             else "postgresql://nobody@127.0.0.1:1/nowhere")  # refused before connecting
    result = instance_app(other, str(tmp_path / "u")).test_cli_runner().invoke(
        args=["restore", archive])
    assert result.exit_code != 0
    assert "restore into the same kind of database" in result.output
    assert "flask db copy --to URL" in result.output
    assert not os.path.exists(tmp_path / "u") and not os.path.exists(tmp_path / "other.db")


def test_restore_into_an_unreachable_database_is_a_clear_error(archived, tmp_path):
    _app, archive = archived
    missing = ("postgresql://postgres@127.0.0.1:1/nowhere" if USE_PG
               else "sqlite:///" + str(tmp_path / "no-such-folder" / "x.db"))
    result = instance_app(missing, str(tmp_path / "u")).test_cli_runner().invoke(
        args=["restore", archive])
    # A click error (exit 1, one line), not an exception escaping the command.
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ") and not os.path.exists(tmp_path / "u")


def _with_manifest(archive, path, manifest):
    """A copy of the archive whose manifest.json is `manifest` (any JSON)."""
    import json
    with tarfile.open(archive) as source, tarfile.open(path, "w") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return path


@pytest.mark.parametrize("manifest", [["a", "list"], {"format": backup.FORMAT, "files": ["x"]}])
def test_restore_refuses_a_damaged_manifest_with_a_clear_error(archived, tmp_path, manifest):
    _app, archive = archived
    damaged = _with_manifest(archive, str(tmp_path / "damaged.tar"), manifest)
    with empty_instance(tmp_path) as (url, uploads):
        result = instance_app(url, uploads).test_cli_runner().invoke(args=["restore", damaged])
        assert result.exit_code == 1 and "not an OpenTwin backup" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_restore_refuses_a_postgresql_database_holding_other_tables(archived, tmp_path):
    """A PostgreSQL restore empties the schema: one that holds another application's tables
    is refused (the check on the machine's PostgreSQL on both passes; the whole refusal of a
    PostgreSQL archive on the PostgreSQL pass, where the archive is one)."""
    import commands
    from app import open_database
    with scratch_database(PG_SERVER, f"opentwin_other_{os.getpid()}") as url:
        target = open_database(url)
        commands.migrate(target)
        target.close()
        assert restore_service.other_tables(url) == []  # OpenTwin's and huey_* only
        conn = pg_admin(url)
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE invoices (id serial primary key, total int)")
            cur.execute("INSERT INTO invoices (total) VALUES (12)")
        assert restore_service.other_tables(url) == ["invoices"]
        if USE_PG:
            with conn.cursor() as cur:  # no OpenTwin rows: only the foreign table stops it
                cur.execute("DROP SCHEMA public CASCADE")
                cur.execute("CREATE SCHEMA public")
                cur.execute("CREATE TABLE invoices (id serial primary key, total int)")
                cur.execute("INSERT INTO invoices (total) VALUES (12)")
            _app, archive = archived
            result = instance_app(url, str(tmp_path / "uploads-other")).test_cli_runner() \
                .invoke(args=["restore", archive])
            assert result.exit_code != 0 and "not OpenTwin's: invoices" in result.output
            with conn.cursor() as cur:
                cur.execute("SELECT total FROM invoices")
                assert cur.fetchall() == [(12,)]
        conn.close()


def test_pg_tools_get_the_password_from_the_environment_not_the_command_line():
    url, env = backup.pg_command_url("postgresql://opentwin:s%40cret@db.example.org:5433/ot")
    assert url == "postgresql://opentwin@db.example.org:5433/ot"
    assert env["PGPASSWORD"] == "s@cret"
