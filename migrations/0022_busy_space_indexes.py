"""Indexes for busy spaces (issue 15), on SQLite and PostgreSQL.

- A space's home lists who runs it (by role, then name), then its newest members: by
  (space, role) and (space, id), a group of 5,000 no longer sorts all of them (35 ms).
- A discussion's posts in order, a page at a time, by (discussion, id): PostgreSQL walked
  every post by id and kept those of the discussion (11 ms in a discussion of 300).
"""

UP = [
    "CREATE INDEX membership_space_id_role ON membership (space_id, role)",
    "CREATE INDEX membership_space_id_id ON membership (space_id, id)",
    "CREATE INDEX post_discussion_id_id ON post (discussion_id, id)",
]

DOWN = [
    "DROP INDEX IF EXISTS post_discussion_id_id",
    "DROP INDEX IF EXISTS membership_space_id_id",
    "DROP INDEX IF EXISTS membership_space_id_role",
]


def up(migrator, db):
    with db.atomic():
        for sql in UP:
            db.execute_sql(sql)
    db.execute_sql("ANALYZE membership")
    db.execute_sql("ANALYZE post")


def down(migrator, db):
    with db.atomic():
        for sql in DOWN:
            db.execute_sql(sql)
