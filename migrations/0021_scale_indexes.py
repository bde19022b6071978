"""Indexes for the pages at scale (issue 15): 360,000 teachers on SQLite and PostgreSQL.

- The staff validation queue (L-15) and its count: pending teachers oldest first, for every
  country or one. Partial indexes hold only pending teachers, so the planner reads those few
  rows instead of walking every user by date (SQLite's statistics see `validation` as one
  value shared by nearly all rows and scanned the whole table).
The same SQL runs on both databases (both support partial indexes).
"""

PENDING = "role = 'teacher' AND validation = 'pending'"

UP = [
    f'CREATE INDEX user_pending_teacher ON "user" (created_at, id) WHERE {PENDING}',
    f'CREATE INDEX user_pending_teacher_country ON "user" (country, created_at, id) '
    f'WHERE {PENDING}',
]

DOWN = [
    "DROP INDEX IF EXISTS user_pending_teacher_country",
    "DROP INDEX IF EXISTS user_pending_teacher",
]


def up(migrator, db):
    with db.atomic():
        for sql in UP:
            db.execute_sql(sql)


def down(migrator, db):
    with db.atomic():
        for sql in DOWN:
            db.execute_sql(sql)
