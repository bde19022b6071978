"""Every peewee model, grouped by area, with its indexes and named query scopes.

Models are bound to `db`, a proxy that create_app() points at SQLite or PostgreSQL. The schema
itself is made by the numbered files in migrations/, never by create_tables() at start-up.
"""
import datetime
import json
import secrets

from flask_login import UserMixin
from peewee import (JOIN, BooleanField, CharField, DatabaseProxy, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, TextField, fn)

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


class Visibility:
    """Who may see a profile field."""
    PUBLIC = "public"      # anybody, also without logging in
    MEMBERS = "members"    # logged-in members of the platform
    CONTACTS = "contacts"  # my accepted contacts only
    ALL = (PUBLIC, MEMBERS, CONTACTS)


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


class FormerMemberName(str):
    """The name shown for an account whose owner deleted it: "Former member" in the
    reader's language (a str, so JSON and templates take it as any name); saved back, it
    stays the empty name the tombstone stores."""


class NameField(CharField):
    """A person's name. A deleted account keeps no name (the column holds ""): it reads as
    FormerMemberName, translated when the row is loaded, never stored in English."""

    def python_value(self, value):
        if value == "":
            from flask_babel import gettext
            return FormerMemberName(gettext("Former member"))
        return super().python_value(value)

    def db_value(self, value):
        if isinstance(value, FormerMemberName):
            return ""
        return super().db_value(value)


class User(UserMixin, BaseModel):
    role = CharField(max_length=16, index=True)
    # Teachers and staff log in with an e-mail address; students and visitors may have only
    # a username. Both are stored lower-case so uniqueness ignores case.
    email = CharField(max_length=254, unique=True, null=True)
    username = CharField(max_length=64, unique=True, null=True)
    name = NameField(max_length=120)
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
    # Who sees each profile field: {"school": "public", ...}; a field not named is for members.
    profile_visibility = TextField(default="{}")
    # True when the owner made their name public: only then does the portal list them.
    listed_publicly = BooleanField(default=False, index=True)
    # The profile (L-1): a photo (a StoredFile id; the model is defined further down), what I
    # can offer partners, and why national staff refused a validation (L-15).
    photo_id = IntegerField(null=True)
    # The profile in spaces (T-13): a short text about me, shown in all my spaces (the
    # picture is photo_id above).
    space_about = TextField(default="")
    offer = TextField(default="")
    community_role = CharField(max_length=32, default="teacher")  # services.reference
    validation_note = TextField(default="")
    validated_at = DateTimeField(null=True)
    # A teacher from a country outside the platform, added to a space by one of its teachers
    # (T-12): who added them, for central staff who validate the account (L-15).
    added_by = ForeignKeyField("self", null=True, backref="teachers_added",
                               on_delete="SET NULL")
    # Set when the owner deleted the account (services/account_deletion.py): the row stays
    # so what they wrote in shared spaces keeps its author, shown as "Former member".
    deleted_at = DateTimeField(null=True)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def photo(self):
        return StoredFile.get_or_none(StoredFile.id == self.photo_id) if self.photo_id else None

    @property
    def is_validated(self):
        return self.validation == Validation.VALIDATED

    @property
    def language_codes(self):
        return [lang.code for lang in self.languages.order_by(UserLanguage.code)]

    def set_languages(self, codes):
        UserLanguage.delete().where(UserLanguage.user == self).execute()
        UserLanguage.insert_many([(self.id, code) for code in sorted(set(codes))],
                                 fields=[UserLanguage.user, UserLanguage.code]).execute()

    def get_id(self):
        return self.session_token

    PROFILE_FIELDS = ("name", "country", "school", "subjects", "age_ranges", "languages",
                      "offer", "photo")

    @property
    def visibility(self):
        try:
            stored = json.loads(self.profile_visibility or "{}")
        except ValueError:
            stored = {}
        return {field: stored.get(field, Visibility.MEMBERS) for field in self.PROFILE_FIELDS}

    # Being found by partners means showing what you teach: a public name makes these public.
    LISTED_FIELDS = ("name", "country", "subjects", "age_ranges")

    def set_visibility(self, levels):
        levels = {f: v for f, v in levels.items()
                  if f in self.PROFILE_FIELDS and v in Visibility.ALL}
        if levels.get("name") == Visibility.PUBLIC:
            levels.update({f: Visibility.PUBLIC for f in self.LISTED_FIELDS})
        self.profile_visibility = json.dumps(levels, sort_keys=True)
        self.listed_publicly = levels.get("name") == Visibility.PUBLIC

    def public_fields(self):
        """The profile fields anybody may see, without logging in."""
        return {f for f, level in self.visibility.items() if level == Visibility.PUBLIC}

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


