"""Operations on the command line: `flask backup`, `flask restore`, `flask db copy`
(services/backup.py, services/restore.py, services/dbcopy.py)."""
import contextlib
import sqlite3
import tarfile

import click
import psycopg2
from flask import current_app
from flask.cli import with_appcontext
from peewee import DatabaseError

from commands import db_cli
from services.backup import BackupError, create_backup
from services.restore import restore as restore_archive


@contextlib.contextmanager
def _one_line_errors(what):
    """A backup or restore that fails says why in one line, not a traceback: its own
    BackupError, a database that cannot be opened, a full disk, a broken archive."""
    try:
        yield
    except BackupError as exc:
        raise click.ClickException(str(exc))
    except (DatabaseError, sqlite3.Error, psycopg2.Error, OSError, tarfile.TarError) as exc:
        raise click.ClickException(f"The {what} failed: {exc}")


@click.command("backup")
@click.option("--to", "dest", type=click.Path(dir_okay=True, writable=True),
              help="The archive to write (or a folder for it). Default: BACKUP_DIR, "
                   "else instance/backups/.")
@with_appcontext
def backup(dest):
    """Write one archive of the database and the uploads (safe while the app serves); the
    archive's path is the last line printed."""
    with _one_line_errors("backup"):
        path = create_backup(current_app.config, dest)
    click.echo(path)


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@with_appcontext
def restore(archive):
    """Bring an EMPTY instance (database with no rows, empty or missing UPLOAD_DIR) back to
    the state of ARCHIVE. The archive is checked before anything is written."""
    with _one_line_errors("restore"):
        result = restore_archive(current_app.config, archive)
    for table, (expected, restored) in result["tables"].items():
        click.echo(f"  {table:<32} {restored:>9} rows (archive: {expected})")
    click.echo(f"Restored {len(result['tables'])} tables and {result['files']} files "
               f"from {archive}.")


@db_cli.command("copy")
@click.option("--to", "url", required=True, metavar="URL",
              help="The target database, e.g. postgresql://user:password@host:5432/opentwin")
@with_appcontext
def db_copy(url):
    """Copy every row from this database (DATABASE_URL) into an empty one at URL."""
    from app import open_database
    from models import db
    from services.dbcopy import copy
    if url == current_app.config["DATABASE_URL"]:
        raise click.UsageError("--to names the database the app uses; give another one.")
    try:
        target = open_database(url)
        target.connect()
    except Exception as exc:  # peewee/driver errors: unknown scheme, refused connection
        raise click.ClickException(f"Cannot open {_no_password(url)}: {exc}")
    db.connect(reuse_if_open=True)
    try:
        result = copy(db.obj, target, echo=click.echo)
    except BackupError as exc:
        raise click.ClickException(str(exc))
    except DatabaseError as exc:
        raise click.ClickException(
            f"The copy stopped: {exc}. The target may hold part of the rows: drop and "
            "create it again before the next try.")
    finally:
        target.close()
    wrong = []
    click.echo(f"{'table':<32} {'source':>9} {'target':>9}")
    for table, (a, b) in result.items():
        click.echo(f"{table:<32} {a:>9} {b:>9}" + ("" if a == b else "  DIFFERENT"))
        if a != b:
            wrong.append(table)
    if wrong:
        raise click.ClickException("The row counts differ in: " + ", ".join(wrong))
    click.echo(f"Copied {sum(a for a, _b in result.values())} rows in {len(result)} tables; "
               "the counts match.")


def register(app):
    app.cli.add_command(backup)
    app.cli.add_command(restore)


def _no_password(url):
    """The URL as it may be printed: without its password."""
    from services.backup import pg_command_url
    return pg_command_url(url)[0] if "@" in url else url
