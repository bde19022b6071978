"""People, schools and the mail outbox (issue 2).

Python-side defaults (timestamps, session tokens) live in models.py; the tables need none.
"""
from peewee import *


def up(migrator, db):
    class OutboxMail(Model):
        to_address = CharField(index=True, max_length=254)
        subject = CharField()
        body = TextField()
        created_at = DateTimeField(index=True)
        sent_at = DateTimeField(null=True)
        error = TextField(null=True)
        class Meta:
            database = db
            table_name = 'outbox_mail'
    db.create_tables([OutboxMail])

    class School(Model):
        name = CharField(max_length=200)
        city = CharField(max_length=120, default='')
        country = CharField(index=True, max_length=2)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'school'
            indexes = ((('country', 'name'), True),)
    db.create_tables([School])

    class User(Model):
        role = CharField(index=True, max_length=16)
        email = CharField(unique=True, null=True, max_length=254)
        username = CharField(unique=True, null=True, max_length=64)
        name = CharField(max_length=120)
        password_hash = CharField()
        session_token = CharField(unique=True, max_length=64)
        country = CharField(index=True, null=True, max_length=2)
        school = ForeignKeyField(School, null=True, on_delete='SET NULL')
        language = CharField(max_length=8, default='en')
        email_confirmed_at = DateTimeField(null=True)
        validation = CharField(index=True, max_length=16, default='pending')
        disabled = BooleanField(default=False)
        created_at = DateTimeField(index=True)
        last_login_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class UserAgeRange(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        code = CharField(index=True, max_length=16)
        class Meta:
            database = db
            table_name = 'user_age_range'
            indexes = ((('user', 'code'), True),)
    db.create_tables([UserAgeRange])

    class UserSubject(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        code = CharField(index=True, max_length=32)
        class Meta:
            database = db
            table_name = 'user_subject'
            indexes = ((('user', 'code'), True),)
    db.create_tables([UserSubject])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_subject'))
    migrator.migrate(migrator.drop_table('user_age_range'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('school'))
    migrator.migrate(migrator.drop_table('outbox_mail'))
