"""The mail queue (issue 13): a request only stores the mail and queues it; the worker sends it,
retries with a doubling back-off while SMTP is down, and a try lost with a killed worker is
queued again by the sweep. Jobs run inline here (JOBS_IMMEDIATE); Huey keeps the scheduled
retries in its in-memory schedule, which the tests read and run as the worker would."""
import datetime

from flask import url_for

from models import OutboxMail, utcnow
from services import jobs, mail
from tests.conftest import switch
from tests.factories import make_user
from tests.smtp_server import SMTPServer, free_port


def smtp_settings(port, **more):
    return dict(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, **more)


def later(seconds_ahead):
    return (datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            + datetime.timedelta(seconds=seconds_ahead))


def due_retries(seconds_ahead):
    """The retries Huey has scheduled up to `seconds_ahead` from now, taken off its schedule
    and run as the worker runs them then; returns what each returned."""
    moment = later(seconds_ahead)
    return [jobs.huey.execute(task, timestamp=moment)
            for task in jobs.huey.read_schedule(moment)]


def forgot(client, email):
    with client.application.test_request_context():
        address = url_for("auth.forgot_password")
    return client.post(address, data={"email": email})


def test_without_smtp_a_mail_stays_in_the_outbox_and_nothing_is_queued(app):
    with app.app_context():
        row = mail.send_mail(app.config, "ana@example.org", "Hello", "Body")
        assert row.next_attempt_at is None and row.sent_at is None
        assert mail.queue_figures()["waiting"] == 0


def test_with_smtp_the_worker_delivers_the_mail(make_app):
    with SMTPServer() as server:
        app = make_app(**smtp_settings(server.port))
        make_user(email="ana@example.org")
        client = app.test_client()
        assert forgot(client, "ana@example.org").status_code == 303
        assert server.received.wait(10)
        assert "password" in server.mails[0]["Subject"].lower()
        with app.app_context():
            row = OutboxMail.get()
            assert row.sent_at is not None and row.attempts == 0
            assert row.next_attempt_at is None and row.claimed_at is None


def test_smtp_down_the_page_works_and_the_mail_waits_then_goes_when_it_is_back(make_app):
    port = free_port()  # nothing listens there yet: SMTP is down
    app = make_app(**smtp_settings(port))
    make_user(email="ana@example.org")
    client = app.test_client()
    response = forgot(client, "ana@example.org")
    assert response.status_code == 303  # the page is not held up nor broken
    with app.app_context():
        row = OutboxMail.get()
        assert row.sent_at is None and row.attempts == 1
        assert "ConnectionRefusedError" in row.error
        wait = (row.next_attempt_at - utcnow()).total_seconds()
        assert 50 < wait <= 60
        assert mail.queue_figures()["waiting"] == 1
        assert not due_retries(30)  # the retry is not due before its back-off
        with SMTPServer(port) as server:
            assert due_retries(61) == [mail.SENT]
            assert server.received.wait(10)
        row = OutboxMail.get()
        assert row.sent_at is not None and row.attempts == 1
        assert mail.queue_figures()["waiting"] == 0


def test_the_back_off_doubles_and_the_queue_gives_up_after_the_last_try(make_app):
    app = make_app(**smtp_settings(free_port(), MAIL_MAX_ATTEMPTS=3))
    with app.app_context():
        row = mail.send_mail(app.config, "ana@example.org", "Hello", "Body")
        waits = []
        for attempt in (1, 2):
            row = OutboxMail.get_by_id(row.id)
            assert row.attempts == attempt
            waits.append(round((row.next_attempt_at - utcnow()).total_seconds() / 60))
            assert due_retries(60 * 2 ** (attempt - 1) + 5) == [mail.FAILED]
        row = OutboxMail.get_by_id(row.id)
        assert waits == [1, 2]
        assert row.attempts == 3 and row.next_attempt_at is None and row.sent_at is None
        assert not due_retries(10_000)  # nothing more is asked for
        figures = mail.queue_figures()
        assert figures["failed"] == 1 and figures["waiting"] == 0