# The staff validation queue (L-15) reads pending teachers oldest first, for every country or
# one: partial indexes hold only those rows, so the queue and its count stay small however
# many teachers are validated (migration 0021).
_PENDING_TEACHER = (User.role == Role.TEACHER) & (User.validation == Validation.PENDING)
User.add_index(User.index(User.created_at, User.id, where=_PENDING_TEACHER,
                          name="user_pending_teacher"))
User.add_index(User.index(User.country, User.created_at, User.id, where=_PENDING_TEACHER,
                          name="user_pending_teacher_country"))
# Admin people: newest accounts first, or of a country (ties on the date ordered by id).
User.add_index(User.index(User.created_at, User.id, name="user_created_at_id"))
User.add_index(User.index(User.country, User.created_at, User.id,
                          name="user_country_created_at_id"))


class UserSubject(BaseModel):
    user = ForeignKeyField(User, backref="subjects", on_delete="CASCADE")
    code = CharField(max_length=32, index=True)

    class Meta:
        indexes = ((("user", "code"), True),)


class UserLanguage(BaseModel):
    user = ForeignKeyField(User, backref="languages", on_delete="CASCADE")
    code = CharField(max_length=8, index=True)

    class Meta:
        indexes = ((("user", "code"), True),)


class ContactState:
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Contact(BaseModel):
    """A contact request (L-3): from requester to addressee; accepted ones are contacts."""
    requester = ForeignKeyField(User, backref="contact_requests_sent", on_delete="CASCADE")
    addressee = ForeignKeyField(User, backref="contact_requests_received",
                                on_delete="CASCADE")
    state = CharField(max_length=16, default=ContactState.PENDING, index=True)
    created_at = DateTimeField(default=utcnow)
    responded_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("requester", "addressee"), True), (("addressee", "state"), False))

    @classmethod
    def between(cls, a, b):
        """The request between two people, whichever of them sent it, or None."""
        a_id, b_id = getattr(a, "id", a), getattr(b, "id", b)
        return cls.get_or_none(((cls.requester == a_id) & (cls.addressee == b_id))
                               | ((cls.requester == b_id) & (cls.addressee == a_id)))

    @classmethod
    def are_contacts(cls, a, b):
        found = cls.between(a, b)
        return found is not None and found.state == ContactState.ACCEPTED


class Follow(BaseModel):
    """Following a teacher (L-3): their public activity shows in my feed."""
    follower = ForeignKeyField(User, backref="following", on_delete="CASCADE")
    followed = ForeignKeyField(User, backref="followers", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("follower", "followed"), True),)


class UserAgeRange(BaseModel):
    user = ForeignKeyField(User, backref="age_ranges", on_delete="CASCADE")
    code = CharField(max_length=16, index=True)

    class Meta:
        indexes = ((("user", "code"), True),)


# --- Projects and their spaces -----------------------------------------------------------

class ProjectState:
    ACTIVE = "active"
    CLOSED = "closed"
    ALL = (ACTIVE, CLOSED)


class Project(BaseModel):
    title = CharField(max_length=200)
    description = TextField(default="")
    founder = ForeignKeyField(User, backref="founded_projects", on_delete="CASCADE")
    state = CharField(max_length=16, default=ProjectState.ACTIVE, index=True)
    # Shown in the portal (search, public page) only when its teachers say so.
    is_public = BooleanField(default=False, index=True)
    label_awarded_at = DateTimeField(null=True, index=True)  # the Quality Label (L-13)
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)
    closed_at = DateTimeField(null=True)

    @property
    def is_closed(self):
        return self.state == ProjectState.CLOSED

    @property
    def space(self):
        return Space.get_or_none(Space.project == self.id)

    @classmethod
    def public(cls):
        return cls.select().where(cls.is_public == True)  # noqa: E712

    @classmethod
    def labelled(cls):
        return cls.public().where(cls.label_awarded_at.is_null(False))

    def teachers(self):
        return (User
                .select(User, School)
                .join(ProjectPartner, on=(ProjectPartner.user == User.id))
                .switch(User)
                .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
                .where(ProjectPartner.project == self,
                       ProjectPartner.state == PartnerState.ACCEPTED)
                .order_by(ProjectPartner.created_at))

    @property
    def subject_codes(self):
        return [s.code for s in self.subjects.order_by(ProjectSubject.code)]

    @property
    def age_range_codes(self):
        return [a.code for a in self.age_ranges.order_by(ProjectAgeRange.code)]

    @property
    def language_codes(self):
        return [lang.code for lang in self.languages.order_by(ProjectLanguage.code)]


