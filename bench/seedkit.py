"""What the scale seed's modules share: a timed step, and bulk inserts in batches."""
import time


def _timed(label, func, *args):
    start = time.perf_counter()
    result = func(*args)
    print(f"{label:<34} {time.perf_counter() - start:7.1f} s", flush=True)
    return result


def _chunks(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(db, model, fields, rows, size=None):
    """Bulk insert rows (tuples) in batches that fit the database's parameter limit."""
    size = size or max(1, 30000 // len(fields))
    with db.atomic():
        for chunk in _chunks(rows, size):
            model.insert_many(chunk, fields=fields).execute()
