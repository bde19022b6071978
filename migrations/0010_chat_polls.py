"""Space chat and polls (T-11), rich forum posts with edits (T-10), an external meeting room per space."""
# Generated from a schema diff on 2026-12-03 14:17.
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

    class Poll(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        question = CharField(max_length=300)
        created_at = DateTimeField(index=True)
        closed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'poll'
    db.create_tables([Poll])

    class ChatMessage(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField(default='')
        poll = ForeignKeyField(Poll, null=True, on_delete='CASCADE')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'chat_message'
            indexes = ((('space', 'id'), False),)
    db.create_tables([ChatMessage])

    class PollOption(Model):
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        text = CharField(max_length=200)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'poll_option'
    db.create_tables([PollOption])

    class PollVote(Model):
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        option = ForeignKeyField(PollOption, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'poll_vote'
            indexes = ((('poll', 'user'), True),)
    db.create_tables([PollVote])

    migrator.migrate(migrator.add_column('space', 'meeting_url', CharField(max_length=500, default='')))
    migrator.migrate(migrator.add_column('post', 'is_html', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('post', 'edited_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('post', 'edited_at'))
    migrator.migrate(migrator.drop_column('post', 'is_html'))
    migrator.migrate(migrator.drop_column('space', 'meeting_url'))
    migrator.migrate(migrator.drop_table('poll_vote'))
    migrator.migrate(migrator.drop_table('poll_option'))
    migrator.migrate(migrator.drop_table('chat_message'))
    migrator.migrate(migrator.drop_table('poll'))
