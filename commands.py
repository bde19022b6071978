"""Command-line tools: `flask db upgrade`, `flask seed-demo`, `flask create-user`."""
import os

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from playhouse.migrations import Runner

import commands_check
from models import Role, School, User, db
from services import accounts, demo, group_search, search
from services.reference import COUNTRY_CODES

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")

db_cli = AppGroup("db", help="Database schema: apply and inspect migrations.")


def migrate(database=None):
    """Apply every pending migration; return the names applied."""
    return Runner(database or db.obj, MIGRATIONS_DIR).up()


@db_cli.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply pending migrations."""
    applied = migrate()
    if applied:
        # A new schema may index more than the old one did: rebuild the search index.
        search.reindex_all()
        group_search.reindex_groups()
    click.echo("Applied: " + ", ".join(applied) if applied else "The database is up to date.")


@db_cli.command("status")
def db_status():
    """List migrations and when each was applied."""
    for migration in Runner(db.obj, MIGRATIONS_DIR).status():
        click.echo(f"{migration.name}: {migration.applied or 'pending'}")


@click.command("search-reindex")
@with_appcontext
def search_reindex():
    """Rebuild the full-text search index from the tables."""
    search.reindex_all()
    group_search.reindex_groups()
    click.echo("The search index is rebuilt.")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no accounts.")
def seed_demo(if_empty):
    """Fill the database with demo teachers, schools and staff."""
    if if_empty and User.select().exists():
        click.echo("The database already has accounts; demo data not added.")
        return
    summary = demo.seed(current_app.config["UPLOAD_DIR"])
    click.echo(f"Demo data: {summary['teachers']} teachers in {summary['schools']} schools "
               f"of {summary['countries']} countries.")
    click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):")
    for role, login in demo.DEMO_LOGINS:
        click.echo(f"  {role:<32} {login}")


@click.command("create-user")
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@click.option("--email", help="E-mail address (teachers, staff).")
@click.option("--username", help="Username (students and visitors).")
@click.option("--password", required=True)
@click.option("--country", help="ISO country code, e.g. ES.")
@click.option("--name", help="Full name.")
@click.option("--school", "school_name", help="School name (created in the country if new).")
def create_user(role, email, username, password, country, name, school_name):
    """Create a ready-to-use account (e-mail confirmed, validated)."""
    if not email and not username:
        raise click.UsageError("Give --email or --username.")
    if role in (Role.TEACHER, Role.NSS, Role.CSS) and not email:
        raise click.UsageError(f"A {role} account needs --email.")
    country = country.upper() if country else None
    if country and country not in COUNTRY_CODES:
        raise click.UsageError(f"Unknown country {country}; use an ISO code such as ES.")
    if role in (Role.TEACHER, Role.NSS) and not country:
        raise click.UsageError(f"A {role} account needs --country.")
    problem = accounts.password_problem(password, email)
    if problem:
        raise click.UsageError("The password must have 10 to 128 characters and must not be "
                               "the e-mail address.")
    school = None
    if school_name:
        if not country:
            raise click.UsageError("--school needs --country.")
        school, created = School.get_or_create(country=country, name=school_name)
        if created:
            search.index_school(school)
    try:
        user = accounts.create_user(role=role, name=name or email or username, email=email,
                                    username=username, password=password, country=country,
                                    school=school, confirmed=True, validated=True)
    except accounts.AccountExists:
        raise click.ClickException("An account with that e-mail address or username exists.")
    click.echo(f"Created {role} account #{user.id}: {user.email or user.username}")


@click.command("notifications-digest")
@click.option("--mode", type=click.Choice(["daily", "weekly"]), required=True,
              help="Send the daily or the weekly summaries.")
@with_appcontext
def notifications_digest(mode):
    """Mail each person the summary of what they chose to receive daily or weekly."""
    from services.notify import send_digests
    sent = send_digests(current_app.config, mode)
    click.echo(f"Summaries sent: {sent}.")


@click.command("maintenance")
@click.option("--days", type=click.IntRange(min=1), default=90, show_default=True,
              help="Keep chat records this many days.")
@with_appcontext
def maintenance(days):
    """Delete chat messages and polls older than three months (T-11) and flag idle groups
    for central staff (G-7), now. The worker (`flask worker`) does both every night by
    itself; this is for running them by hand. Safe to run any time, and again."""
    from services.chat import purge
    messages, polls = purge(days=days)
    click.echo(f"Deleted {messages} chat messages and {polls} polls older than {days} days.")
    from services.group_watch import flag_idle
    flagged = len(flag_idle())
    click.echo(f"Flagged {flagged} idle group(s) for central staff.")


@click.command("worker")
@click.option("--threads", type=click.IntRange(min=1, max=32), default=None,
              help="Jobs run at once (default WORKER_THREADS, 2).")
@with_appcontext
def worker(threads):
    """Run the job worker: it delivers the mail queue and runs the scheduled jobs (summaries,
    chat retention, group monitoring, search reindex, the daily backup). Run one per host,
    with the same environment as the web server; stop it with Ctrl+C or SIGTERM."""
    from services import jobs
    app = current_app._get_current_object()
    if app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run inside the web process, "
                                   "and there is nothing for a worker to do.")
    threads = threads or app.config["WORKER_THREADS"]
    click.echo(f"OpenTwin worker: {threads} threads, queue in {jobs.store_name(app.config)}.")
    jobs.start_worker(app, threads)


def register(app):
    app.cli.add_command(worker)
    app.cli.add_command(maintenance)
    app.cli.add_command(notifications_digest)
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(search_reindex)
    app.cli.add_command(create_user)
    commands_check.register(app)
    __import__("commands_ops").register(app)  # backup, restore, db copy (it imports us)