class ProjectSubject(BaseModel):
    project = ForeignKeyField(Project, backref="subjects", on_delete="CASCADE")
    code = CharField(max_length=32, index=True)

    class Meta:
        indexes = ((("project", "code"), True),)


class ProjectAgeRange(BaseModel):
    project = ForeignKeyField(Project, backref="age_ranges", on_delete="CASCADE")
    code = CharField(max_length=16, index=True)

    class Meta:
        indexes = ((("project", "code"), True),)


class ProjectLanguage(BaseModel):
    project = ForeignKeyField(Project, backref="languages", on_delete="CASCADE")
    code = CharField(max_length=8, index=True)

    class Meta:
        indexes = ((("project", "code"), True),)


class PartnerState:
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # an invitation still open when the project was closed


class ProjectPartner(BaseModel):
    """A teacher of a project: its founder, or a partner invited (and accepted)."""
    project = ForeignKeyField(Project, backref="partners", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="project_partnerships", on_delete="CASCADE")
    state = CharField(max_length=16, default=PartnerState.INVITED, index=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("project", "user"), True),)


class SpaceKind:
    TWINSPACE = "twinspace"
    GROUP = "group"


class Space(BaseModel):
    """A project's TwinSpace or a Group: the place its members work together."""
    kind = CharField(max_length=16, index=True)
    title = CharField(max_length=200)
    description = TextField(default="")
    project = ForeignKeyField(Project, null=True, unique=True, backref="spaces",
                              on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    theme = CharField(max_length=16, default="blue")  # services.reference.SPACE_THEMES
    # An external room (Jitsi, BigBlueButton) for meetings larger than the built-in call.
    meeting_url = CharField(max_length=500, default="")
    logo_id = IntegerField(null=True)  # a StoredFile (defined further down)
    # Set when the space closes (a TwinSpace: its project was closed): from then on it is
    # read-only for everybody (permissions.space_is_writable); reopening clears it.
    closed_at = DateTimeField(null=True)

    @property
    def logo(self):
        return StoredFile.get_or_none(StoredFile.id == self.logo_id) if self.logo_id else None


class SpaceRole:
    """What a member is in a space."""
    ADMIN = "admin"        # a teacher who runs the space (a project's founder)
    TEACHER = "teacher"
    STUDENT = "student"
    VISITOR = "visitor"
    MODERATOR = "moderator"  # runs a group (G-4): the group's word for its teachers
    MEMBER = "member"        # a teacher who joined a group (G-5)
    ALL = (ADMIN, TEACHER, STUDENT, VISITOR, MODERATOR, MEMBER)
    TEACHERS = (ADMIN, TEACHER, MODERATOR)  # those who run the space


class Membership(BaseModel):
    space = ForeignKeyField(Space, backref="memberships", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=16, default=SpaceRole.TEACHER)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # (space, role) and (space, id): a space's home lists who runs it, then the newest
        # members, without sorting thousands of members (migration 0022).
        indexes = ((("space", "user"), True), (("user", "role"), False),
                   (("space", "role"), False), (("space", "id"), False))


class PageView:
    """Who may read a page of a space (T-2)."""
    MEMBERS = "members"
    TEACHERS = "teachers"
    PUBLIC = "public"
    ALL = (MEMBERS, TEACHERS, PUBLIC)


class PageEdit:
    """Who may change a page."""
    TEACHERS = "teachers"
    TEACHERS_AND_STUDENTS = "teachers_students"
    ALL = (TEACHERS, TEACHERS_AND_STUDENTS)


class Page(BaseModel):
    """A page of a space (T-2): pages form a tree, ordered by `position` among siblings.
    The current text is that of its latest revision, copied here for fast reading."""
    space = ForeignKeyField(Space, backref="pages", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    position = IntegerField(default=0)
    title = CharField(max_length=200)
    body = TextField(default="")  # sanitised HTML
    view_rule = CharField(max_length=16, default=PageView.MEMBERS)
    edit_rule = CharField(max_length=24, default=PageEdit.TEACHERS)
    archived_at = DateTimeField(null=True, index=True)
    version = IntegerField(default=1)  # bumps with each save: edit conflicts compare it
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "parent", "position"), False),)


class PageRevision(BaseModel):
    """Every save of a page (T-3): who, when, and the text then."""
    page = ForeignKeyField(Page, backref="revisions", on_delete="CASCADE")
    version = IntegerField()
    title = CharField(max_length=200)
    body = TextField(default="")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("page", "version"), True),)


