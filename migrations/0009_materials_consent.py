"""Materials (T-4..T-6), consent (T-16), profiles and guestbook (T-13), mail attachments (T-14)."""
# Generated from a schema diff on 2026-12-03 13:54.
from peewee import *


def up(migrator, db):
    class MailMessage(Model):
        class Meta:
            database = db
            table_name = 'mail_message'

    class Space(Model):
        class Meta:
            database = db
            table_name = 'space'

    class StoredFile(Model):
        class Meta:
            database = db
            table_name = 'stored_file'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Consent(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        photo = BooleanField(default=False)
        video = BooleanField(default=False)
        voice = BooleanField(default=False)
        real_name = BooleanField(default=False)
        scope = CharField(max_length=16, default='private')
        until = DateField(null=True)
        note = CharField(max_length=300, default='')
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'consent'
            indexes = ((('space', 'student'), True),)
    db.create_tables([Consent])

    class Folder(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        kind = CharField(max_length=16)
        title = CharField(max_length=200)
        description = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'folder'
            indexes = ((('space', 'kind'), False),)
    db.create_tables([Folder])

    class GuestbookEntry(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        profile = ForeignKeyField(User, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'guestbook_entry'
            indexes = ((('space', 'profile', 'created_at'), False),)
    db.create_tables([GuestbookEntry])

    class MailAttachment(Model):
        message = ForeignKeyField(MailMessage, on_delete='CASCADE')
        file = ForeignKeyField(StoredFile, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'mail_attachment'
    db.create_tables([MailAttachment])

    class Material(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        folder = ForeignKeyField(Folder, on_delete='CASCADE')
        kind = CharField(max_length=16)
        title = CharField(max_length=200)
        description = TextField(default='')
        alt_text = CharField(max_length=300, default='')
        file = ForeignKeyField(StoredFile, null=True, on_delete='CASCADE')
        embed_provider = CharField(max_length=16, default='')
        embed_id = CharField(max_length=64, default='')
        is_public = BooleanField(default=False)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'material'
            indexes = ((('space', 'kind'), False),)
    db.create_tables([Material])

    class MaterialPerson(Model):
        material = ForeignKeyField(Material, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'material_person'
            indexes = ((('material', 'user'), True),)
    db.create_tables([MaterialPerson])

    migrator.migrate(migrator.add_column('user', 'space_about', TextField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'space_about'))
    migrator.migrate(migrator.drop_table('material_person'))
    migrator.migrate(migrator.drop_table('material'))
    migrator.migrate(migrator.drop_table('mail_attachment'))
    migrator.migrate(migrator.drop_table('guestbook_entry'))
    migrator.migrate(migrator.drop_table('folder'))
    migrator.migrate(migrator.drop_table('consent'))
