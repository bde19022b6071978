"""Events (L-5) and forums: partner-finding forums now (L-7), space forums later.
"""
from peewee import *


def up(migrator, db):
    class Project(Model):
        class Meta:
            database = db
            table_name = 'project'

    class Space(Model):
        class Meta:
            database = db
            table_name = 'space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Forum(Model):
        space = ForeignKeyField(Space, null=True, on_delete='CASCADE')
        category = CharField(unique=True, null=True, max_length=32)
        title = CharField(max_length=200)
        description = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'forum'
    db.create_tables([Forum])

    class Discussion(Model):
        forum = ForeignKeyField(Forum, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        subject = CharField(null=True, max_length=32)
        age_range = CharField(null=True, max_length=16)
        languages = CharField(max_length=100, default='')
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        created_at = DateTimeField()
        last_post_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'discussion'
    db.create_tables([Discussion])

    class Event(Model):
        creator = ForeignKeyField(User, on_delete='CASCADE')
        project = ForeignKeyField(Project, null=True, on_delete='SET NULL')
        space = ForeignKeyField(Space, null=True, on_delete='CASCADE')
        kind = CharField(max_length=16, default='training')
        title = CharField(max_length=200)
        description = TextField(default='')
        online = BooleanField(default=True)
        place = CharField(max_length=200, default='')
        link = CharField(max_length=500, default='')
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField()
        timezone = CharField(max_length=64, default='UTC')
        seats = IntegerField(null=True)
        cancelled_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'event'
    db.create_tables([Event])

    class EventRegistration(Model):
        event = ForeignKeyField(Event, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'event_registration'
            indexes = ((('event', 'user'), True),)
    db.create_tables([EventRegistration])

    class Post(Model):
        discussion = ForeignKeyField(Discussion, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        hidden = BooleanField(default=False)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'post'
    db.create_tables([Post])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('post'))
    migrator.migrate(migrator.drop_table('event_registration'))
    migrator.migrate(migrator.drop_table('event'))
    migrator.migrate(migrator.drop_table('discussion'))
    migrator.migrate(migrator.drop_table('forum'))
