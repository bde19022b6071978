"""Groups (G-1..G-8): a group is a space of kind "group" with its request and state, languages,
history, and the invitations and requests to join it."""
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

    class Group(Model):
        space = ForeignKeyField(Space, unique=True, on_delete='CASCADE')
        creator = ForeignKeyField(User, null=True, on_delete='SET NULL')
        state = CharField(max_length=16, default='pending', index=True)
        is_open = BooleanField(default=True)
        objectives = TextField(default='')
        topics = CharField(max_length=300, default='')
        welcome = TextField(default='')
        featured = BooleanField(default=False, index=True)
        created_at = DateTimeField()
        submitted_at = DateTimeField()
        approved_at = DateTimeField(null=True, index=True)
        flagged_at = DateTimeField(null=True, index=True)
        exempt = BooleanField(default=False)
        ice_breaker_id = IntegerField(null=True)

        class Meta:
            database = db
            table_name = 'groups'

    class GroupLanguage(Model):
        group = ForeignKeyField(Group, on_delete='CASCADE')
        code = CharField(max_length=8, index=True)

        class Meta:
            database = db
            table_name = 'group_language'
            indexes = ((('group', 'code'), True),)

    class GroupNote(Model):
        group = ForeignKeyField(Group, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(max_length=24)
        text = TextField(default='')
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = 'group_note'

    class GroupInvitation(Model):
        group = ForeignKeyField(Group, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=16)
        state = CharField(max_length=16, default='pending', index=True)
        invited_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        message = TextField(default='')
        created_at = DateTimeField()
        answered_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'group_invitation'
            indexes = ((('group', 'user'), True),)

    db.create_tables([Group, GroupLanguage, GroupNote, GroupInvitation])


def down(migrator, db):
    db.execute_sql('DROP TABLE group_invitation')
    db.execute_sql('DROP TABLE group_note')
    db.execute_sql('DROP TABLE group_language')
    db.execute_sql('DROP TABLE groups')
