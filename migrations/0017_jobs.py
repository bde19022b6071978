"""Jobs and the mail queue (issue 13): a row per run of a scheduled job (one runner per job and
time slot, whatever the number of workers or hosts), and the outbox's delivery state (attempts,
when the next one is due, which worker holds it)."""
from peewee import *


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
