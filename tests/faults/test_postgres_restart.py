"""Issue 13, faults: PostgreSQL restarted under load. A real gunicorn serves pages to a small,
bounded load of logged-in GETs; PostgreSQL is stopped (fast: connections are cut) and started
again. While it is away every answer is the styled 503 (never a 500 or a traceback); when it is
back the same server process (no restart, the same worker) answers 200 again by itself.

On the PostgreSQL pass it uses the test's database; on the SQLite pass a scratch database on
the machine's PostgreSQL (tests/pg_scratch.py: unreachable fails in CI). It stops and starts
the cluster of that database with pg_ctlcluster (as root, or as the postgres user); FAULTS_PG_STOP and
FAULTS_PG_START (shell commands) replace those, e.g. for a private cluster. Restarting cuts every
connection to that server: this test closes its own before and waits for pg_isready after."""
import os
import subprocess
import threading
import time
from urllib.parse import urlsplit

import pytest
from flask import url_for

import commands
from app import open_database
from models import User, db
from tests.conftest import USE_PG
from tests.factories import make_user
from tests.faults.server import logged_in
from tests.processes import Server, wait_for
from tests.pg_scratch import PG_SERVER, scratch_database


@pytest.fixture
def pg_app(make_app):
    """The test's app on PostgreSQL: its own database on the PostgreSQL pass, a scratch
    database on the machine's server (migrated here) on the SQLite pass."""
    if USE_PG:
        yield make_app()
        return
    with scratch_database(PG_SERVER, f"opentwin_restart_{os.getpid()}") as url:
        target = open_database(url)
        commands.migrate(target)
        target.close()
        yield make_app(DATABASE_URL=url)

BUSY = b"Try again in a minute. What you saved before is safe."


def cluster_commands(url):
    """The shell commands that stop and start the PostgreSQL of `url`."""
    if os.environ.get("FAULTS_PG_STOP") and os.environ.get("FAULTS_PG_START"):
        return os.environ["FAULTS_PG_STOP"], os.environ["FAULTS_PG_START"]
    port = urlsplit(url).port or 5432
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                             check=True).stdout
    for line in listing.splitlines():
        version, name, cluster_port = line.split()[:3]
        if int(cluster_port) == port:
            base = f"pg_ctlcluster --skip-systemctl-redirect {version} {name}"
            return f"{base} stop -m fast", f"{base} start"
    pytest.fail(f"No local PostgreSQL cluster listens on port {port} (pg_lsclusters): set "
                "FAULTS_PG_STOP and FAULTS_PG_START to stop and start the server of "
                "DATABASE_URL.")


def pg_isready(url):
    parts = urlsplit(url)
    return subprocess.run(["pg_isready", "-q", "-h", parts.hostname or "127.0.0.1", "-p",
                           str(parts.port or 5432)]).returncode == 0


class Load:
    """Two threads GETting a page that reads the database, until stopped or `seconds`."""

    def __init__(self, server, path, cookie, seconds=60):
        self.server, self.path, self.cookie = server, path, cookie
        self.results = []  # (monotonic time, status, body)
        self.errors = []
        self.stop = threading.Event()
        self.deadline = time.monotonic() + seconds
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(2)]
        for thread in self.threads:
            thread.start()

    def _run(self):
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            try:
                response = self.server.request("GET", self.path, headers={"Cookie": self.cookie},
                                               timeout=15)
                self.results.append((time.monotonic(), response.status, response.body))
            except OSError as error:  # a connection cut is not an answer: note it
                self.errors.append(repr(error))
            self.stop.wait(0.02)  # a small load: leave the cores to the server

    def seen(self, status, after=0.0):
        return [r for r in self.results if r[1] == status and r[0] > after]

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(20)


def test_postgres_restarted_under_load_gives_503_then_recovers_by_itself(pg_app):
    app = pg_app
    url = app.config["DATABASE_URL"]
    stop_cmd, start_cmd = cluster_commands(url)
    teacher = make_user(name="Tina Teacher")
    cookie, _token = logged_in(app, teacher)
    with app.test_request_context():
        page = url_for("account.show")
    db.close()  # the test's own connection: not open while the server goes away
    server = Server(app)
    load = None
    try:
        worker = server.worker
        load = Load(server, page, cookie)
        wait_for(lambda: load.seen(200), 20, "the first page under load")
        subprocess.run(stop_cmd, shell=True, check=True, capture_output=True)
        stopped = time.monotonic()
        try:
            outage = wait_for(lambda: load.seen(503, after=stopped), 20,
                              "a 503 while PostgreSQL is stopped")
        finally:
            subprocess.run(start_cmd, shell=True, check=True, capture_output=True)
            wait_for(lambda: pg_isready(url), 60, "pg_isready after the restart")
        started = time.monotonic()
        wait_for(lambda: load.seen(200, after=started), 30, "a page after the restart")
        load.finish()
        # Recovered for good: the next pages all work, from the same worker.
        for _ in range(5):
            response = server.request("GET", page, headers={"Cookie": cookie})
            assert response.status == 200 and b"Tina Teacher" in response.body
        assert server.worker == worker and server.process.poll() is None
        statuses = {r[1] for r in load.results}
        assert statuses <= {200, 503}, (statuses, server.output()[-3000:])
        body = outage[0][2]
        assert b"<h1>The service is busy for a moment</h1>" in body and BUSY in body
        assert b"Traceback" not in body and b'href="/static/' in body
        during = len(load.seen(503))
        print(f"\nunder load: {len(load.results)} answers, {during} of them 503 while "
              f"PostgreSQL restarted, {len(load.errors)} connection errors; statuses "
              f"{sorted(statuses)}")
    finally:
        if load is not None:
            load.finish()
        server.stop()
        if not pg_isready(url):
            subprocess.run(start_cmd, shell=True, capture_output=True)
            wait_for(lambda: pg_isready(url), 60, "pg_isready")
    # The test's own fixtures go on: a fresh connection reads the database.
    db.close()
    assert User.get_by_id(teacher.id).name == "Tina Teacher"
