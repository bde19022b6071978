"""Jobs and the mail queue (issue 13): a row per run of a scheduled job (one runner per job and
time slot, whatever the number of workers or hosts), and the outbox's delivery state (attempts,
when the next one is due, which worker holds it)."""
from peewee import *


HUEY_TABLES = (
    'CREATE TABLE IF NOT EXISTS huey_kv (queue VARCHAR(255) NOT NULL, key VARCHAR(255) NOT NULL, '
    'value BYTEA NOT NULL, PRIMARY KEY (queue, key))',
    'CREATE TABLE IF NOT EXISTS huey_schedule (id SERIAL PRIMARY KEY, queue VARCHAR(255) NOT NULL, '
    'data BYTEA NOT NULL, "timestamp" BIGINT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS huey_schedule_queue_timestamp ON huey_schedule (queue, "timestamp")',
    'CREATE TABLE IF NOT EXISTS huey_task (id SERIAL PRIMARY KEY, queue VARCHAR(255) NOT NULL, '
    'data BYTEA NOT NULL, priority REAL NOT NULL)',
    'CREATE INDEX IF NOT EXISTS huey_task_priority_id ON huey_task (priority DESC, id)',
    'CREATE TABLE IF NOT EXISTS huey_counter (queue VARCHAR(255) NOT NULL, '
    'key VARCHAR(255) NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (queue, key))',
)


def up(migrator, db):
    class JobRun(Model):
        job = CharField(max_length=40)
        slot = CharField(max_length=40)
        started_at = DateTimeField(index=True)
        finished_at = DateTimeField(null=True)
        state = CharField(max_length=16, default='running')
        detail = TextField(default='')
        error = TextField(default='')
        worker = CharField(max_length=80, default='')

        class Meta:
            database = db
            table_name = 'job_run'
            indexes = ((('job', 'slot'), True), (('job', 'started_at'), False))

    db.create_tables([JobRun])
    if isinstance(db, PostgresqlDatabase):
        # Without Redis the job queue lives here (services/jobs.py): Huey's SqlStorage tables,
        # named huey_*, made here like every other table rather than at start-up (a web
        # process must start even while the database is away).
        for sql in HUEY_TABLES:
            db.execute_sql(sql)
    migrator.migrate(
        migrator.add_column('outbox_mail', 'attempts', IntegerField(default=0)),
        migrator.add_column('outbox_mail', 'next_attempt_at', DateTimeField(null=True)),
        migrator.add_column('outbox_mail', 'claimed_at', DateTimeField(null=True)),
        migrator.add_index('outbox_mail', ('sent_at', 'next_attempt_at'), False),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index('outbox_mail', 'outbox_mail_sent_at_next_attempt_at'),
                     migrator.drop_column('outbox_mail', 'claimed_at'),
                     migrator.drop_column('outbox_mail', 'next_attempt_at'),
                     migrator.drop_column('outbox_mail', 'attempts'))
    db.execute_sql('DROP TABLE job_run')
    if isinstance(db, PostgresqlDatabase):
        for table in ('huey_kv', 'huey_schedule', 'huey_task', 'huey_counter'):
            db.execute_sql(f'DROP TABLE IF EXISTS {table}')
