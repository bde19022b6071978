"""A scratch PostgreSQL database beside the test's, for tests that need a second, empty one
(a restore, a copy): made new, dropped after."""
import contextlib

from models import db


@contextlib.contextmanager
def scratch_database(server_url, dbname, connect):
    """Yield the URL of a new empty database `dbname` on the server of `server_url`;
    `connect()` gives an autocommit psycopg2 connection to that server."""
    base = server_url.rsplit("/", 1)[0]
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{dbname}"')
        yield f"{base}/{dbname}"
    finally:
        if not db.is_closed():
            db.close()
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.close()
