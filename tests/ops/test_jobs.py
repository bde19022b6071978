"""Scheduled jobs (issue 13): one runner per job and slot whatever the number of workers, a
failure written down without stopping the worker, the schedule's next run, and the staff
health page and /healthz that show them."""
import datetime
import os

import pytest
from flask import url_for

from models import JobRun, OutboxMail, Role, utcnow
from services import jobs
from tests.conftest import switch
from tests.factories import make_user


def at(text):
    return datetime.datetime.fromisoformat(text)


def test_two_workers_woken_for_the_same_slot_run_the_job_once(app):
    with app.app_context():
        first = jobs.run_job("group_watch", now=at("2026-12-07T03:30:00"))
        # The other host's clock is 40 seconds late: the same daily slot all the same.
        second = jobs.run_job("group_watch", now=at("2026-12-07T03:30:40"))
        assert first.state == "ok" and second is None
        assert JobRun.select().where(JobRun.job == "group_watch").count() == 1
        # The next day is another slot.
        assert jobs.run_job("group_watch", now=at("2026-12-08T03:30:00")).state == "ok"


def test_slots_follow_each_jobs_period():
    sweep, daily = jobs.BY_NAME["mail_sweep"], jobs.BY_NAME["chat_retention"]
    assert sweep.slot(at("2026-12-07T10:07:59")) == "2026-12-07T10:05"
    assert sweep.slot(at("2026-12-07T10:10:00")) == "2026-12-07T10:10"
    assert daily.slot(at("2026-12-07T03:15:00")) == daily.slot(at("2026-12-07T23:59:00"))


def test_next_run_follows_the_schedule():
    assert jobs.BY_NAME["mail_sweep"].next_run(at("2026-12-07T10:02:30")) == \
        at("2026-12-07T10:05:00")
    # 2026-12-08 is a Tuesday: the weekly summaries go on Monday the 14th at 06:00 UTC.
    assert jobs.BY_NAME["digest_weekly"].next_run(at("2026-12-08T09:00:00")) == \
        at("2026-12-14T06:00:00")
    assert jobs.BY_NAME["backup"].next_run(at("2026-12-08T01:59:00")) == \
        at("2026-12-08T02:00:00")


def test_a_failing_job_is_written_down_and_the_next_job_still_runs(app, monkeypatch):
    def broken(config):
        raise RuntimeError("the disk is on fire")
    monkeypatch.setattr(jobs.BY_NAME["search_reindex"], "run", broken)
    with app.app_context():
        run = jobs.run_job("search_reindex")
        assert run.state == "failed" and "RuntimeError: the disk is on fire" in run.error
        assert run.finished_at is not None
        assert jobs.run_job("chat_retention").state == "ok"


def test_chat_retention_also_forgets_old_job_records(app):
    with app.app_context():
        JobRun.create(job="mail_sweep", slot="old", started_at=utcnow()
                      - datetime.timedelta(days=40), finished_at=utcnow(), state="ok")
        run = jobs.run_job("chat_retention")
        assert "1 old job records" in run.detail
        assert not JobRun.select().where(JobRun.slot == "old").exists()


def test_the_worker_wakes_each_job_at_its_time():
    def due(moment):
        return sorted(task.name for task in jobs.huey.read_periodic(at(moment)))
    # 2026-12-07 is a Monday.
    assert due("2026-12-07T03:30:00") == ["scheduled_group_watch", "scheduled_mail_sweep"]
    assert due("2026-12-07T06:00:00") == ["scheduled_digest_daily", "scheduled_digest_weekly",
                                          "scheduled_mail_sweep"]
    assert due("2026-12-07T06:01:00") == []
    assert due("2026-12-13T04:00:00") == ["scheduled_mail_sweep", "scheduled_search_reindex"]
    assert due("2026-12-08T02:00:00") == ["scheduled_backup", "scheduled_mail_sweep"]


# --- The health page ------------------------------------------------------------------------

def health_url(app, **kw):
    with app.test_request_context():
        return url_for("admin.health_page", **kw)


def run_url(app, name):
    with app.test_request_context():
        return url_for("admin.health_run", name=name)


@pytest.mark.parametrize("role", [Role.NSS, Role.TEACHER])
def test_only_central_staff_see_the_health_page(app, client, role):
    switch(client, make_user(role=role))
    assert client.get(health_url(app)).status_code == 403
    assert client.post(run_url(app, "group_watch")).status_code == 403
    assert not JobRun.select().exists()


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    response = client.get(health_url(app))
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


