"""Restoring a backup archive (services/backup.py) into an empty instance: an empty database
(no application rows; its tables may exist or not) and an empty or missing upload folder.

The archive is checked whole (manifest, the database's and every upload's sha256, no stray
or unsafe member) BEFORE anything is touched. A SQLite archive restores into SQLite and a
PostgreSQL one into PostgreSQL; to change engine, restore into the same engine and then run
`flask db copy --to URL` (services/dbcopy.py).
"""
import hashlib
import json
import os
import sqlite3
import tarfile
import tempfile

from services.backup import (CHUNK, DB_MEMBER, FORMAT, MANIFEST, UPLOADS, BackupError,
                             copy_into_place, engine_of, libpq_url, run_pg_tool,
                             pg_tables, quote, sqlite_path, sqlite_tables)


def _safe_relative(name):
    parts = name.split("/")
    return (name and not name.startswith("/") and "\\" not in name
            and all(p not in ("", ".", "..") for p in parts))


def read_manifest(archive):
    try:
        with tarfile.open(archive, "r:") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} is not an OpenTwin backup archive ({exc}).")
    if not isinstance(manifest, dict):
        raise BackupError(f"{archive}: not an OpenTwin backup (its manifest is not a record).")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r}.")
    if not isinstance(manifest.get("files") or {}, dict) \
            or not isinstance(manifest.get("tables") or {}, dict):
        raise BackupError(f"{archive}: not an OpenTwin backup (a damaged manifest).")
    return manifest


def verify(archive):
    """Check the archive against its manifest; return the manifest or raise BackupError."""
    manifest = read_manifest(archive)
    engine = manifest.get("engine")
    if engine not in DB_MEMBER or manifest.get("database") != DB_MEMBER[engine]:
        raise BackupError(f"{archive}: the manifest names no known database.")
    expected = {manifest["database"]: manifest.get("database_sha256")}
    for relative, digest in (manifest.get("files") or {}).items():
        if not _safe_relative(relative):
            raise BackupError(f"{archive}: unsafe file name {relative!r}.")
        expected[f"{UPLOADS}/{relative}"] = digest
    seen = set()
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or member.name in seen:
                raise BackupError(f"{archive}: unexpected member {member.name!r}.")
            digest = hashlib.sha256()
            fh = tar.extractfile(member)
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
            if digest.hexdigest() != expected[member.name]:
                raise BackupError(f"{archive}: {member.name} does not match its sha256 in the "
                                  "manifest; the archive is damaged or was changed.")
            seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"{archive}: {len(missing)} file(s) of the manifest are missing, "
                          f"e.g. {sorted(missing)[0]}.")
    return manifest


# --- Is the target empty? ------------------------------------------------------------------

def application_rows(url):
    """{table: rows} of the application tables (models.ALL_MODELS) that have rows."""
    from models import ALL_MODELS
    if engine_of(url) == "sqlite" and not os.path.exists(sqlite_path(url)):
        return {}
    counts = count_rows(url, [m._meta.table_name for m in ALL_MODELS])
    return {name: n for name, n in counts.items() if n}


def other_tables(url):
    """PostgreSQL tables in the target's schema that are neither OpenTwin's nor its job
    queue's (huey_*): a restore drops the schema, so it must not hold anyone else's data."""
    if engine_of(url) == "sqlite":
        return []
    from models import ALL_MODELS
    from services.search_text import INDEX_TABLES
    ours = {m._meta.table_name for m in ALL_MODELS} | {"schema_migration", *INDEX_TABLES}
    import psycopg2
    conn = psycopg2.connect(libpq_url(url))
    try:
        with conn.cursor() as cur:
            return [t for t in pg_tables(cur) if t not in ours and not t.startswith("huey_")]
    finally:
        conn.close()


def _upload_dir_empty(upload_dir):
    if not os.path.isdir(upload_dir):
        return not os.path.exists(upload_dir)
    for _root, _dirs, files in os.walk(upload_dir):
        if files:
            return False
    return True


# --- Restoring -----------------------------------------------------------------------------

