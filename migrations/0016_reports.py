"""Netiquette reports (G-8): a member reports a forum post, a page, a material or a chat line
of a space; its moderators hide the content (kept for the record) or dismiss the report.
Hidden marks for materials and chat lines (a post already has Post.hidden; a page is
archived)."""
from peewee import *


def up(migrator, db):
    class Space(Model):
        class Meta:
            database = db
            table_name = 'space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Report(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        kind = CharField(max_length=16)
        target_id = IntegerField()
        reporter = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reason = TextField()
        state = CharField(max_length=16, default='open', index=True)
        title = CharField(max_length=200, default='')
        excerpt = TextField(default='')
        created_at = DateTimeField(index=True)
        handled_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        handled_at = DateTimeField(null=True)
        note = TextField(default='')

        class Meta:
            database = db
            table_name = 'report'
            indexes = ((('space', 'state'), False), (('kind', 'target_id'), False))

    db.create_tables([Report])
    migrator.migrate(
        migrator.add_column('material', 'hidden_at', DateTimeField(null=True)),
        migrator.add_column('chat_message', 'hidden_at', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('chat_message', 'hidden_at'),
                     migrator.drop_column('material', 'hidden_at'))
    db.execute_sql('DROP TABLE report')
