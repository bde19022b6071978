"""Pages of a space and their revisions (T-2, T-3)."""
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

    class Page(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        position = IntegerField(default=0)
        title = CharField(max_length=200)
        body = TextField(default='')
        view_rule = CharField(max_length=16, default='members')
        edit_rule = CharField(max_length=24, default='teachers')
        archived_at = DateTimeField(index=True, null=True)
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'page'
            indexes = ((('space', 'parent', 'position'), False),)
    db.create_tables([Page])

    class PageRevision(Model):
        page = ForeignKeyField(Page, on_delete='CASCADE')
        version = IntegerField()
        title = CharField(max_length=200)
        body = TextField(default='')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'page_revision'
            indexes = ((('page', 'version'), True),)
    db.create_tables([PageRevision])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('page_revision'))
    migrator.migrate(migrator.drop_table('page'))
