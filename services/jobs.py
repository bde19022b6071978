"""Jobs: the mail queue and the scheduled work, run by `flask worker` with Huey.

Why Huey (issue 13): it is maintained, small, and keeps its queue in what a school's server
already has: a SQLite file beside the database, the PostgreSQL database itself (tables
huey_*), or Redis when REDIS_URL is set (the only choice shared by several hosts besides
PostgreSQL). RQ and Dramatiq need Redis or RabbitMQ; APScheduler schedules but is no queue.
Huey drops a task whose worker is killed mid-run, so what must not be lost lives in our own
tables: a mail's row says when its next try is due (services/mail.py, with a sweep for lost
tries), and each scheduled run is a JobRun row.

One runner per scheduled job: every worker's clock wakes the job, and each first inserts
JobRun(job, slot), unique per job and time slot; the worker whose row goes in runs the job,
the others stop there. The rows are the health page's history (services/health.py).

The web process and the tests set `huey.immediate` (tests: run inline, in memory); the
worker sets the real storage (configure()).
"""
import datetime
import logging
import os
import socket
import traceback

from flask import current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.contrib.sql_huey import SqlStorage
from huey.storage import MemoryStorage
from peewee import IntegrityError

from models import JobRun, db, utcnow

log = logging.getLogger("opentwin.jobs")

huey = Huey("opentwin", immediate=True, storage_class=MemoryStorage, utc=True)
_app = None  # the app a worker runs jobs for (set by `flask worker`)


class PrefixedSqlStorage(SqlStorage):
    """Huey's peewee storage with its tables named huey_*, beside ours in PostgreSQL. The
    tables are made by migration 0017, not here: nothing connects until a task is queued."""

    def __init__(self, name="huey", database=None, **kwargs):
        super().__init__(name, database=database, create_tables=False, **kwargs)

    def create_models(self):
        models = super().create_models()
        for model in models:
            model._meta.set_table_name("huey_" + model._meta.table_name)
        return models


def storage_for(config):
    """(Huey class, its keyword arguments) for where the queue lives under these settings."""
    if config.get("REDIS_URL"):
        return RedisHuey, {"url": config["REDIS_URL"]}
    if config["DATABASE_URL"].startswith("postgres"):
        return Huey, {"storage_class": PrefixedSqlStorage, "database": config["DATABASE_URL"]}
    return SqliteHuey, {"filename": config["JOBS_DB"], "fsync": True}


def store_name(config):
    """Where the queue lives, as the health page and `flask worker` say it."""
    if config.get("REDIS_URL"):
        return "Redis"
    return "PostgreSQL" if config["DATABASE_URL"].startswith("postgres") else "SQLite"


def configure(app):
    """Point the queue where the settings say, or run tasks inline (JOBS_IMMEDIATE)."""
    if app.config["JOBS_IMMEDIATE"]:
        huey.immediate = True
        return
    cls, kwargs = storage_for(app.config)
    kwargs = dict(kwargs)
    storage_class = kwargs.pop("storage_class", None) or cls.storage_class
    huey._immediate = False
    huey.name = app.config["JOBS_NAME"]
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.storage = huey.create_storage()


def app_for_jobs():
    return current_app._get_current_object() if has_app_context() else _app


class _JobContext:
    """An app context and a database connection of the task's own (a worker thread)."""

    def __enter__(self):
        self.ctx = None
        if not has_app_context():
            self.ctx = _app.app_context()
            self.ctx.push()
        self.opened = db.is_closed()
        if self.opened:
            db.connect()
        return current_app.config

    def __exit__(self, *exc):
        if self.opened and not db.is_closed():
            db.close()
        if self.ctx is not None:
            self.ctx.pop()


# --- Mail ---------------------------------------------------------------------------------

@huey.task(name="deliver_mail")
def deliver_mail(mail_id, attempt, early=0):
    """One try at one mail; a failure asks for the next try after the back-off. A mail not
    there yet (queued inside a transaction not yet committed) is looked for again a few
    times, 1 to 16 seconds later; after that the sweep finds it."""
    from services import mail
    with _JobContext() as config:
        outcome = mail.deliver(config, mail_id, attempt)
        if (outcome == mail.STALE and early < 5
                and not mail.OutboxMail.select().where(mail.OutboxMail.id == mail_id).exists()):
            deliver_mail.schedule((mail_id, attempt, early + 1), delay=2 ** early)
        if outcome == mail.FAILED:
            row = mail.OutboxMail.get_by_id(mail_id)
            if row.next_attempt_at is not None:
                delay = mail.retry_delay(config, row.attempts)
                deliver_mail.schedule((mail_id, row.attempts), delay=delay)
        return outcome


def queue_mail(mail_id, attempt):
    """Ask the worker for a try; if the queue cannot be reached the page still works: the
    mail's row says it is due, and the sweep queues it when the queue is back."""
    try:
        deliver_mail(mail_id, attempt)
    except Exception:  # noqa: BLE001 - Redis or the queue's database away
        log.exception("could not queue mail %s; the sweep will", mail_id)


# --- Scheduled jobs -----------------------------------------------------------------------

class Job:
    """A scheduled job: its name (the health page names it, blueprints/admin/health.py), how
    often it runs, its crontab (UTC), and what it does."""

    def __init__(self, name, every, minutes, run):
        self.name, self.every = name, every
        self.schedule = crontab(**minutes)
        self.run = run

    def slot(self, now):
        """The time slot of a run started now: its minute, rounded down to the job's period
        (two workers woken a little apart still name the same slot)."""
        period = {"5min": 5, "hour": 60}.get(self.every, 24 * 60)
        minute = (now.hour * 60 + now.minute) // period * period
        return f"{now:%Y-%m-%d}T{minute // 60:02d}:{minute % 60:02d}"

    def next_run(self, now):
        """The first minute after now that the schedule wakes (UTC)."""
        moment = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
        for _ in range(8 * 24 * 60):
            if self.schedule(moment):
                return moment
            moment += datetime.timedelta(minutes=1)
        return None


