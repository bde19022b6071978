"""Indexes for the pages at scale (issue 15): 360,000 teachers on SQLite and PostgreSQL.

- The staff validation queue (L-15) and its count: pending teachers oldest first, for every
  country or one. Partial indexes hold only pending teachers, so the planner reads those few
  rows instead of walking every user by date (SQLite's statistics see `validation` as one
  value shared by nearly all rows and scanned the whole table).
- Admin people: every account newest first (created_at, then id), by role or country. Rows
  created together share a date: with an index on the date alone, PostgreSQL read every such
  row to order them by id (540 ms at 360,000 teachers). No (role, date) index: "teacher" is
  nearly every row, and SQLite then walked all teachers by date for the validation queue.
The statistics of "user" are refreshed at the end, so the planners weigh the new indexes
(without them SQLite guesses that any index equality is selective).
The same SQL runs on both databases (both support partial indexes).
"""

PENDING = "role = 'teacher' AND validation = 'pending'"

UP = [
    f'CREATE INDEX user_pending_teacher ON "user" (created_at, id) WHERE {PENDING}',
    f'CREATE INDEX user_pending_teacher_country ON "user" (country, created_at, id) '
    f'WHERE {PENDING}',
    'CREATE INDEX user_created_at_id ON "user" (created_at, id)',
    'CREATE INDEX user_country_created_at_id ON "user" (country, created_at, id)',
]

DOWN = [
    "DROP INDEX IF EXISTS user_country_created_at_id",
    "DROP INDEX IF EXISTS user_created_at_id",
    "DROP INDEX IF EXISTS user_pending_teacher_country",
    "DROP INDEX IF EXISTS user_pending_teacher",
]


def up(migrator, db):
    with db.atomic():
        for sql in UP:
            db.execute_sql(sql)
    db.execute_sql('ANALYZE "user"')


def down(migrator, db):
    with db.atomic():
        for sql in DOWN:
            db.execute_sql(sql)
