"""A closed space is read-only (issue 10.1): Space.closed_at, set for the spaces of projects
already closed; their open invitations are withdrawn (10.6). Who added a teacher from a
country outside the platform (10.4): User.added_by."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    migrator.migrate(migrator.add_column('space', 'closed_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('user', 'added_by_id', ForeignKeyField(
        User, field=User.id, null=True, on_delete='SET NULL')))
    close_spaces_of_closed_projects(db)


def close_spaces_of_closed_projects(db):
    """Projects closed before this migration: their spaces become read-only from the day the
    project closed (or ended, when the day of closing was not kept), and invitations that
    nobody answered are withdrawn."""
    db.execute_sql(
        "UPDATE space SET closed_at = (SELECT COALESCE(project.closed_at, project.ends_on, "
        "CURRENT_TIMESTAMP) FROM project WHERE project.id = space.project_id) "
        "WHERE space.closed_at IS NULL "
        "AND space.project_id IN (SELECT id FROM project WHERE state = 'closed')")
    db.execute_sql(
        "UPDATE project_partner SET state = 'withdrawn' WHERE state = 'invited' "
        "AND project_id IN (SELECT id FROM project WHERE state = 'closed')")


def down(migrator, db):
    db.execute_sql(
        "UPDATE project_partner SET state = 'invited' WHERE state = 'withdrawn'")
    migrator.migrate(migrator.drop_column('user', 'added_by_id'))
    migrator.migrate(migrator.drop_column('space', 'closed_at'))
