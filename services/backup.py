"""Backups: one tar archive of the database and the uploads, taken while the app serves.

An archive holds
- the database: `database.sqlite3` (SQLite's online backup API, through a connection of its
  own) or `database.pgdump` (`pg_dump --format=custom` of one exported snapshot);
- `uploads/...`: the upload folder. Files there are named by their hash and never rewritten,
  and the database snapshot is taken FIRST: every file a row of the snapshot names was on disk
  before that row was written, so it is in the archive (later files come too, unused);
- `manifest.json` (last): format, when, engine, the migrations applied, the rows of each table
  as in the snapshot, and the sha256 of the database file and of every upload.

The archive is written under a temporary name in its folder and renamed when complete, so a
file with the final name is always a whole archive. Restoring is in services/restore.py.
"""
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from urllib.parse import unquote, urlsplit, urlunsplit

from playhouse.db_url import parse

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
NAME_RE = re.compile(r"^opentwin-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar$")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why, for the command line."""


# --- Databases by URL -------------------------------------------------------------------------

def engine_of(url):
    scheme = url.split(":", 1)[0].lower()
    if scheme.startswith("sqlite"):
        return "sqlite"
    if scheme.startswith("postgres"):
        return "postgresql"
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {scheme!r}.")


def sqlite_path(url):
    """The file of a sqlite:/// URL."""
    path = parse(url)["database"]
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return os.path.abspath(path)


def libpq_url(url):
    """A URL pg_dump and psycopg2 understand (peewee's postgres+pool://, postgresext:// ...)."""
    return "postgresql://" + url.split("://", 1)[1]


def run_pg_tool(tool, url, *args):
    """Run pg_dump or pg_restore on the database at `url` (its password in the environment);
    a missing tool or its failure is a BackupError saying so."""
    dbname, env = pg_command_url(url)
    try:
        subprocess.run([tool, *args, f"--dbname={dbname}"], check=True, capture_output=True,
                       text=True, env=env)
    except FileNotFoundError:
        raise BackupError(f"{tool} is not installed: install the PostgreSQL client of the "
                          "server's major version (e.g. postgresql-client-15).")
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{tool} failed: {exc.stderr.strip()}")


def pg_command_url(url):
    """(the URL without its password, an environment with PGPASSWORD): a password on a
    command line is visible to every local user (ps)."""
    parts = urlsplit(libpq_url(url))
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        user = parts.username or ""
        host = parts.hostname or ""
        if host and ":" in host:
            host = f"[{host}]"
        netloc = f"{user}@{host}" if user else host
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts), env


def sqlite_tables(conn):
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def pg_tables(cursor):
    cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                   "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [name for (name,) in cursor.fetchall()]


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def _count_sqlite(conn):
    return {t: conn.execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0]
            for t in sqlite_tables(conn)}


def _migrations_sqlite(conn, tables):
    if "schema_migration" not in tables:
        return []
    return [n for (n,) in conn.execute("SELECT name FROM schema_migration ORDER BY name")]


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- The database snapshot ----------------------------------------------------------------

def _snapshot_sqlite(url, work):
    """Copy the live file with the online backup API into `work`; counts from the copy."""
    source_path = sqlite_path(url)
    if not os.path.exists(source_path):
        raise BackupError(f"There is no database at {source_path}.")
    target = os.path.join(work, DB_MEMBER["sqlite"])
    source = sqlite3.connect(source_path, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): one read transaction, so one consistent state; in WAL mode
            # the app's writers go on meanwhile.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            tables = _count_sqlite(copy)
            migrations = _migrations_sqlite(copy, tables)
        finally:
            copy.close()
    finally:
        source.close()
    return target, tables, migrations


def _snapshot_pg(url, work):
    """pg_dump of a snapshot exported from a REPEATABLE READ transaction; the counts come
    from that same transaction, so they describe exactly what the dump holds."""
    import psycopg2
    target = os.path.join(work, DB_MEMBER["postgresql"])
    conn = psycopg2.connect(libpq_url(url))
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            tables = {}
            for table in pg_tables(cur):
                cur.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                tables[table] = cur.fetchone()[0]
            migrations = []
            if "schema_migration" in tables:
                cur.execute("SELECT name FROM schema_migration ORDER BY name")
                migrations = [n for (n,) in cur.fetchall()]
            run_pg_tool("pg_dump", url, "--format=custom", "--no-owner", "--no-privileges",
                        f"--snapshot={snapshot}", f"--file={target}")
        conn.rollback()
    finally:
        conn.close()
    return target, tables, migrations


