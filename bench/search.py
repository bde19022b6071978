"""Search benchmark: median and p95 time of each query type of services/search.py.

Run against the scale data of `python -m bench.seed`:
`python -m bench.search [--database URL] [--runs 200]`. Each call is timed end to end
(count, page of ids, model rows with their joins, teacher counts), with varied random inputs
from the seed's word lists (fixed random seed). The last line is the worst p95:
`search p95: N ms`. Goal (DESIGN.md): p95 <= 50 ms at 360,000 teachers.
"""
import argparse
import random
import statistics
import time

from bench.seed import (CITIES, DEFAULT_DATABASE, FIRST_NAMES, SCHOOL_KINDS, SCHOOL_NAMES,
                        SURNAMES, TITLE_WORDS)


def _word(rng, words):
    """A whole word, or a prefix of one (3+ letters) as somebody typing would send."""
    word = rng.choice(words).split()[0]
    if rng.random() < 0.3 and len(word) > 4:
        word = word[:rng.randint(3, len(word) - 1)]
    return word


def query_types(rng):
    from services import search
    from services.reference import AGE_RANGES, COUNTRY_CODES, SUBJECTS
    subjects = list(SUBJECTS)
    ages = list(AGE_RANGES)
    subject_words = ["maths", "Mathematics", "history", "Historia", "music", "Música",
                     "biology", "geography", "physics", "art", "chemistry", "technology"]

    def person(rng):
        r = rng.random()
        if r < 0.4:
            return _word(rng, SURNAMES)
        if r < 0.7:
            return f"{rng.choice(FIRST_NAMES)} {_word(rng, SURNAMES)}"
        if r < 0.85:
            return _word(rng, FIRST_NAMES)
        return rng.choice(subject_words)

    return [
        ("teacher keyword", lambda: search.search_teachers(keyword=person(rng))),
        ("teacher keyword+country", lambda: search.search_teachers(
            keyword=person(rng), country=rng.choice(COUNTRY_CODES))),
        ("teacher filters only", lambda: search.search_teachers(
            country=rng.choice(COUNTRY_CODES), subject=rng.choice(subjects),
            age_range=rng.choice(ages), page=rng.choice([1, 1, 1, 2, 5]))),
        ("teacher browse (no filter)", lambda: search.search_teachers(
            page=rng.choice([1, 1, 2, 10]))),
        ("teacher member search", lambda: search.search_teachers(
            keyword=rng.choice([person(rng), _word(rng, CITIES), _word(rng, SCHOOL_NAMES)]),
            public_only=False)),
        ("teacher member subject", lambda: search.search_teachers(
            subject=rng.choice(subjects), public_only=False)),
        ("school keyword", lambda: search.search_schools(
            keyword=rng.choice([_word(rng, SCHOOL_NAMES), _word(rng, CITIES),
                                f"{rng.choice(SCHOOL_KINDS)} {_word(rng, SCHOOL_NAMES)}"]))),
        ("school country", lambda: search.search_schools(country=rng.choice(COUNTRY_CODES))),
        ("project keyword", lambda: search.search_projects(
            keyword=" ".join(_word(rng, TITLE_WORDS) for _ in range(rng.randint(1, 2))))),
        ("project filters", lambda: search.search_projects(
            country=rng.choice(COUNTRY_CODES), subject=rng.choice(subjects),
            age_range=rng.choice(ages))),
        ("project member keyword", lambda: search.search_projects(
            keyword=_word(rng, TITLE_WORDS), public_only=False)),
        ("junk 10,000-char keyword", lambda: search.search_teachers(
            keyword="".join(rng.choice('ab "*():^-NEAR OR AND xyz') for _ in range(10_000)))),
    ]


def _touch(item):
    from models import Project, School, User
    if isinstance(item, User):
        return item.school.name if item.school_id else None
    if isinstance(item, Project):
        return item.founder.name
    if isinstance(item, School):
        return item.teacher_count


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    import app as app_module
    from models import User, db

    application = app_module.create_app({"DATABASE_URL": args.database, "SECRET_KEY": "bench",
                                         "RATELIMIT_ENABLED": False})
    rng = random.Random(args.seed)
    worst = 0.0
    with application.app_context():
        db.connect(reuse_if_open=True)
        teachers = User.select().count()
        print(f"{teachers} users in {args.database.split('://')[0]}; "
              f"{args.runs} runs per query type")
        print(f"{'query type':<28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
              f"{'avg hits':>9}")
        for label, call in query_types(rng):
            for _ in range(3):  # warm the caches
                call()
            times, hits = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                page = call()
                items = list(page.items)
                total = page.total
                for item in items:  # what the views will read: joined rows, no query each
                    _touch(item)
                times.append((time.perf_counter() - start) * 1000)
                hits.append(total)
            p95 = percentile(times, 0.95)
            worst = max(worst, p95)
            print(f"{label:<28} {statistics.median(times):10.1f} {p95:8.1f} "
                  f"{max(times):8.1f} {statistics.mean(hits):9.0f}", flush=True)
        db.close()
    print(f"search p95: {worst:.0f} ms")


if __name__ == "__main__":
    main()