def _restore_sqlite(tar, manifest, url):
    target = sqlite_path(url)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise BackupError(f"The folder {folder} of the database does not exist.")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".opentwin-restore-") as work:
        tar.extract(manifest["database"], work, filter="data")
        for suffix in ("-wal", "-shm", "-journal"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        copy_into_place(os.path.join(work, manifest["database"]), target)


def _restore_pg(tar, manifest, url):
    import psycopg2
    conn = psycopg2.connect(libpq_url(url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            # An empty instance may hold the tables of a first `flask db upgrade`: start clean.
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")
    finally:
        conn.close()
    with tempfile.TemporaryDirectory(prefix="opentwin-restore-") as work:
        tar.extract(manifest["database"], work, filter="data")
        run_pg_tool("pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", os.path.join(work, manifest["database"]))


def _restore_uploads(tar, manifest, upload_dir):
    for relative in sorted(manifest.get("files") or {}):
        target = os.path.join(upload_dir, *relative.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        source = tar.extractfile(f"{UPLOADS}/{relative}")
        partial = target + ".part"
        with open(partial, "wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                out.write(chunk)
        os.replace(partial, target)


def count_rows(url, tables):
    """{table: rows} of the named tables in the database at `url` (None: no such table)."""
    counts = {}
    if engine_of(url) == "sqlite":
        conn = sqlite3.connect(sqlite_path(url), timeout=30)
        try:
            present = set(sqlite_tables(conn))
            for t in tables:
                counts[t] = (conn.execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0]
                             if t in present else None)
        finally:
            conn.close()
        return counts
    import psycopg2
    conn = psycopg2.connect(libpq_url(url))
    try:
        with conn.cursor() as cur:
            present = set(pg_tables(cur))
            for t in tables:
                if t in present:
                    cur.execute(f"SELECT COUNT(*) FROM {quote(t)}")
                    counts[t] = cur.fetchone()[0]
                else:
                    counts[t] = None
    finally:
        conn.close()
    return counts


def restore(config, archive):
    """Bring an empty instance back to the archive's state. Returns
    {"tables": {table: (in the archive, restored)}, "files": n}; raises BackupError."""
    url, upload_dir = config["DATABASE_URL"], config["UPLOAD_DIR"]
    if not os.path.isfile(archive):
        raise BackupError(f"There is no file {archive}.")
    manifest = verify(archive)
    engine = engine_of(url)
    if manifest["engine"] != engine:
        raise BackupError(
            f"This is a {manifest['engine']} backup and DATABASE_URL is {engine}: restore into "
            f"the same kind of database, then move with `flask db copy --to URL`.")
    rows = application_rows(url)
    if rows:
        named = ", ".join(f"{t} ({n})" for t, n in sorted(rows.items())[:5])
        raise BackupError(f"The target database is not empty: {named}. Restore only into an "
                          "empty database (a new DATABASE_URL).")
    others = other_tables(url)
    if others:
        raise BackupError("The target database holds tables that are not OpenTwin's: "
                          + ", ".join(others[:5]) + ". Restore only into a database of its own "
                          "(the restore empties its schema).")
    if not _upload_dir_empty(upload_dir):
        raise BackupError(f"The upload folder {upload_dir} is not empty. Restore only into "
                          "an empty or missing folder (a new UPLOAD_DIR).")
    from database import close_pool
    from models import db
    if not db.is_closed():
        db.close()
    close_pool()  # a pooled connection would keep the file this replaces
    with tarfile.open(archive, "r:") as tar:
        (_restore_sqlite if engine == "sqlite" else _restore_pg)(tar, manifest, url)
        _restore_uploads(tar, manifest, upload_dir)
    expected = manifest["tables"]
    restored = count_rows(url, list(expected))
    tables = {t: (expected[t], restored[t]) for t in sorted(expected)}
    wrong = [t for t, (a, b) in tables.items() if a != b]
    if wrong:
        raise BackupError("Restored, but the rows differ from the archive in: "
                          + ", ".join(f"{t} ({tables[t][0]} vs {tables[t][1]})" for t in wrong))
    return {"tables": tables, "files": len(manifest.get("files") or {})}