# --- The archive ----------------------------------------------------------------------------

def upload_files(upload_dir):
    """Relative paths of the files in the upload folder (no temporary *.part files)."""
    found = []
    if not upload_dir or not os.path.isdir(upload_dir):
        return found
    for root, dirs, files in os.walk(upload_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".part"):
                continue
            full = os.path.join(root, name)
            if os.path.isfile(full) and not os.path.islink(full):
                found.append(os.path.relpath(full, upload_dir).replace(os.sep, "/"))
    return found


def _add_file(tar, path, arcname):
    """Add one file, hashing the bytes as they go in; return the sha256 (None if gone)."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None
    with fh:
        stat = os.fstat(fh.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        digest = hashlib.sha256()

        class Hashing:
            def read(self, size=-1):
                data = fh.read(size)
                digest.update(data)
                return data

        tar.addfile(info, Hashing())
    return digest.hexdigest()


def _add_bytes(tar, arcname, data):
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def archive_name(now, folder):
    stamp = now.strftime("%Y%m%d-%H%M%S")
    name, n = f"opentwin-backup-{stamp}.tar", 1
    while os.path.exists(os.path.join(folder, name)):
        n += 1
        name = f"opentwin-backup-{stamp}-{n}.tar"
    return name


def default_folder(config):
    if config.get("BACKUP_DIR"):
        return config["BACKUP_DIR"]
    from flask import current_app
    return os.path.join(current_app.instance_path, "backups")


def create_backup(config, dest=None):
    """Write one archive; return its path. `dest`: a file name, a folder (one that exists,
    or a name ending in "/"), or None (then BACKUP_DIR, else instance/backups/)."""
    url = config["DATABASE_URL"]
    engine = engine_of(url)
    now = datetime.datetime.now(datetime.timezone.utc)
    if dest and not os.path.isdir(dest) and not dest.endswith(("/", os.sep)):
        final = os.path.abspath(dest)
        folder = os.path.dirname(final)
        if not os.path.isdir(folder):
            raise BackupError(f"The folder {folder} does not exist.")
    else:
        folder = os.path.abspath(dest or default_folder(config))
        os.makedirs(folder, exist_ok=True)
        final = os.path.join(folder, archive_name(now, folder))
    fd, partial = tempfile.mkstemp(prefix=".opentwin-backup-", suffix=".tar.part", dir=folder)
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(prefix="opentwin-backup-") as work:
            # The database first: every upload it names is on disk by now.
            snap = _snapshot_sqlite if engine == "sqlite" else _snapshot_pg
            db_file, tables, migrations = snap(url, work)
            upload_dir = config.get("UPLOAD_DIR")
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                db_hash = _add_file(tar, db_file, DB_MEMBER[engine])
                files = {}
                for relative in upload_files(upload_dir):
                    digest = _add_file(tar, os.path.join(upload_dir, relative),
                                       f"{UPLOADS}/{relative}")
                    if digest is not None:  # deleted since it was listed
                        files[relative] = digest
                manifest = dict(format=FORMAT, app="OpenTwin", created_at=now.isoformat(),
                                engine=engine, database=DB_MEMBER[engine],
                                database_sha256=db_hash, migrations=migrations,
                                tables=tables, files=files)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1,
                                                     sort_keys=True).encode())
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, final)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return final


def archives(folder):
    """The backup archives in a folder, oldest first."""
    found = []
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        match = NAME_RE.match(name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), name))
    return [os.path.join(folder, name) for _key, name in sorted(found)]


def prune(folder, keep):
    """Delete all but the newest `keep` archives of the folder; return the deleted paths.
    Other files in the folder are left alone."""
    keep = max(int(keep), 1)
    old = archives(folder)[:-keep]
    for path in old:
        os.remove(path)
    return old


def run_scheduled(config):
    """The daily job: back up into BACKUP_DIR and keep the newest BACKUP_KEEP archives.
    Returns the new archive's path, or None when BACKUP_DIR is not set."""
    folder = config.get("BACKUP_DIR")
    if not folder:
        return None
    os.makedirs(folder, exist_ok=True)
    path = create_backup(config, folder)
    prune(folder, config.get("BACKUP_KEEP") or 7)
    return path


def copy_into_place(source, target):
    """Copy a file to `target` through a temporary name beside it."""
    partial = target + ".restore-part"
    shutil.copyfile(source, partial)
    os.replace(partial, target)
