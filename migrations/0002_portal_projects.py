"""Projects and their spaces, diary posts, stored files, and the portal's content: publications,
testimonials, kits, modules, learning events, national news (issue 3). Profile visibility.
"""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Project(Model):
        title = CharField(max_length=200)
        description = TextField(default='')
        founder = ForeignKeyField(User, on_delete='CASCADE')
        state = CharField(index=True, max_length=16, default='active')
        is_public = BooleanField(index=True, default=False)
        label_awarded_at = DateTimeField(index=True, null=True)
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'project'
    db.create_tables([Project])

    class Space(Model):
        kind = CharField(index=True, max_length=16)
        title = CharField(max_length=200)
        description = TextField(default='')
        project = ForeignKeyField(Project, unique=True, null=True, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'space'
    db.create_tables([Space])

    class DiaryPost(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        body = TextField(default='')
        is_public = BooleanField(index=True, default=False)
        published_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'diary_post'
    db.create_tables([DiaryPost])

    class StoredFile(Model):
        sha256 = CharField(index=True, max_length=64)
        size = IntegerField()
        content_type = CharField(max_length=100)
        original_name = CharField()
        path = CharField()
        widths = CharField(max_length=64, default='')
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'stored_file'
    db.create_tables([StoredFile])

    class Kit(Model):
        title = CharField(max_length=200)
        summary = TextField(default='')
        age_range = CharField(max_length=16)
        subjects = CharField(default='')
        duration = CharField(max_length=100, default='')
        activities = TextField(default='')
        material = ForeignKeyField(StoredFile, null=True, on_delete='SET NULL')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'kit'
    db.create_tables([Kit])

    class LearningEvent(Model):
        kind = CharField(index=True, max_length=16)
        title = CharField(max_length=200)
        description = TextField(default='')
        starts_at = DateTimeField(index=True)
        duration_minutes = IntegerField()
        language = CharField(max_length=8)
        seats = IntegerField()
        expert = CharField(max_length=120, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'learning_event'
    db.create_tables([LearningEvent])

    class LearningEventRegistration(Model):
        event = ForeignKeyField(LearningEvent, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'learning_event_registration'
            indexes = ((('event', 'user'), True),)
    db.create_tables([LearningEventRegistration])

    class Module(Model):
        title = CharField(max_length=200)
        summary = TextField(default='')
        body = TextField(default='')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'module'
    db.create_tables([Module])

    class News(Model):
        country = CharField(index=True, max_length=2)
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(max_length=16, default='news')
        title = CharField(max_length=200)
        body = TextField(default='')
        event_date = DateField(null=True)
        place = CharField(max_length=200, default='')
        published_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'news'
    db.create_tables([News])

    class ProjectAgeRange(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        code = CharField(index=True, max_length=16)
        class Meta:
            database = db
            table_name = 'project_age_range'
            indexes = ((('project', 'code'), True),)
    db.create_tables([ProjectAgeRange])

    class ProjectLanguage(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        code = CharField(index=True, max_length=8)
        class Meta:
            database = db
            table_name = 'project_language'
            indexes = ((('project', 'code'), True),)
    db.create_tables([ProjectLanguage])

    class ProjectPartner(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        state = CharField(index=True, max_length=16, default='invited')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'project_partner'
            indexes = ((('project', 'user'), True),)
    db.create_tables([ProjectPartner])

    class ProjectSubject(Model):
        project = ForeignKeyField(Project, on_delete='CASCADE')
        code = CharField(index=True, max_length=32)
        class Meta:
            database = db
            table_name = 'project_subject'
            indexes = ((('project', 'code'), True),)
    db.create_tables([ProjectSubject])

    class Publication(Model):
        title = CharField(max_length=200)
        summary = TextField(default='')
        cover = ForeignKeyField(StoredFile, null=True, on_delete='SET NULL')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'publication'
    db.create_tables([Publication])

    class PublicationFile(Model):
        publication = ForeignKeyField(Publication, on_delete='CASCADE')
        language = CharField(max_length=8)
        file = ForeignKeyField(StoredFile, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'publication_file'
            indexes = ((('publication', 'language'), True),)
    db.create_tables([PublicationFile])

    class Testimonial(Model):
        name = CharField(max_length=120)
        role = CharField(index=True, max_length=16)
        country = CharField(null=True, max_length=2)
        quote = TextField()
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'testimonial'
    db.create_tables([Testimonial])

    migrator.migrate(migrator.add_column('user', 'profile_visibility', TextField(default='{}')))
    migrator.migrate(migrator.add_column('user', 'listed_publicly', BooleanField(index=True, default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('user', 'user_listed_publicly'))
    migrator.migrate(migrator.drop_column('user', 'listed_publicly'))
    migrator.migrate(migrator.drop_column('user', 'profile_visibility'))
    migrator.migrate(migrator.drop_table('testimonial'))
    migrator.migrate(migrator.drop_table('publication_file'))
    migrator.migrate(migrator.drop_table('publication'))
    migrator.migrate(migrator.drop_table('project_subject'))
    migrator.migrate(migrator.drop_table('project_partner'))
    migrator.migrate(migrator.drop_table('project_language'))
    migrator.migrate(migrator.drop_table('project_age_range'))
    migrator.migrate(migrator.drop_table('news'))
    migrator.migrate(migrator.drop_table('module'))
    migrator.migrate(migrator.drop_table('learning_event_registration'))
    migrator.migrate(migrator.drop_table('learning_event'))
    migrator.migrate(migrator.drop_table('kit'))
    migrator.migrate(migrator.drop_table('stored_file'))
    migrator.migrate(migrator.drop_table('diary_post'))
    migrator.migrate(migrator.drop_table('space'))
    migrator.migrate(migrator.drop_table('project'))