class BulletinPost(BaseModel):
    """The teachers' bulletin of a space (T-8): only its teachers see it."""
    space = ForeignKeyField(Space, backref="bulletin_posts", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    body = TextField()  # sanitised HTML (services/sanitize.text_or_html)
    created_at = DateTimeField(default=utcnow, index=True)


class DiaryPost(BaseModel):
    """A dated news post of a space's diary (T-7); public ones show in the portal."""
    space = ForeignKeyField(Space, backref="diary_posts", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    title = CharField(max_length=200)
    body = TextField(default="")  # sanitised HTML
    is_public = BooleanField(default=False, index=True)
    published_at = DateTimeField(default=utcnow, index=True)


# --- Portal content (P-2, P-4, P-5, L-6) ----------------------------------------------------

class StoredFile(BaseModel):
    """An uploaded file, checked and stored by services/storage.py."""
    sha256 = CharField(max_length=64, index=True)
    size = IntegerField()
    content_type = CharField(max_length=100)
    original_name = CharField(max_length=255)
    path = CharField(max_length=255)
    # Images: the re-encoded sizes kept beside the original, e.g. "160,480".
    widths = CharField(max_length=64, default="")
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    owner = ForeignKeyField(User, null=True, backref="files", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class Publication(BaseModel):
    title = CharField(max_length=200)
    summary = TextField(default="")
    cover = ForeignKeyField(StoredFile, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow, index=True)


class PublicationFile(BaseModel):
    """One language version (a PDF) of a publication."""
    publication = ForeignKeyField(Publication, backref="files", on_delete="CASCADE")
    language = CharField(max_length=8)
    file = ForeignKeyField(StoredFile, on_delete="CASCADE")

    class Meta:
        indexes = ((("publication", "language"), True),)


class TestimonialRole:
    TEACHER = "teacher"
    HEAD = "head"
    STAFF = "staff"
    AUTHORITY = "authority"
    ALL = (TEACHER, HEAD, STAFF, AUTHORITY)


class Testimonial(BaseModel):
    name = CharField(max_length=120)
    role = CharField(max_length=16, index=True)
    country = CharField(max_length=2, null=True)
    quote = TextField()
    created_at = DateTimeField(default=utcnow, index=True)


class Kit(BaseModel):
    """A project kit: a ready-made, step-by-step project plan (P-4)."""
    title = CharField(max_length=200)
    summary = TextField(default="")
    age_range = CharField(max_length=16)
    subjects = CharField(max_length=255, default="")  # codes, comma-separated
    duration = CharField(max_length=100, default="")
    activities = TextField(default="")  # sanitised HTML: the steps
    material = ForeignKeyField(StoredFile, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow, index=True)

    @property
    def subject_codes(self):
        return [code for code in self.subjects.split(",") if code]


class Module(BaseModel):
    """A short reusable activity to build into a project (P-4)."""
    title = CharField(max_length=200)
    summary = TextField(default="")
    body = TextField(default="")  # sanitised HTML
    created_at = DateTimeField(default=utcnow, index=True)


class LearningEventKind:
    WORKSHOP = "workshop"
    LEARNING_EVENT = "learning_event"
    ALL = (WORKSHOP, LEARNING_EVENT)


class LearningEvent(BaseModel):
    """A workshop or a learning event of professional development (P-5)."""
    kind = CharField(max_length=16, index=True)
    title = CharField(max_length=200)
    description = TextField(default="")  # sanitised HTML
    starts_at = DateTimeField(index=True)  # UTC
    duration_minutes = IntegerField()
    language = CharField(max_length=8)
    seats = IntegerField()
    expert = CharField(max_length=120, default="")
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def upcoming(cls, now=None):
        return (cls.select()
                .where(cls.starts_at >= (now or utcnow()))
                .order_by(cls.starts_at, cls.id))


class LearningEventRegistration(BaseModel):
    event = ForeignKeyField(LearningEvent, backref="registrations", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="learning_registrations", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "user"), True),)


class NewsKind:
    NEWS = "news"
    EVENT = "event"
    ALL = (NEWS, EVENT)


class News(BaseModel):
    """News or an event that national staff publish for teachers of their country (L-6)."""
    country = CharField(max_length=2, index=True)
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    kind = CharField(max_length=16, default=NewsKind.NEWS)
    title = CharField(max_length=200)
    body = TextField(default="")  # sanitised HTML
    event_date = DateField(null=True)
    place = CharField(max_length=200, default="")
    published_at = DateTimeField(default=utcnow, index=True)


# --- Space materials, consent, profiles (T-4..T-6, T-13, T-16) -----------------------------

class MaterialKind:
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"
    ALL = (IMAGE, VIDEO, DOCUMENT)


class Folder(BaseModel):
    """An album (images), a video folder or a document folder of a space."""
    space = ForeignKeyField(Space, backref="folders", on_delete="CASCADE")
    kind = CharField(max_length=16)  # MaterialKind
    title = CharField(max_length=200)
    description = TextField(default="")  # plain text
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "kind"), False),)


