"""Live (issue 4): profile fields, contacts and follows, internal mail, notifications,
Quality Label and certificate requests, the project card; closing a project.
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

    class CertificateRequest(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        teacher = ForeignKeyField(User, on_delete='CASCADE')
        country = CharField(index=True, max_length=2)
        state = CharField(index=True, max_length=16, default='pending')
        reason = TextField(default='')
        code = CharField(unique=True, max_length=32)
        reviewer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        decided_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'certificate_request'
            indexes = ((('project', 'teacher'), True),)
    db.create_tables([CertificateRequest])

    class Contact(Model):
        requester = ForeignKeyField(User, on_delete='CASCADE')
        addressee = ForeignKeyField(User, on_delete='CASCADE')
        state = CharField(index=True, max_length=16, default='pending')
        created_at = DateTimeField()
        responded_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'contact'
            indexes = ((('requester', 'addressee'), True), (('addressee', 'state'), False))
    db.create_tables([Contact])

    class Follow(Model):
        follower = ForeignKeyField(User, on_delete='CASCADE')
        followed = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'follow'
            indexes = ((('follower', 'followed'), True),)
    db.create_tables([Follow])

    class MailThread(Model):
        subject = CharField(max_length=200)
        space = ForeignKeyField(Space, null=True, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'mail_thread'
    db.create_tables([MailThread])

    class MailMessage(Model):
        thread = ForeignKeyField(MailThread, on_delete='CASCADE')
        sender = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'mail_message'
    db.create_tables([MailMessage])

    class MailRecipient(Model):
        message = ForeignKeyField(MailMessage, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        folder = CharField(max_length=16, default='inbox')
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'mail_recipient'
            indexes = ((('message', 'user'), True), (('user', 'folder', 'read_at'), False))
    db.create_tables([MailRecipient])

    class Notification(Model):
        recipient = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=32)
        subject_key = CharField(max_length=64)
        text = CharField(max_length=300)
        link = CharField(default='')
        count = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        read_at = DateTimeField(null=True)
        emailed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('recipient', 'read_at'), False), (('recipient', 'kind', 'subject_key', 'read_at'), False))
    db.create_tables([Notification])

    class NotificationPreference(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=32)
        mode = CharField(max_length=16)
        class Meta:
            database = db
            table_name = 'notification_preference'
            indexes = ((('user', 'kind'), True),)
    db.create_tables([NotificationPreference])

    class ProjectCardMessage(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'project_card_message'
    db.create_tables([ProjectCardMessage])

    class QualityLabelRequest(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        requester = ForeignKeyField(User, on_delete='CASCADE')
        country = CharField(index=True, max_length=2)
        report = TextField()
        state = CharField(index=True, max_length=16, default='pending')
        reason = TextField(default='')
        reviewer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        decided_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'quality_label_request'
            indexes = ((('project', 'requester'), True),)
    db.create_tables([QualityLabelRequest])

    class UserLanguage(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        code = CharField(index=True, max_length=8)
        class Meta:
            database = db
            table_name = 'user_language'
            indexes = ((('user', 'code'), True),)
    db.create_tables([UserLanguage])

    migrator.migrate(migrator.add_column('user', 'photo_id', IntegerField(null=True)))
    migrator.migrate(migrator.add_column('user', 'offer', TextField(default='')))
    migrator.migrate(migrator.add_column('user', 'validation_note', TextField(default='')))
    migrator.migrate(migrator.add_column('user', 'validated_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('project', 'closed_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('project', 'closed_at'))
    migrator.migrate(migrator.drop_column('user', 'validated_at'))
    migrator.migrate(migrator.drop_column('user', 'validation_note'))
    migrator.migrate(migrator.drop_column('user', 'offer'))
    migrator.migrate(migrator.drop_column('user', 'photo_id'))
    migrator.migrate(migrator.drop_table('user_language'))
    migrator.migrate(migrator.drop_table('quality_label_request'))
    migrator.migrate(migrator.drop_table('project_card_message'))
    migrator.migrate(migrator.drop_table('notification_preference'))
    migrator.migrate(migrator.drop_table('notification'))
    migrator.migrate(migrator.drop_table('mail_recipient'))
    migrator.migrate(migrator.drop_table('mail_message'))
    migrator.migrate(migrator.drop_table('mail_thread'))
    migrator.migrate(migrator.drop_table('follow'))
    migrator.migrate(migrator.drop_table('contact'))
    migrator.migrate(migrator.drop_table('certificate_request'))
