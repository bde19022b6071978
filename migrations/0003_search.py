"""Full-text search of teachers, schools and projects (P-3, L-2).

Not peewee models: services/search.py owns these tables and keeps them current.
- SQLite: an FTS5 table per kind (rowid = the row's id) for keywords and filter tags, and a
  plain `*_search` table (filters as columns and bit masks, folded sort key) for browsing.
- PostgreSQL: one `*_search` table per kind with tsvector columns ('simple' configuration,
  accents folded in Python) under GIN indexes, beside the same filter columns.
Fill them with services.search.reindex_all() after upgrading a database that has rows.
"""
from peewee import PostgresqlDatabase

SQLITE_FTS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"

SQLITE_UP = [
    # Teachers: pub = what anonymous visitors may search (empty when not listed publicly),
    # mem = what members may search, tags = filter tokens (country, subjects, age ranges).
    f"CREATE VIRTUAL TABLE teacher_fts USING fts5(pub, mem, tags, {SQLITE_FTS})",
    "CREATE TABLE teacher_search (user_id INTEGER PRIMARY KEY, listed INTEGER NOT NULL, "
    "country TEXT, subjects INTEGER NOT NULL, ages INTEGER NOT NULL, sort_name TEXT NOT NULL)",
    "CREATE INDEX teacher_search_listed ON teacher_search "
    "(listed, sort_name, country, subjects, ages)",
    "CREATE INDEX teacher_search_country ON teacher_search "
    "(country, listed, sort_name, subjects, ages)",
    "CREATE INDEX teacher_search_name ON teacher_search (sort_name, country, subjects, ages)",

    f"CREATE VIRTUAL TABLE school_fts USING fts5(body, tags, {SQLITE_FTS})",
    "CREATE TABLE school_search (school_id INTEGER PRIMARY KEY, country TEXT, "
    "sort_name TEXT NOT NULL)",
    "CREATE INDEX school_search_name ON school_search (sort_name)",
    "CREATE INDEX school_search_country ON school_search (country, sort_name)",

    f"CREATE VIRTUAL TABLE project_fts USING fts5(body, tags, {SQLITE_FTS})",
    "CREATE TABLE project_search (project_id INTEGER PRIMARY KEY, is_public INTEGER NOT NULL, "
    "countries INTEGER NOT NULL, subjects INTEGER NOT NULL, ages INTEGER NOT NULL, "
    "sort_title TEXT NOT NULL)",
    "CREATE INDEX project_search_public ON project_search "
    "(is_public, sort_title, countries, subjects, ages)",
    "CREATE INDEX project_search_title ON project_search (sort_title, countries, subjects, ages)",
]

PG_UP = [
    "CREATE TABLE teacher_search (user_id INTEGER PRIMARY KEY, listed BOOLEAN NOT NULL, "
    "country VARCHAR(2), subjects BIGINT NOT NULL, ages BIGINT NOT NULL, "
    "sort_name TEXT NOT NULL, pub TSVECTOR NOT NULL, mem TSVECTOR NOT NULL)",
    "CREATE INDEX teacher_search_pub ON teacher_search USING gin (pub)",
    "CREATE INDEX teacher_search_mem ON teacher_search USING gin (mem)",
    "CREATE INDEX teacher_search_listed ON teacher_search "
    "(listed, sort_name COLLATE \"C\", user_id, country, subjects, ages)",
    "CREATE INDEX teacher_search_country ON teacher_search "
    "(country, listed, sort_name COLLATE \"C\", user_id, subjects, ages)",
    "CREATE INDEX teacher_search_name ON teacher_search "
    "(sort_name COLLATE \"C\", user_id, country, subjects, ages)",

    "CREATE TABLE school_search (school_id INTEGER PRIMARY KEY, country VARCHAR(2), "
    "sort_name TEXT NOT NULL, doc TSVECTOR NOT NULL)",
    "CREATE INDEX school_search_doc ON school_search USING gin (doc)",
    "CREATE INDEX school_search_name ON school_search (sort_name COLLATE \"C\", school_id)",
    "CREATE INDEX school_search_country ON school_search "
    "(country, sort_name COLLATE \"C\", school_id)",

    "CREATE TABLE project_search (project_id INTEGER PRIMARY KEY, is_public BOOLEAN NOT NULL, "
    "countries BIGINT NOT NULL, subjects BIGINT NOT NULL, ages BIGINT NOT NULL, "
    "sort_title TEXT NOT NULL, doc TSVECTOR NOT NULL)",
    "CREATE INDEX project_search_doc ON project_search USING gin (doc)",
    "CREATE INDEX project_search_public ON project_search "
    "(is_public, sort_title COLLATE \"C\", project_id, countries, subjects, ages)",
    "CREATE INDEX project_search_title ON project_search "
    "(sort_title COLLATE \"C\", project_id, countries, subjects, ages)",
]

TABLES_SQLITE = ["teacher_fts", "teacher_search", "school_fts", "school_search",
                 "project_fts", "project_search"]
TABLES_PG = ["teacher_search", "school_search", "project_search"]


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
