"""Full-text search of groups (L-8, P-5 directory, G-1 similar groups).

Not peewee models: services/group_search.py owns these tables and keeps them current; only
active groups have a row.
- SQLite: an FTS5 table `group_fts` (rowid = the group's id; title = title and topics, body =
  description, tags = language tags) and a plain `group_search` table (featured mark,
  language bit mask, newest first) for browsing and ordering.
- PostgreSQL: one `group_search` table with a tsvector document under a GIN index.
Fill them with services.group_search.reindex_groups() after upgrading a database with groups.
"""
from peewee import PostgresqlDatabase

SQLITE_FTS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"

SQLITE_UP = [
    f"CREATE VIRTUAL TABLE group_fts USING fts5(title, body, tags, {SQLITE_FTS})",
    "CREATE TABLE group_search (group_id INTEGER PRIMARY KEY, featured INTEGER NOT NULL, "
    "languages INTEGER NOT NULL, since TEXT NOT NULL)",
    "CREATE INDEX group_search_order ON group_search (featured, since, group_id, languages)",
]

PG_UP = [
    "CREATE TABLE group_search (group_id INTEGER PRIMARY KEY, featured BOOLEAN NOT NULL, "
    "languages BIGINT NOT NULL, since TIMESTAMP NOT NULL, doc TSVECTOR NOT NULL)",
    "CREATE INDEX group_search_doc ON group_search USING gin (doc)",
    "CREATE INDEX group_search_order ON group_search (featured, since, group_id, languages)",
]

TABLES_SQLITE = ["group_fts", "group_search"]
TABLES_PG = ["group_search"]


def up(migrator, db):
    statements = PG_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP
    with db.atomic():
        for sql in statements:
            db.execute_sql(sql)


def down(migrator, db):
    tables = TABLES_PG if isinstance(db, PostgresqlDatabase) else TABLES_SQLITE
    with db.atomic():
        for table in tables:
            db.execute_sql(f"DROP TABLE IF EXISTS {table}")
