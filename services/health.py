"""What the health page and /healthz say of an instance: its database, Redis and job queue,
its jobs' runs, the mail queue, the disk under the uploads, version and pending migrations."""
import datetime
import os
import shutil
import subprocess

from playhouse.migrations import Runner

from models import JobRun, db, utcnow

VERSION = "1.13"
# Below this free space (bytes) under UPLOAD_DIR the page warns.
LOW_DISK = 2 * 1024 ** 3
# The worker sweeps the mail queue every 5 minutes: no sweep for this long means it is stopped.
WORKER_SILENT = datetime.timedelta(minutes=16)
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_commit = []


def check_database():
    """(True, "") when a query goes through, else (False, the error's class name)."""
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
        return True, ""
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        if not db.is_closed():
            try:
                db.close()
            except Exception:  # noqa: BLE001
                pass
        return False, type(exc).__name__


def check_redis(url):
    """None when Redis is not used, else (reachable, error class name)."""
    if not url:
        return None
    try:
        import redis
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return True, ""
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


def disk(path):
    """Free and total bytes of the file system holding path (or its nearest parent)."""
    while path and not os.path.exists(path):
        path = os.path.dirname(path)
    usage = shutil.disk_usage(path or "/")
    return {"free": usage.free, "total": usage.total, "low": usage.free < LOW_DISK}


def pending_migrations(migrations_dir):
    return [m.name for m in Runner(db.obj, migrations_dir).status() if not m.applied]


def commit():
    """The checkout's commit, when it is a git checkout (read once)."""
    if not _commit:
        try:
            out = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True, timeout=5)
            _commit.append(out.stdout.strip() if out.returncode == 0 else "")
        except (OSError, subprocess.SubprocessError):
            _commit.append("")
    return _commit[0]


def job_rows(jobs, now=None):
    """For each scheduled job: its last run (or None), and when it runs next."""
    now = now or utcnow()
    rows = []
    for job in jobs:
        last = (JobRun.select().where(JobRun.job == job.name)
                .order_by(JobRun.started_at.desc(), JobRun.id.desc()).first())
        rows.append({"job": job, "last": last, "next": job.next_run(now)})
    return rows


def recent_failures(limit=10):
    return list(JobRun.select().where(JobRun.state == JobRun.FAILED)
                .order_by(JobRun.started_at.desc()).limit(limit))


def worker_seen(now=None):
    """When the worker last swept the mail queue, and whether that is recent enough."""
    now = now or utcnow()
    last = (JobRun.select().where(JobRun.job == "mail_sweep")
            .order_by(JobRun.started_at.desc()).first())
    return {"at": last.started_at if last else None,
            "alive": bool(last) and now - last.started_at < WORKER_SILENT}


def probe(config):
    """The checks a load balancer needs: no figures, no secrets. (healthy, {name: state})."""
    checks = {}
    ok, _error = check_database()
    checks["database"] = "ok" if ok else "fail"
    redis_state = check_redis(config.get("REDIS_URL"))
    if redis_state is not None:
        checks["redis"] = "ok" if redis_state[0] else "fail"
    return all(v == "ok" for v in checks.values()), checks
