"""Copy every row of the application from one database to another (`flask db copy --to URL`):
to grow from SQLite to PostgreSQL (and back, or SQLite to SQLite: the same code).

The target is migrated to the latest schema, must have no application rows, gets every table
of models.ALL_MODELS in foreign-key order (batches inside one transaction per table), its id
sequences set past the copied ids (PostgreSQL), and its own search index built (the index
tables differ per engine and are not copied). Then the rows are counted table by table.
Run it with the app stopped, so that nothing is written meanwhile.
"""
import sqlite3

from peewee import PostgresqlDatabase, SqliteDatabase, sort_models

import commands
from models import ALL_MODELS, db
from services.backup import BackupError, quote

BATCH = 1000
# Parameters in one statement: SQLite from 3.32 takes 32,766, PostgreSQL 65,535.
MAX_PARAMS = 32000 if sqlite3.sqlite_version_info >= (3, 32) else 999


class CopyError(BackupError):
    """The copy cannot be done or did not give the same rows."""


def models_in_order():
    return sort_models(ALL_MODELS)


def _self_references(model):
    return [f for f in model._meta.refs if f.rel_model is model]


def application_rows(database):
    rows = {}
    for model in ALL_MODELS:
        with model.bind_ctx(database):
            if model.table_exists():
                n = model.select().count()
                if n:
                    rows[model._meta.table_name] = n
    return rows


def counts(database):
    result = {}
    for model in models_in_order():
        with model.bind_ctx(database):
            result[model._meta.table_name] = model.select().count()
    return result


def _copy_table(model, source, target):
    """Copy one table in id order; self-references (a page's parent) are set after all rows
    are in, so a row may point at one with a higher id. Returns the rows copied."""
    fields = list(model._meta.sorted_fields)
    later = _self_references(model)
    later_names = {f.name for f in later}
    size = max(1, min(BATCH, MAX_PARAMS // len(fields)))
    pk = model._meta.primary_key
    copied, last = 0, None
    pending = []  # (id, {field: value}) of the self-references
    with target.atomic():
        while True:
            with model.bind_ctx(source):
                query = model.select(*fields).order_by(pk).limit(size)
                if last is not None:
                    query = query.where(pk > last)
                rows = list(query.tuples())
            if not rows:
                break
            out = []
            for row in rows:
                values = dict(zip((f.name for f in fields), row))
                refs = {name: values[name] for name in later_names if values[name] is not None}
                if refs:
                    pending.append((values[pk.name], refs))
                    for name in refs:
                        values[name] = None
                out.append(tuple(values[f.name] for f in fields))
            with model.bind_ctx(target):
                model.insert_many(out, fields=fields).execute()
            copied += len(rows)
            last = rows[-1][fields.index(pk)]
        with model.bind_ctx(target):
            for row_id, refs in pending:
                model.update({model._meta.fields[n]: v for n, v in refs.items()}) \
                    .where(pk == row_id).execute()
    return copied


def _reset_sequences(target):
    if not isinstance(target, PostgresqlDatabase):
        return
    for model in ALL_MODELS:
        table, pk = model._meta.table_name, model._meta.primary_key
        if pk is None or pk.field_type != "AUTO":
            continue
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({quote(pk.column_name)}),"
            f" 1), MAX({quote(pk.column_name)}) IS NOT NULL) FROM {quote(table)}",
            (quote(table), pk.column_name))


def _reindex(target):
    from services import group_search, search
    previous = db.obj
    db.initialize(target)
    try:
        search.reindex_all()
        group_search.reindex_groups()
    finally:
        db.initialize(previous)


def copy(source, target, echo=print):
    """Copy everything from the `source` database to `target` (peewee databases). Returns
    {table: (source rows, target rows)}; raises CopyError on refusal or any difference."""
    if not isinstance(target, (SqliteDatabase, PostgresqlDatabase)):
        raise CopyError("The target must be SQLite or PostgreSQL.")
    applied = commands.migrate(target)
    if applied:
        echo(f"Target migrated: {len(applied)} migration(s), up to {applied[-1]}.")
    existing = application_rows(target)
    if existing:
        named = ", ".join(f"{t} ({n})" for t, n in sorted(existing.items())[:5])
        raise CopyError(f"The target database is not empty: {named}. Copy only into an "
                        "empty database.")
    # One read transaction on the source: the copy is of one state (still: stop the app).
    with source.atomic():
        if isinstance(source, PostgresqlDatabase):
            source.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        source_counts = counts(source)
        for model in models_in_order():
            n = _copy_table(model, source, target)
            if n:
                echo(f"  {model._meta.table_name}: {n} rows")
    _reset_sequences(target)
    _reindex(target)
    target_counts = counts(target)
    result = {t: (source_counts[t], target_counts[t]) for t in source_counts}
    return result
