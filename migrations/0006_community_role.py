"""A teacher's role in the community (L-2): on the profile and in the search index; and
whether members may find a teacher (not when the name is kept for contacts)."""
from peewee import CharField, PostgresqlDatabase


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "community_role",
                                         CharField(max_length=32, default="teacher")))
    pg = isinstance(db, PostgresqlDatabase)
    db.execute_sql("ALTER TABLE teacher_search ADD COLUMN role {} NOT NULL DEFAULT 'teacher'"
                   .format("VARCHAR(32)" if pg else "TEXT"))
    db.execute_sql("ALTER TABLE teacher_search ADD COLUMN member_listed {} NOT NULL DEFAULT {}"
                   .format("BOOLEAN" if pg else "INTEGER", "TRUE" if pg else "1"))


def down(migrator, db):
    db.execute_sql("ALTER TABLE teacher_search DROP COLUMN member_listed")
    db.execute_sql("ALTER TABLE teacher_search DROP COLUMN role")
    migrator.migrate(migrator.drop_column("user", "community_role"))
