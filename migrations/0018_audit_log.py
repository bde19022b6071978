"""The staff audit log (issue 13, 7b): validations, approvals, deletions, password resets and
role changes, one row each, for central staff to read and filter."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class AuditEntry(Model):
        created_at = DateTimeField(index=True)
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        actor_name = CharField(max_length=120, default='')
        action = CharField(max_length=40, index=True)
        target_type = CharField(max_length=40, default='')
        target_id = IntegerField(null=True)
        target_label = CharField(max_length=200, default='')
        country = CharField(max_length=2, null=True, index=True)
        detail = CharField(max_length=500, default='')

        class Meta:
            database = db
            table_name = 'audit_entry'

    db.create_tables([AuditEntry])


def down(migrator, db):
    db.execute_sql('DROP TABLE audit_entry')
