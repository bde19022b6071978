"""Every peewee model, grouped by area, with its indexes and named query scopes.

Models are bound to `db`, a proxy that create_app() points at SQLite or PostgreSQL. The schema
itself is made by the numbered files in migrations/, never by create_tables() at start-up.
"""
import datetime
import secrets

from flask_login import UserMixin
from peewee import (BooleanField, CharField, DatabaseProxy, DateTimeField, ForeignKeyField,
                    Model, TextField, fn)

db = DatabaseProxy()


def utcnow():
    """Return the current UTC time without tzinfo (what both databases store)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def new_session_token():
    return secrets.token_urlsafe(32)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


# --- People -------------------------------------------------------------------------------

class Role:
    TEACHER = "teacher"
    STUDENT = "student"
    VISITOR = "visitor"
    NSS = "nss"  # national support staff, one country
    CSS = "css"  # central support staff, the whole platform

    ALL = (TEACHER, STUDENT, VISITOR, NSS, CSS)
    STAFF = (NSS, CSS)


class Validation:
    PENDING = "pending"
    VALIDATED = "validated"
    REFUSED = "refused"


class School(BaseModel):
    name = CharField(max_length=200)
    city = CharField(max_length=120, default="")
    country = CharField(max_length=2, index=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("country", "name"), True),)

    @classmethod
    def of_country(cls, country):
        return cls.select().where(cls.country == country).order_by(fn.LOWER(cls.name))


class User(UserMixin, BaseModel):
    role = CharField(max_length=16, index=True)
    # Teachers and staff log in with an e-mail address; students and visitors may have only
    # a username. Both are stored lower-case so uniqueness ignores case.
    email = CharField(max_length=254, unique=True, null=True)
    username = CharField(max_length=64, unique=True, null=True)
    name = CharField(max_length=120)
    password_hash = CharField(max_length=255)
    # The id a session cookie carries. Changing it ends every session of this user at once
    # (password change, disabling), because the old cookies no longer load anybody.
    session_token = CharField(max_length=64, unique=True, default=new_session_token)
    country = CharField(max_length=2, null=True, index=True)
    school = ForeignKeyField(School, null=True, backref="teachers", on_delete="SET NULL")
    language = CharField(max_length=8, default="en")
    email_confirmed_at = DateTimeField(null=True)
    validation = CharField(max_length=16, default=Validation.PENDING, index=True)
    disabled = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow, index=True)
    last_login_at = DateTimeField(null=True)

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return not self.disabled

    @property
    def is_staff(self):
        return self.role in Role.STAFF

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    def rotate_session_token(self):
        self.session_token = new_session_token()

    @property
    def subject_codes(self):
        return [s.code for s in self.subjects.order_by(UserSubject.code)]

    @property
    def age_range_codes(self):
        return [a.code for a in self.age_ranges.order_by(UserAgeRange.code)]

    def set_subjects(self, codes):
        UserSubject.delete().where(UserSubject.user == self).execute()
        UserSubject.insert_many([(self.id, code) for code in sorted(set(codes))],
                                fields=[UserSubject.user, UserSubject.code]).execute()

    def set_age_ranges(self, codes):
        UserAgeRange.delete().where(UserAgeRange.user == self).execute()
        UserAgeRange.insert_many([(self.id, code) for code in sorted(set(codes))],
                                 fields=[UserAgeRange.user, UserAgeRange.code]).execute()

    @classmethod
    def by_login(cls, identifier):
        """Find the account for what someone typed in the log-in field: e-mail or username."""
        identifier = (identifier or "").strip().lower()
        if not identifier:
            return None
        field = cls.email if "@" in identifier else cls.username
        return cls.get_or_none(field == identifier)

    @classmethod
    def teachers(cls):
        return cls.select().where(cls.role == Role.TEACHER, cls.disabled == False)  # noqa: E712


class UserSubject(BaseModel):
    user = ForeignKeyField(User, backref="subjects", on_delete="CASCADE")
    code = CharField(max_length=32, index=True)

    class Meta:
        indexes = ((("user", "code"), True),)


class UserAgeRange(BaseModel):
    user = ForeignKeyField(User, backref="age_ranges", on_delete="CASCADE")
    code = CharField(max_length=16, index=True)

    class Meta:
        indexes = ((("user", "code"), True),)


# --- Platform -----------------------------------------------------------------------------

class OutboxMail(BaseModel):
    """Every mail the platform sends, kept so admins can see it; SMTP delivery is extra."""
    to_address = CharField(max_length=254, index=True)
    subject = CharField(max_length=255)
    body = TextField()
    created_at = DateTimeField(default=utcnow, index=True)
    sent_at = DateTimeField(null=True)
    error = TextField(null=True)


ALL_MODELS = [School, User, UserSubject, UserAgeRange, OutboxMail]
