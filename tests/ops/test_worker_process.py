"""The real worker (`flask worker`, a separate process with the queue in SQLite, PostgreSQL or
Redis as configured): SMTP down, the mail waits and goes when SMTP is back; the worker killed
with SIGKILL in the middle of sending, the mail is not lost: the next worker sends it."""
import os
import signal
import subprocess
import sys
import time

import pytest

from models import OutboxMail, db, utcnow
from services import mail
from tests.smtp_server import SMTPServer, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLASK = os.path.join(os.path.dirname(sys.executable), "flask")


def wait_for(condition, seconds=60, what="the condition"):
    """Poll until condition() is true (fresh database reads each time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not db.is_closed():
            db.close()
        db.connect()
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def queue_app(make_app):
    def _make(port, **more):
        settings = dict(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                        JOBS_IMMEDIATE=False, JOBS_NAME="test-" + os.urandom(6).hex(),
                        MAIL_RETRY_SECONDS=1, REDIS_URL=os.environ.get("REDIS_URL"))
        settings.update(more)
        return make_app(**settings)
    return _make


@pytest.fixture
def start_worker(tmp_path):
    workers = []

    def _start(app, **more):
        config = app.config
        env = dict(os.environ, FLASK_APP="app:create_app", DATABASE_URL=config["DATABASE_URL"],
                   UPLOAD_DIR=config["UPLOAD_DIR"], SECRET_KEY="test-secret",
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=str(config["MAIL_PORT"]),
                   MAIL_USE_TLS="0", MAIL_RETRY_SECONDS="1", JOBS_NAME=config["JOBS_NAME"],
                   JOBS_DB=config["JOBS_DB"], WORKER_THREADS="2",
                   **{k: str(v) for k, v in more.items()})
        env.pop("JOBS_IMMEDIATE", None)
        log = open(tmp_path / f"worker{len(workers)}.log", "wb")
        process = subprocess.Popen([FLASK, "worker"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        workers.append(process)
        return process

    yield _start
    for process in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_smtp_down_the_mail_waits_in_the_queue_and_goes_when_smtp_is_back(queue_app,
                                                                         start_worker):
    port = free_port()
    app = queue_app(port)
    with app.app_context():
        queued = mail.send_mail(app.config, "ana@example.org", "Welcome back", "Body")
        worker = start_worker(app)
        wait_for(lambda: OutboxMail.get_by_id(queued.id).attempts >= 1,
                 what="a first failed try")
        row = OutboxMail.get_by_id(queued.id)
        assert row.sent_at is None and "ConnectionRefusedError" in row.error
        with SMTPServer(port) as server:
            wait_for(lambda: OutboxMail.get_by_id(queued.id).sent_at is not None,
                     what="the mail to go once SMTP is back")
        assert [m["Subject"] for m in server.mails] == ["Welcome back"]
        assert worker.poll() is None


def test_a_worker_killed_while_sending_loses_no_mail(queue_app, start_worker):
    with SMTPServer(hold=True) as server:
        app = queue_app(server.port)
        with app.app_context():
            queued = mail.send_mail(app.config, "ana@example.org", "Not lost", "Body")
            worker = start_worker(app)
            assert server.connected.wait(60)  # the worker is in the middle of sending
            worker.send_signal(signal.SIGKILL)
            worker.wait(20)
            row = OutboxMail.get_by_id(queued.id)
            assert row.claimed_at is not None and row.sent_at is None
            server.hold = False
            server.release.set()
            # The next worker takes a claim older than MAIL_CLAIM_SECONDS as lost.
            wait_for(lambda: utcnow() - OutboxMail.get_by_id(queued.id).claimed_at
                     > mail.claim_timeout({"MAIL_CLAIM_SECONDS": 1}), what="an old claim")
            start_worker(app, MAIL_CLAIM_SECONDS=1)
            wait_for(lambda: OutboxMail.get_by_id(queued.id).sent_at is not None,
                     what="the next worker to send the mail")
        assert "Not lost" in [m["Subject"] for m in server.mails]