class Material(BaseModel):
    """An image, a video (an uploaded file or a YouTube/Vimeo link) or a document of a space.

    `is_public` is the uploader's mark ("the family agreed to public use" for images and
    videos, "show in the public view" for documents); the public view also needs every tagged
    pupil's consent (MaterialPerson, Consent): see permissions.material_is_public."""
    space = ForeignKeyField(Space, backref="materials", on_delete="CASCADE")
    folder = ForeignKeyField(Folder, backref="materials", on_delete="CASCADE")
    kind = CharField(max_length=16)  # MaterialKind
    title = CharField(max_length=200)
    description = TextField(default="")  # plain text
    alt_text = CharField(max_length=300, default="")  # images: required before it is shown
    file = ForeignKeyField(StoredFile, null=True, on_delete="CASCADE")
    embed_provider = CharField(max_length=16, default="")  # "youtube" or "vimeo"
    embed_id = CharField(max_length=64, default="")
    is_public = BooleanField(default=False)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow, index=True)
    # Hidden by a moderator after a report (G-8): kept, seen only by the space's teachers.
    hidden_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("space", "kind"), False),)


class MaterialPerson(BaseModel):
    """A pupil shown in an image or a video (T-16)."""
    material = ForeignKeyField(Material, backref="people", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        indexes = ((("material", "user"), True),)


class ConsentScope:
    PRIVATE = "private"  # inside the space only
    PUBLIC = "public"    # also in the public view
    ALL = (PRIVATE, PUBLIC)


class Consent(BaseModel):
    """What a pupil's family agreed to (T-16), kept by the teachers of one space."""
    space = ForeignKeyField(Space, backref="consents", on_delete="CASCADE")
    student = ForeignKeyField(User, on_delete="CASCADE")
    photo = BooleanField(default=False)
    video = BooleanField(default=False)
    voice = BooleanField(default=False)
    real_name = BooleanField(default=False)
    scope = CharField(max_length=16, default=ConsentScope.PRIVATE)
    until = DateField(null=True)  # none: no end date
    note = CharField(max_length=300, default="")
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "student"), True),)


class GuestbookEntry(BaseModel):
    """A message left on a member's profile inside a space (T-13)."""
    space = ForeignKeyField(Space, backref="guestbook", on_delete="CASCADE")
    profile = ForeignKeyField(User, backref="guestbook_entries", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    body = TextField()  # plain text
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "profile", "created_at"), False),)


# --- Live: messages, notifications, project life (L-4, L-11..L-14) -------------------------

class MailThread(BaseModel):
    """A conversation of the internal mail (L-14), also TwinMail (T-14) when it has a space."""
    subject = CharField(max_length=200)
    space = ForeignKeyField(Space, null=True, backref="mail_threads", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)


class MailMessage(BaseModel):
    thread = ForeignKeyField(MailThread, backref="messages", on_delete="CASCADE")
    sender = ForeignKeyField(User, null=True, backref="sent_mail", on_delete="SET NULL")
    body = TextField()  # plain text
    created_at = DateTimeField(default=utcnow, index=True)


class MailFolder:
    INBOX = "inbox"
    DELETED = "deleted"


class MailRecipient(BaseModel):
    """One person's copy of a message: its folder and whether they have read it."""
    message = ForeignKeyField(MailMessage, backref="recipients", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="mailbox", on_delete="CASCADE")
    folder = CharField(max_length=16, default=MailFolder.INBOX)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("message", "user"), True), (("user", "folder", "read_at"), False))


class MailAttachment(BaseModel):
    """A file sent with a mail message (T-14): readable by whoever may read the thread."""
    message = ForeignKeyField(MailMessage, backref="attachments", on_delete="CASCADE")
    file = ForeignKeyField(StoredFile, on_delete="CASCADE")


