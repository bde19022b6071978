"""PostgreSQL for the tests that need it on both passes (a copy into it, a restart of it): the
test's own server on the PostgreSQL pass, the machine's (TEST_PG_SERVER) on the SQLite pass.
A server that cannot be reached fails the test in CI and on the PostgreSQL pass; only on a
SQLite-only machine outside CI is the test skipped, with the reason. And a scratch database
beside the test's, for a second, empty one: made new, dropped after."""
import contextlib
import os

import pytest

from models import db
from tests.conftest import PG_URL, USE_PG

PG_SERVER = PG_URL if USE_PG else os.environ.get(
    "TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_admin(url=PG_SERVER):
    """An autocommit psycopg2 connection to the server of `url`."""
    import psycopg2
    from services.backup import libpq_url
    try:
        conn = psycopg2.connect(libpq_url(url), connect_timeout=5)
    except psycopg2.OperationalError as exc:
        if USE_PG or os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is needed for this test and unreachable: {exc}")
        pytest.skip(f"PostgreSQL is not reachable here (not CI): {exc}")
    conn.autocommit = True
    return conn


@contextlib.contextmanager
def scratch_database(server_url, dbname):
    """Yield the URL of a new empty database `dbname` on the server of `server_url`."""
    base = server_url.rsplit("/", 1)[0]
    drop = f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'
    _admin(server_url, drop, f'CREATE DATABASE "{dbname}"')
    try:
        yield f"{base}/{dbname}"
    finally:
        if not db.is_closed():
            db.close()
        _admin(server_url, drop)  # a connection of its own: the server may have restarted


def _admin(server_url, *statements):
    conn = pg_admin(server_url)
    try:
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    finally:
        conn.close()