def test_a_mail_held_by_another_worker_or_already_tried_is_not_sent_twice(make_app):
    with SMTPServer() as server:
        app = make_app(**smtp_settings(server.port))
        with app.app_context():
            row = OutboxMail.create(to_address="a@example.org", subject="s", body="b",
                                    next_attempt_at=utcnow(), claimed_at=utcnow())
            assert mail.deliver(app.config, row.id, 0) == mail.TAKEN
            OutboxMail.update(claimed_at=None, attempts=1).where(OutboxMail.id == row.id).execute()
            assert mail.deliver(app.config, row.id, 0) == mail.STALE  # an old try's task
            assert mail.deliver(app.config, row.id, 1) == mail.SENT
            assert mail.deliver(app.config, row.id, 1) == mail.STALE
        assert len(server.mails) == 1


def test_the_sweep_queues_again_a_try_lost_with_a_killed_worker(make_app):
    with SMTPServer() as server:
        app = make_app(**smtp_settings(server.port))
        with app.app_context():
            long_ago = utcnow() - datetime.timedelta(minutes=30)
            # Killed while sending: claimed half an hour ago, its task gone with the worker.
            lost = OutboxMail.create(to_address="a@example.org", subject="lost", body="b",
                                     next_attempt_at=long_ago, claimed_at=long_ago)
            # Due a minute ago: its task is still in the queue, the sweep leaves it.
            due = OutboxMail.create(to_address="b@example.org", subject="due", body="b",
                                    next_attempt_at=utcnow() - datetime.timedelta(minutes=1))
            assert mail.lost(app.config) == [(lost.id, 0)]
            run_row = jobs.run_job("mail_sweep")
            assert run_row.state == "ok" and run_row.detail.startswith("1 ")
            assert OutboxMail.get_by_id(lost.id).sent_at is not None
            assert OutboxMail.get_by_id(due.id).sent_at is None
        assert [m["Subject"] for m in server.mails] == ["lost"]


def test_the_outbox_page_says_where_each_mail_is(make_app):
    app = make_app(**smtp_settings(free_port(), MAIL_MAX_ATTEMPTS=1))
    with app.app_context():
        mail.send_mail(app.config, "a@example.org", "Given up", "b")
        OutboxMail.create(to_address="b@example.org", subject="Kept", body="b")
    client = app.test_client()
    switch(client, make_user(role="css"))
    with app.test_request_context():
        page = client.get(url_for("admin.outbox")).get_data(as_text=True)
    assert "Not delivered after 1 try" in page and "Outbox only" in page


def test_nothing_is_scheduled_when_every_mail_went(make_app):
    with SMTPServer() as server:
        app = make_app(**smtp_settings(server.port))
        with app.app_context():
            mail.send_mail(app.config, "a@example.org", "s", "b")
        assert server.received.wait(10)
        assert not due_retries(100_000)


def test_any_failure_while_sending_is_a_failed_try_never_a_mail_held_for_good(make_app,
                                                                             monkeypatch):
    app = make_app(**smtp_settings(free_port()))

    def broken(settings, row):
        raise ValueError("a header the mail library refuses")
    monkeypatch.setattr(mail, "_smtp_send", broken)
    with app.app_context():
        row = mail.send_mail(app.config, "a@example.org", "Line\r\nbreak: in a title", "b")
        row = OutboxMail.get_by_id(row.id)
        assert row.subject == "Line break: in a title"
        assert row.attempts == 1 and row.claimed_at is None
        assert row.error == "ValueError: a header the mail library refuses"
        assert row.next_attempt_at is not None


def test_a_mail_queued_before_its_row_is_committed_is_looked_for_again(make_app):
    """A worker may take the task before the page's transaction commits: the try finds no
    row, and asks again a moment later instead of waiting for the sweep."""
    with SMTPServer() as server:
        app = make_app(**smtp_settings(server.port))
        with app.app_context():
            jobs.deliver_mail(987654, 0)  # no such row yet
            OutboxMail.create(id=987654, to_address="a@example.org", subject="Late row",
                              body="b", next_attempt_at=utcnow())
            assert due_retries(2) == [mail.SENT]
        assert [m["Subject"] for m in server.mails] == ["Late row"]


def test_a_queue_that_cannot_be_reached_does_not_break_the_page(make_app, monkeypatch):
    app = make_app(**smtp_settings(free_port()))

    def unreachable(*args):
        raise ConnectionError("Redis is away")
    monkeypatch.setattr(jobs.huey, "enqueue", unreachable)
    make_user(email="ana@example.org")
    response = forgot(app.test_client(), "ana@example.org")
    assert response.status_code == 303
    with app.app_context():
        row = OutboxMail.get()
        assert row.sent_at is None and row.next_attempt_at is not None  # the sweep's to find