class Notification(BaseModel):
    """Something for a person to know (L-4). Several events on one subject are one row:
    `count` grows and `updated_at` moves, so the list says "3 new replies in ..."."""
    recipient = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    kind = CharField(max_length=32)
    subject_key = CharField(max_length=64)   # e.g. "project:12", "contact:4"
    # What happened, put into words only when shown or mailed, in the reader's language:
    # a key of services.notify.MESSAGES and its parameters as JSON (names, titles).
    message = CharField(max_length=40, default="")
    params = TextField(default="")
    # The words as first written, in the recipient's language then: shown only for rows
    # whose `message` is unknown (those made before migration 0012).
    text = CharField(max_length=300)
    link = CharField(max_length=255, default="")
    count = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)
    read_at = DateTimeField(null=True)
    emailed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("recipient", "read_at"), False),
                   (("recipient", "kind", "subject_key", "read_at"), False))


class NotificationPreference(BaseModel):
    """How a person wants one kind of notification: none, at once, daily or weekly digest."""
    user = ForeignKeyField(User, backref="notification_preferences", on_delete="CASCADE")
    kind = CharField(max_length=32)
    mode = CharField(max_length=16)

    class Meta:
        indexes = ((("user", "kind"), True),)


class RequestState:
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class QualityLabelRequest(BaseModel):
    """A teacher asks for the Quality Label of a closed project (L-13)."""
    project = ForeignKeyField(Project, backref="label_requests", on_delete="CASCADE")
    requester = ForeignKeyField(User, on_delete="CASCADE")
    country = CharField(max_length=2, index=True)  # whose national staff review it
    report = TextField()
    state = CharField(max_length=16, default=RequestState.PENDING, index=True)
    reason = TextField(default="")
    reviewer = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("project", "requester"), True),)


class CertificateRequest(BaseModel):
    """A teacher's certificate of participation in a project (L-11)."""
    project = ForeignKeyField(Project, backref="certificate_requests", on_delete="CASCADE")
    teacher = ForeignKeyField(User, backref="certificate_requests", on_delete="CASCADE")
    country = CharField(max_length=2, index=True)
    state = CharField(max_length=16, default=RequestState.PENDING, index=True)
    reason = TextField(default="")
    code = CharField(max_length=32, unique=True)  # printed on the PDF; a public URL checks it
    reviewer = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("project", "teacher"), True),)


class ProjectCardMessage(BaseModel):
    """The project card (L-12): the project's teachers and their national staff talk."""
    project = ForeignKeyField(Project, backref="card_messages", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    body = TextField()
    created_at = DateTimeField(default=utcnow, index=True)


# --- Events (L-5) and forums (L-7, T-10, G-4) --------------------------------------------

class EventKind:
    TRAINING = "training"
    PROJECT = "project"
    ALL = (TRAINING, PROJECT)


class Event(BaseModel):
    """An event any member creates (L-5): training or part of a project, online or in person.
    Times are stored in UTC; `timezone` is the zone the organiser gave them in."""
    creator = ForeignKeyField(User, backref="events_created", on_delete="CASCADE")
    project = ForeignKeyField(Project, null=True, backref="events", on_delete="SET NULL")
    space = ForeignKeyField(Space, null=True, backref="events", on_delete="CASCADE")
    kind = CharField(max_length=16, default=EventKind.TRAINING)
    title = CharField(max_length=200)
    description = TextField(default="")
    online = BooleanField(default=True)
    place = CharField(max_length=200, default="")
    link = CharField(max_length=500, default="")
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    timezone = CharField(max_length=64, default="UTC")
    seats = IntegerField(null=True)  # None: no limit
    cancelled_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


class EventRegistration(BaseModel):
    event = ForeignKeyField(Event, backref="registrations", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="event_registrations", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "user"), True),)


class Forum(BaseModel):
    """A forum: of a space (T-10, G-4), or a partner-finding forum (L-7) with a category
    such as "age:12-15" or "programme:erasmus" and no space."""
    space = ForeignKeyField(Space, null=True, backref="forums", on_delete="CASCADE")
    category = CharField(max_length=32, null=True, unique=True)
    title = CharField(max_length=200)
    description = TextField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class Discussion(BaseModel):
    """A discussion in a forum. In partner-finding forums it is a partner search, with what
    the poster looks for."""
    forum = ForeignKeyField(Forum, backref="discussions", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="discussions", on_delete="SET NULL")
    title = CharField(max_length=200)
    subject = CharField(max_length=32, null=True)
    age_range = CharField(max_length=16, null=True)
    languages = CharField(max_length=100, default="")  # codes, comma-separated
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)
    last_post_at = DateTimeField(default=utcnow, index=True)

    @property
    def language_codes(self):
        return [code for code in self.languages.split(",") if code]


