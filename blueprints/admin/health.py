"""The instance's health, for central staff (issue 13): each scheduled job's last run, its
duration, result and next run, with a button to run it now; the mail queue; recent failures;
whether the database, Redis, the job queue and the worker answer; free disk under the
uploads; version and pending migrations."""
from flask import abort, current_app, url_for
from flask_babel import lazy_gettext as _l

import commands
from blueprints.admin import bp
from models import utcnow
from services import health, jobs, mail, permissions
from web import EmptyForm, go, render, require

JOB_LABELS = {
    "mail_sweep": _l("Sweep: lost mail tries, interrupted jobs"),
    "digest_daily": _l("Daily notification summaries"),
    "digest_weekly": _l("Weekly notification summaries"),
    "chat_retention": _l("Chat retention (three months)"),
    "group_watch": _l("Idle group monitoring"),
    "search_reindex": _l("Search reindexing"),
    "backup": _l("Backup"),
}
EVERY = {"5min": _l("every 5 minutes"), "day": _l("daily"), "week": _l("weekly")}


@bp.route("/health")
@require(permissions.can_see_health)
def health_page():
    config = current_app.config
    now = utcnow()
    database = health.check_database()
    return render("admin/health.html", form=EmptyForm(), now=now,
                  jobs=health.job_rows(jobs.JOBS, now), labels=JOB_LABELS, every=EVERY,
                  failures=health.recent_failures(), queue=mail.queue_figures(),
                  mail_configured=bool(config.get("MAIL_SERVER")),
                  database=database, redis=health.check_redis(config.get("REDIS_URL")),
                  engine="PostgreSQL" if config["DATABASE_URL"].startswith("postgres")
                  else "SQLite",
                  queue_store=jobs.store_name(config),
                  pending_tasks=jobs.pending_tasks(), inline=config["JOBS_IMMEDIATE"],
                  worker=health.worker_seen(now), disk=health.disk(config["UPLOAD_DIR"]),
                  version=health.VERSION, commit=health.commit(),
                  pending=health.pending_migrations(commands.MIGRATIONS_DIR)
                  if database[0] else None,
                  backups_configured=bool(config.get("BACKUP_DIR")))


@bp.route("/health/run/<name>", methods=["POST"])
@require(permissions.can_see_health)
def health_run(name):
    if name not in jobs.BY_NAME:
        abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    jobs.run_now(name, utcnow().isoformat(timespec="seconds"))
    return go(url_for("admin.health_page"),
              _l("“%(job)s” is queued: the worker runs it in a moment.",
                 job=JOB_LABELS[name]))
