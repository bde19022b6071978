"""Server time per page on the scale data: median and p95 over repeated requests, queries per
request, and the bytes of a first visit and of the page's htmx fragment.

Uses the database made by `python -m bench.seed` (360,000 teachers by default), brings its
schema up to date, logs in as the bench teacher (bench/seed_spaces.py: a member of the busy
space and of groups, with a full mailbox) and as central staff through the Flask test client,
and times each main page. Counts of long lists kept by services/counts.py are cleared before
each request: the figures are those of a first visit (or a new filter), not of a kept count.
DESIGN.md's budget: median ≤ 20 ms, p95 ≤ 50 ms per page. The pages take turns, a request
of each at a time, so the machine's noisy moments fall on all of them alike.
Run: `python -m bench.server [--database URL] [--runs 50]`; the last line is
`server p95: N ms` (the worst page). `make bench` (bench/full.py) runs it on both databases.
"""
import argparse
import math
import statistics
import time

from itsdangerous import URLSafeTimedSerializer

from bench import seed_spaces as scale
from bench.pageweight import fetch, transferred
from bench.search import DEFAULT_DATABASE
from services import counts

# (label, who, path, htmx target of the page's fragment or None); who: None (anonymous),
# "teacher" or "staff"; {placeholders} are filled by paths() from the scale data.
PAGES = [
    ("Home", None, "/", None),
    ("Search (keyword)", None, "/connect?q=maria", "results"),
    ("Search (filters)", None, "/connect?country=ES&subject=maths&age=12-15", "results"),
    ("Projects keyword", None, "/connect?type=projects&q=water", "results"),
    ("Teacher profile", None, "/teachers/{teacher}", None),
    ("Group directory", None, "/progress/groups", "group-results"),
    ("People search", "teacher", "/connect?q=garcia", "results"),
    ("Live desktop", "teacher", "/live/", None),
    ("Notifications", "teacher", "/live/notifications", "notification-list"),
    ("Mailbox", "teacher", "/live/mail", "mail-list"),
    ("My projects", "teacher", "/live/projects/", None),
    ("Groups (Live)", "teacher", "/groups/", "group-results"),
    ("Space home", "teacher", "/twinspaces/{space}/", None),
    ("A page", "teacher", "/twinspaces/{space}/pages/{page}", None),
    ("Page history", "teacher", "/twinspaces/{space}/pages/{page}/history", None),
    ("Album", "teacher", "/twinspaces/{space}/materials/folders/{album}", None),
    ("Forum discussion", "teacher", "/twinspaces/{space}/forums/discussions/{discussion}",
     None),
    ("Chat page", "teacher", "/twinspaces/{space}/live", None),
    ("Space members", "teacher", "/twinspaces/{space}/members", "member-list"),
    ("Busy group home", "teacher", "/groups/{group}/", None),
    ("Validation queue", "staff", "/admin/validation", None),
    ("Admin people", "staff", "/admin/people", "people-results"),
]
BUDGET_MEDIAN, BUDGET_P95 = 20.0, 50.0


def paths():
    """The ids the pages need, looked up by the names bench/seed_spaces.py gave them."""
    from models import Discussion, Folder, Forum, Page, Space, User
    space = Space.get(Space.title == scale.BUSY_SPACE)
    return {
        "teacher": User.get(User.email == scale.TEACHER).id,
        "space": space.id,
        "page": Page.get((Page.space == space) & (Page.title == scale.BUSY_PAGE)).id,
        "album": Folder.get((Folder.space == space) & (Folder.title == scale.BUSY_ALBUM)).id,
        "discussion": (Discussion.select().join(Forum)
                       .where((Forum.space == space)
                              & (Discussion.title == scale.BUSY_DISCUSSION)).get().id),
        "group": Space.get(Space.title == scale.BUSY_GROUP).id,
    }


def logged_in_client(app, email, password=scale.PASSWORD):
    client = app.test_client()
    client.get("/auth/login")
    with client.session_transaction() as session:
        raw = session.get("csrf_token")
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    response = client.post("/auth/login", data={"identifier": email, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303, f"could not log in as {email}"
    return client


class QueryCount:
    """Counts the SQL statements the database runs inside a `with` block."""

    def __init__(self, database):
        self.database, self.count = database, 0

    def __enter__(self):
        original = type(self.database).execute_sql

        def counting(*args, **kwargs):
            self.count += 1
            return original(self.database, *args, **kwargs)
        self.database.execute_sql = counting
        return self

    def __exit__(self, *exc):
        del self.database.execute_sql


def time_pages(visits, runs):
    """{path: (median ms, p95 ms)} of `runs` requests of each (client, path) in `visits`,
    after one each to warm up and check it works. The pages take turns (one request of each,
    then again), so a noisy moment on a shared machine falls on every page alike rather than
    on the few measured then."""
    times = {}
    for client, path in visits:
        assert client.get(path).status_code == 200, path
        times[path] = []
    for _ in range(runs):
        for client, path in visits:
            counts._kept.clear()  # as the first request of a minute, or a new filter, finds them
            start = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times[path].append((time.perf_counter() - start) * 1000)
    result = {}
    for path, found in times.items():
        found.sort()
        result[path] = (statistics.median(found),
                        found[math.ceil(len(found) * 0.95) - 1])  # nearest rank
    return result


def run(database, runs=50, progress=print):
    """One row a page: (label, median, p95, queries, first visit bytes, fragment bytes or
    None) on `database`, a URL."""
    import commands
    from app import create_app
    from models import db
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    rows = []
    with app.app_context():
        commands.migrate(db.obj)
        ids = paths()
        db.close()
    clients = {None: app.test_client(), "teacher": logged_in_client(app, scale.TEACHER),
               "staff": logged_in_client(app, scale.STAFF)}
    visits = [(clients[who], template.format(**ids)) for _label, who, template, _t in PAGES]
    timed = time_pages(visits, runs)
    for label, who, template, target in PAGES:
        path = template.format(**ids)
        client = clients[who]
        median, p95 = timed[path]
        counts._kept.clear()
        with QueryCount(db.obj) as queries:
            client.get(path).get_data()
        status, html, assets, _, _ = fetch(client, path, "gzip")
        assert status == 200, path
        fragment = None
        if target:
            response = client.get(path, headers={"Accept-Encoding": "gzip",
                                                 "HX-Request": "true", "HX-Target": target})
            fragment = transferred(response)
        rows.append((label, median, p95, queries.count, html + assets, fragment))
        progress(f"  {label:<20}{median:>8.1f}{p95:>8.1f}{queries.count:>5}")
    db.close()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    print(f"{'page':<22}{'median':>8}{'p95':>8}{'SQL':>5}  (ms; {args.runs} runs a page)")
    rows = run(args.database, args.runs)
    print(f"server p95: {max(row[2] for row in rows):.0f} ms")


if __name__ == "__main__":
    main()