class Post(BaseModel):
    discussion = ForeignKeyField(Discussion, backref="posts", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="posts", on_delete="SET NULL")
    body = TextField()  # plain text, shown escaped; sanitised HTML when is_html (T-10)
    is_html = BooleanField(default=False)
    hidden = BooleanField(default=False)  # hidden by a moderator (G-8)
    created_at = DateTimeField(default=utcnow, index=True)
    edited_at = DateTimeField(null=True)

    class Meta:
        # A discussion's posts in order: without it PostgreSQL walked every post by id and
        # kept those of the discussion (11 ms for a page of a busy one; migration 0022).
        indexes = ((("discussion", "id"), False),)


# --- Space Live: chat, polls (T-11) --------------------------------------------------------

class Poll(BaseModel):
    """A question asked in a space's chat, with 2 to 6 options; one vote each, changeable."""
    space = ForeignKeyField(Space, backref="polls", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    question = CharField(max_length=300)
    created_at = DateTimeField(default=utcnow, index=True)
    closed_at = DateTimeField(null=True)


class PollOption(BaseModel):
    poll = ForeignKeyField(Poll, backref="options", on_delete="CASCADE")
    text = CharField(max_length=200)
    position = IntegerField(default=0)


class PollVote(BaseModel):
    poll = ForeignKeyField(Poll, backref="votes", on_delete="CASCADE")
    option = ForeignKeyField(PollOption, backref="votes", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("poll", "user"), True),)


class ChatMessage(BaseModel):
    """A line of a space's chat room (T-11), or the message that carries a poll. Deleted by
    `flask maintenance` after three months."""
    space = ForeignKeyField(Space, backref="chat_messages", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    body = TextField(default="")  # plain text, shown escaped
    poll = ForeignKeyField(Poll, null=True, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow, index=True)
    hidden_at = DateTimeField(null=True)  # hidden by a moderator after a report (G-8)

    class Meta:
        indexes = ((("space", "id"), False),)


# --- Groups (G-1..G-8) ----------------------------------------------------------------------

class GroupState:
    """Where a group is in its life (services/groups.py holds the transitions)."""
    PENDING = "pending"        # requested, waiting for central staff (G-3)
    NEEDS_INFO = "needs_info"  # staff asked for more information: the creator edits, resubmits
    ACTIVE = "active"          # approved: listed, open to members
    REJECTED = "rejected"      # refused, with a reason: final
    CLOSED = "closed"          # closed by central staff (G-7): read-only, unlisted, reopenable
    ALL = (PENDING, NEEDS_INFO, ACTIVE, REJECTED, CLOSED)


class Group(BaseModel):
    """A Group: a space of kind "group" (title, description, image: the space's own title,
    description and logo) with what only a group has."""
    space = ForeignKeyField(Space, unique=True, backref="group_rows", on_delete="CASCADE")
    creator = ForeignKeyField(User, null=True, backref="groups_created", on_delete="SET NULL")
    state = CharField(max_length=16, default=GroupState.PENDING, index=True)
    is_open = BooleanField(default=True)   # anyone joins at once; else by invitation/request
    objectives = TextField(default="")     # plain text, in English (central staff moderate it)
    topics = CharField(max_length=300, default="")  # free words, comma-separated
    welcome = TextField(default="")        # plain text that greets each new member
    featured = BooleanField(default=False, index=True)  # G-6
    created_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(default=utcnow)
    approved_at = DateTimeField(null=True, index=True)
    # Monitoring (G-7): set by `flask maintenance` when the group is idle; cleared by staff.
    flagged_at = DateTimeField(null=True, index=True)
    exempt = BooleanField(default=False)   # never flagged
    ice_breaker_id = IntegerField(null=True)  # the Discussion started as the ice-breaker

    class Meta:
        table_name = "groups"  # "group" is an SQL keyword

    @property
    def topic_list(self):
        return [t.strip() for t in self.topics.split(",") if t.strip()]


class GroupLanguage(BaseModel):
    group = ForeignKeyField(Group, backref="languages", on_delete="CASCADE")
    code = CharField(max_length=8, index=True)

    class Meta:
        indexes = ((("group", "code"), True),)


class GroupNote(BaseModel):
    """One step of a group's history: its request and resubmissions, staff's questions and
    decisions, featuring, flags, closing (shown to the creator and to staff)."""
    group = ForeignKeyField(Group, backref="notes", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    action = CharField(max_length=24)   # services.groups.ACTIONS
    text = TextField(default="")        # plain text: a reason, a question, an answer
    created_at = DateTimeField(default=utcnow, index=True)


class GroupInvitationKind:
    REQUEST = "request"        # a teacher asked to join an invitation-only group
    INVITATION = "invitation"  # a moderator invited a teacher


class GroupInvitation(BaseModel):
    """A pending way into a group: a teacher's request or a moderator's invitation."""
    group = ForeignKeyField(Group, backref="invitations", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="group_invitations", on_delete="CASCADE")
    kind = CharField(max_length=16)
    state = CharField(max_length=16, default="pending", index=True)  # pending accepted declined
    invited_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    message = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    answered_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("group", "user"), True),)


