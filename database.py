"""The app's database connections: open_database() for a URL, drop_connection() after an error."""
from playhouse.db_url import connect

from models import db


def open_database(url, pool=False, pool_max=0):
    """Return a peewee database for a URL; SQLite gets the pragmas a web server needs.
    pool (the app's own database): a closed connection goes back to a pool in the process and
    the next request takes it up again, instead of opening one (PostgreSQL: a new server
    process; SQLite: the file and its pragmas) for every request. The pool holds as many as
    were in use at once (at most pool_max if > 0: a request past it waits up to 5 s for one, then gets the 503 "try again" page);
    a connection is renewed after 10 minutes."""
    scheme, rest = url.split("://", 1) if "://" in url else (url, "")
    pooled = pool and scheme in ("sqlite", "postgres", "postgresql") and ":memory:" not in rest
    options = {}
    if pooled:
        url = f"{scheme}+pool://{rest}"
        options = dict(max_connections=pool_max or None, timeout=5, stale_timeout=600)
    if scheme == "sqlite":
        if pooled:  # a pooled connection serves one thread at a time, not always the same
            options["check_same_thread"] = False
        return connect(url, pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 5000,
            # FULL: a committed save survives a power cut (never OFF, see DESIGN.md).
            "synchronous": "full",
        }, **options)
    # No parallel workers for a web request's queries: starting them cost PostgreSQL 4–6 ms
    # on a small server, more than the short queries they were meant to speed up (issue 15).
    return connect(url, options="-c max_parallel_workers_per_gather=0", **options)


def drop_connection():
    """Close this thread's connection for good (not back to the pool): after a database
    error it may be dead. Closing a dead one may fail: it is dropped all the same."""
    try:
        if not db.is_closed():
            if hasattr(db.obj, "manual_close"):
                db.obj.manual_close()
            else:
                db.close()
    except Exception:  # noqa: BLE001
        db._state.reset()


def close_pool():
    """Close every connection this process keeps (before the database file is replaced, as
    restore does, or a test's database is swapped for a fresh copy)."""
    if db.obj is not None and hasattr(db.obj, "close_all"):
        db.obj.close_all()