def test_the_health_page_shows_jobs_queue_services_and_failures(make_app):
    # As in production: the queue in its store (here a SQLite file), run by a worker.
    app = make_app(JOBS_IMMEDIATE=False, JOBS_NAME="test-" + os.urandom(6).hex(),
                   REDIS_URL=os.environ.get("REDIS_URL"))
    client = app.test_client()
    with app.app_context():
        jobs.run_job("group_watch")
        OutboxMail.create(to_address="a@example.org", subject="Stuck mail", body="b",
                          attempts=2, error="ConnectionRefusedError: down",
                          next_attempt_at=utcnow())
        JobRun.create(job="backup", slot="x", state="failed", finished_at=utcnow(),
                      error="OSError: no room\ntraceback")
    switch(client, make_user(role=Role.CSS))
    page = client.get(health_url(app)).get_data(as_text=True)
    for text in ("Idle group monitoring", "0 idle groups flagged", "Next run", "Answers",
                 "Stuck mail", "ConnectionRefusedError: down", "OSError: no room",
                 "Free disk for uploads", "None: the database is up to date",
                 "Never seen",  # no mail sweep has run: the worker is not running
                 "0 tasks waiting", "No daily backup: set BACKUP_DIR"):
        assert text in page, text


def test_run_now_queues_the_job_for_the_worker(app, client):
    switch(client, make_user(role=Role.CSS))
    response = client.post(run_url(app, "group_watch"))
    assert response.status_code == 303
    run = JobRun.get(JobRun.job == "group_watch")  # inline here; the worker's job in production
    assert run.slot.startswith("manual ") and run.state == "ok"


def test_run_now_refuses_an_unknown_job_and_a_missing_token(app, client):
    switch(client, make_user(role=Role.CSS))
    assert client.post(run_url(app, "no_such_job")).status_code == 404
    assert client.post(run_url(app, "group_watch"), csrf=False).status_code == 400
    assert not JobRun.select().exists()


def test_healthz_answers_200_with_names_only(client, app):
    with app.test_request_context():
        response = client.get(url_for("ops.healthz"))
    assert response.status_code == 200
    expected = {"database": "ok", **({"redis": "ok"} if app.config["REDIS_URL"] else {})}
    assert response.get_json() == {"status": "ok", "checks": expected}


def test_healthz_answers_503_when_the_database_does_not(make_app, tmp_path):
    app = make_app(DATABASE_URL="sqlite:///" + str(tmp_path / "missing" / "no.db"))
    with app.test_request_context():
        response = app.test_client().get(url_for("ops.healthz"))
    assert response.status_code == 503
    assert response.get_json()["status"] == "fail"
    assert response.get_json()["checks"]["database"] == "fail"


def test_healthz_answers_503_when_redis_does_not(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0")
    with app.test_request_context():
        response = app.test_client().get(url_for("ops.healthz"))
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == "fail"


def test_the_daily_backup_is_skipped_without_backup_dir_and_kept_with_it(make_app, tmp_path):
    app = make_app()
    with app.app_context():
        run = jobs.run_job("backup", now=at("2026-12-07T02:00:00"))
        assert run.state == "skipped" and run.detail == "not configured"
    app = make_app(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_KEEP=2)
    with app.app_context():
        names = [jobs.run_job("backup", now=at(f"2026-12-0{day}T02:00:00")).detail
                 for day in (7, 8, 9)]
        assert all(name.startswith("opentwin-backup-") for name in names)
        kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
        assert len(kept) == 2 and kept[-1] in names


def test_a_job_whose_worker_died_is_marked_interrupted_and_run_again(app):
    import socket
    import subprocess
    import sys
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = f"{socket.gethostname()}:{int(gone.stdout)}"
    with app.app_context():
        cut = JobRun.create(job="search_reindex", slot="2026-12-06T04:00", worker=dead)
        alive = JobRun.create(job="group_watch", slot="2026-12-06T03:30",
                              worker=f"{socket.gethostname()}:1")  # pid 1 is alive
        elsewhere = JobRun.create(job="chat_retention", slot="2026-12-06T03:15",
                                  worker=f"another-host:{int(gone.stdout)}")
        sweep = jobs.run_job("mail_sweep")
        assert sweep.detail.endswith("1 interrupted jobs run again")
        assert JobRun.get_by_id(cut.id).state == "interrupted"
        again = JobRun.get(JobRun.slot == "again 2026-12-06T04:00")
        assert again.job == "search_reindex" and again.state == "ok"
        assert JobRun.get_by_id(alive.id).state == "running"
        assert JobRun.get_by_id(elsewhere.id).state == "running"  # not ours to judge
        assert jobs.recover_interrupted() == []  # once only