class ReportKind:
    """What a netiquette report (G-8) is about."""
    POST = "post"
    PAGE = "page"
    MATERIAL = "material"
    CHAT = "chat"
    ALL = (POST, PAGE, MATERIAL, CHAT)


class ReportState:
    OPEN = "open"
    HIDDEN = "hidden"        # a moderator hid the content
    DISMISSED = "dismissed"  # a moderator found nothing wrong
    ALL = (OPEN, HIDDEN, DISMISSED)


class Report(BaseModel):
    """A member's netiquette report on something of a space (G-8): the space's moderators
    hide the content or dismiss the report; central staff see every report. The title and a
    plain-text excerpt of the content are kept as they were when it was reported."""
    space = ForeignKeyField(Space, backref="reports", on_delete="CASCADE")
    kind = CharField(max_length=16)      # ReportKind
    target_id = IntegerField()
    reporter = ForeignKeyField(User, null=True, on_delete="SET NULL")
    reason = TextField()
    state = CharField(max_length=16, default=ReportState.OPEN, index=True)
    title = CharField(max_length=200, default="")
    excerpt = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
    handled_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    handled_at = DateTimeField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("space", "state"), False), (("kind", "target_id"), False))


# --- Platform -----------------------------------------------------------------------------

class OutboxMail(BaseModel):
    """Every mail the platform sends, kept so admins can see it; SMTP delivery is extra."""
    to_address = CharField(max_length=254, index=True)
    subject = CharField(max_length=255)
    body = TextField()
    created_at = DateTimeField(default=utcnow, index=True)
    sent_at = DateTimeField(null=True)
    error = TextField(null=True)
    # The mail queue (services/mail.py): failed tries so far, when the next is due (None once
    # sent or given up), and since when a worker holds it (None when nobody does).
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True)
    claimed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("sent_at", "next_attempt_at"), False),)


class JobRun(BaseModel):
    """One run of a scheduled job (services/jobs.py). (job, slot) is unique: of several
    workers woken for the same slot, the one whose row goes in runs the job."""
    RUNNING, OK, FAILED, SKIPPED = "running", "ok", "failed", "skipped"
    INTERRUPTED = "interrupted"  # its worker stopped during the run (it was run again)

    job = CharField(max_length=40)
    slot = CharField(max_length=40)
    started_at = DateTimeField(default=utcnow, index=True)
    finished_at = DateTimeField(null=True)
    state = CharField(max_length=16, default=RUNNING)
    detail = TextField(default="")
    error = TextField(default="")
    worker = CharField(max_length=80, default="")  # host:pid of the worker that runs it

    class Meta:
        indexes = ((("job", "slot"), True), (("job", "started_at"), False))

    @property
    def seconds(self):
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class AuditEntry(BaseModel):
    """One staff action (issue 13, 7b): who did what to what, when, for central staff to read
    and filter. The actor's name and the target's label are copied when it is written, so
    the entry still reads well after the account or the target is gone."""
    created_at = DateTimeField(default=utcnow, index=True)
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    actor_name = CharField(max_length=120, default="")
    action = CharField(max_length=40, index=True)   # "teacher.validate", "role.change", ...
    target_type = CharField(max_length=40, default="")
    target_id = IntegerField(null=True)
    target_label = CharField(max_length=200, default="")
    country = CharField(max_length=2, null=True, index=True)  # the target's, else the actor's
    detail = CharField(max_length=500, default="")


ALL_MODELS = [Membership, BulletinPost, Page, PageRevision, School, User, UserSubject, UserAgeRange, UserLanguage, Contact, Follow,
              MailThread, MailMessage, MailRecipient, Notification, NotificationPreference,
              QualityLabelRequest, CertificateRequest, ProjectCardMessage, Event,
              EventRegistration, Forum, Discussion, Post, OutboxMail, JobRun,
              Project, ProjectSubject, ProjectAgeRange, ProjectLanguage, ProjectPartner, Space,
              DiaryPost, StoredFile, Publication, PublicationFile, Testimonial, Kit, Module,
              LearningEvent, LearningEventRegistration, News, Folder, Material,
              MaterialPerson, Consent, GuestbookEntry, MailAttachment, Poll, PollOption,
              PollVote, ChatMessage, Group, GroupLanguage, GroupNote, GroupInvitation,
              Report, AuditEntry]
