"""What the scale seed's modules share: a timed step, and bulk inserts in batches."""
import time


def _timed(label, func, *args):
    start = time.perf_counter()
    result = func(*args)
    print(f"{label:<34} {time.perf_counter() - start:7.1f} s", flush=True)
    return result


def _insert(db, model, fields, rows, size=5000):
    """Bulk insert rows (tuples of Python values for `fields`) straight through the driver:
    executemany on SQLite, execute_values on PostgreSQL (peewee's insert_many spends most
    of its time building SQL text, minutes at this scale)."""
    table = model._meta.table_name
    given = {field.name for field in fields}
    defaults = [field for field in model._meta.sorted_fields
                if field.name not in given and not field.primary_key
                and field.default is not None]
    if defaults:  # what peewee would fill in: the model's defaults
        fields = list(fields) + defaults
        rows = [tuple(row) + tuple(f.default() if callable(f.default) else f.default
                                   for f in defaults) for row in rows]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    convert = [field.db_value for field in fields]
    values = [tuple(c(v) for c, v in zip(convert, row)) for row in rows]
    with db.atomic():
        cursor = db.cursor()
        if db.param == "?":
            marks = ", ".join("?" for _ in fields)
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)
        else:
            from psycopg2.extras import execute_values
            execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', values,
                           page_size=size)
