"""TwinSpaces (issue 5): memberships, the teachers' bulletin, a space's theme and logo.
Existing projects' teachers become members of their TwinSpace.
"""
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

    class BulletinPost(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'bulletin_post'
    db.create_tables([BulletinPost])

    class Membership(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=16, default='teacher')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'membership'
            indexes = ((('space', 'user'), True), (('user', 'role'), False))
    db.create_tables([Membership])

    migrator.migrate(migrator.add_column('space', 'theme', CharField(max_length=16, default='blue')))
    migrator.migrate(migrator.add_column('space', 'logo_id', IntegerField(null=True)))
    # The teachers of existing projects are members of their TwinSpace; founders run it.
    db.execute_sql(
        "INSERT INTO membership (space_id, user_id, role, created_at) "
        "SELECT s.id, pp.user_id, "
        "CASE WHEN p.founder_id = pp.user_id THEN 'admin' ELSE 'teacher' END, pp.created_at "
        "FROM project_partner pp JOIN project p ON p.id = pp.project_id "
        "JOIN space s ON s.project_id = p.id WHERE pp.state = 'accepted'")


def down(migrator, db):
    migrator.migrate(migrator.drop_column('space', 'logo_id'))
    migrator.migrate(migrator.drop_column('space', 'theme'))
    migrator.migrate(migrator.drop_table('membership'))
    migrator.migrate(migrator.drop_table('bulletin_post'))
