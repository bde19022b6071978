"""Counts of long lists, kept for a minute (issue 15).

A list page shows its total and its page count, so every request counted every matching row:
at 360,000 teachers that is the slowest part of the people list, the portal's search and the
staff's lists (36–160 ms on PostgreSQL). A count of LARGE rows or more is kept in this process
for SECONDS, keyed by the database and the exact query: a total of tens of thousands may lag
a minute behind, which nobody reading it can tell; a smaller count is never kept, so short
lists (and every list in the tests) are always exact.
"""
import threading
import time

LARGE = 5000
SECONDS = 60
_MAX_KEYS = 2000
_kept = {}
_lock = threading.Lock()


def count(key, compute, clock=time.monotonic):
    """compute() unless a large result for `key` was kept less than SECONDS ago."""
    now = clock()
    kept = _kept.get(key)
    if kept and kept[1] > now:
        return kept[0]
    total = compute()
    if total >= LARGE:
        with _lock:
            if len(_kept) >= _MAX_KEYS:
                _kept.clear()
            _kept[key] = (total, now + SECONDS)
    return total


def of_query(query):
    """query.count(), kept as above; the key is the database and the query's SQL."""
    sql, params = query.sql()
    database = query.model._meta.database
    name = getattr(database, "obj", database).database
    return count((name, sql, tuple(params)), query.count)


def of_sql(database_name, sql, params, compute):
    return count((database_name, sql, tuple(params)), compute)