def _sweep(config):
    from services import mail
    lost = mail.lost(config)
    for mail_id, attempt in lost:
        queue_mail(mail_id, attempt)
    interrupted = recover_interrupted()
    return (f"{len(lost)} lost mail tries queued again, "
            f"{len(interrupted)} interrupted jobs run again")


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def recover_interrupted():
    """Runs left "running" by a worker of this host that no longer exists (killed, or the
    machine restarted): marked interrupted, and their job queued to run again."""
    host = socket.gethostname()
    found = []
    for run in JobRun.select().where(JobRun.state == JobRun.RUNNING,
                                     JobRun.worker.startswith(host + ":")):
        pid = run.worker.rsplit(":", 1)[1]
        if not pid.isdigit() or not _process_gone(int(pid)) or run.worker == worker_id():
            continue
        claimed = (JobRun.update(state=JobRun.INTERRUPTED, finished_at=utcnow(),
                                 error="The worker stopped during this run; it runs again.")
                   .where(JobRun.id == run.id, JobRun.state == JobRun.RUNNING).execute())
        if claimed and run.job in BY_NAME:
            run_again(run.job, f"again {run.slot}"[:40])
            found.append(run.job)
    return found


def _digest(mode):
    def run(config):
        from services.notify import send_digests
        return f"{send_digests(config, mode)} summaries sent"
    return run


def _chat_retention(config):
    from services.chat import purge
    days = config.get("CHAT_RETENTION_DAYS", 90)
    messages, polls = purge(days=days)
    old = utcnow() - datetime.timedelta(days=config.get("JOB_HISTORY_DAYS", 30))
    runs = JobRun.delete().where(JobRun.started_at < old).execute()
    return (f"{messages} chat messages and {polls} polls older than {days} days deleted; "
            f"{runs} old job records")


def _group_watch(config):
    from services.group_watch import flag_idle
    return f"{len(flag_idle())} idle groups flagged"


def _search_reindex(config):
    from services import group_search, search
    search.reindex_all()
    group_search.reindex_groups()
    return "search index rebuilt"


def _backup(config):
    from services import backup
    path = backup.run_scheduled(config)
    if path is None:
        return None  # skipped: BACKUP_DIR is not set
    return os.path.basename(path)


# Times are UTC.
JOBS = [
    Job("mail_sweep", "5min", {"minute": "*/5"}, _sweep),
    Job("digest_daily", "day", {"minute": "0", "hour": "6"}, _digest("daily")),
    Job("digest_weekly", "week", {"minute": "0", "hour": "6", "day_of_week": "1"},
        _digest("weekly")),
    Job("chat_retention", "day", {"minute": "15", "hour": "3"}, _chat_retention),
    Job("group_watch", "day", {"minute": "30", "hour": "3"}, _group_watch),
    Job("search_reindex", "week", {"minute": "0", "hour": "4", "day_of_week": "0"},
        _search_reindex),
    Job("backup", "day", {"minute": "0", "hour": "2"}, _backup),
]
BY_NAME = {job.name: job for job in JOBS}


def run_job(name, slot=None, now=None):
    """Run a scheduled job once for its slot, unless another worker already has: return the
    JobRun row (None when another runner took the slot)."""
    job = BY_NAME[name]
    now = now or utcnow()
    with _JobContext() as config:
        try:
            with db.atomic():
                run = JobRun.create(job=name, slot=slot or job.slot(now), started_at=now,
                                    worker=worker_id())
        except IntegrityError:
            return None
        try:
            detail = job.run(config)
        except Exception as exc:  # a job's failure is written down, and the worker goes on
            log.exception("job %s failed", name)
            run.state, run.error = JobRun.FAILED, (
                f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=5))[:4000]
        else:
            run.state = JobRun.SKIPPED if detail is None else JobRun.OK
            run.detail = detail or "not configured"
        run.finished_at = utcnow()
        run.save()
        return run


@huey.task(name="run_now")
def run_now(name, requested_at):
    """A run asked for by staff from the health page (its own slot: not the schedule's)."""
    return run_job(name, slot=f"manual {requested_at}")


@huey.task(name="run_again")
def run_again(name, slot):
    """A run interrupted with its worker, made again (its own slot)."""
    return run_job(name, slot=slot)


def _periodic(job):
    @huey.periodic_task(job.schedule, name=f"scheduled_{job.name}")
    def scheduled():
        run_job(job.name)
    return scheduled


SCHEDULED = [_periodic(job) for job in JOBS]


def pending_tasks():
    """Tasks waiting in the queue (None when the queue cannot be read)."""
    try:
        return huey.pending_count()
    except Exception:  # noqa: BLE001 - the health page reports it, never fails on it
        return None


def start_worker(app, threads):
    """Run the Huey consumer for this app until stopped: SIGTERM (systemd) lets running jobs
    finish, SIGINT (Ctrl+C) stops at once (a mail being sent is then found by the sweep)."""
    global _app
    _app = app
    configure(app)
    # A mail or a job whose worker was killed is found at once, not at the next sweep.
    run_job("mail_sweep", slot=f"start {utcnow().isoformat(timespec='seconds')}")
    consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=True,
                                    check_worker_health=True, initial_delay=0.5,
                                    max_delay=2.0, graceful_signal="TERM")
    consumer.run()
