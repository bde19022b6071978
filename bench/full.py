"""`make bench`: the whole benchmark at full scale, in one table, into bench/RESULTS.md.

1. The scale data (bench/seed.py, 360,000 teachers) into SQLite and, where PostgreSQL runs,
   into PostgreSQL (database `opentwin_bench`, made if missing); each is kept while its
   inputs are unchanged (the seed's stamp), so only the first run pays for it.
2. Every main page on both (bench/server.py): median and p95 server ms, SQL statements per
   request, first visit and htmx fragment bytes (gzip, as a browser gets them).
3. Throughput of the Live desktop and a space page under wrk, gunicorn at two workers, next
   to a bare Flask "hello" in the same run, and the workers' memory (bench/load.py).
4. The chat fan-out at 1,000 clients over two processes and Redis (bench/chat.py).
5. The page weight of the demo data and the 2G check (bench/pageweight.py, bench/slowline.py).
The last line: `worst p95: N ms; max first visit: N KB; ratio to bare Flask: N`.
Run: `python -m bench.full [--runs 50] [--no-postgres] [--quick]` (`make bench`).
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

from bench import seed, server

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = "opentwin_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
RESULTS = os.path.join(HERE, "bench", "RESULTS.md")


def postgres_url():
    """The bench's PostgreSQL database (made if missing), or None if no server answers."""
    try:
        import psycopg2
        connection = psycopg2.connect(PG_SERVER + "/postgres", connect_timeout=3)
    except Exception:
        return None
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_NAME,))
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{PG_NAME}"')
    connection.close()
    return f"{PG_SERVER}/{PG_NAME}"


def redis_runs():
    try:
        import redis
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False


def step(title):
    print(f"\n== {title} ==", flush=True)
    return time.perf_counter()


def run_module(module, *args, env=None):
    """Run `python -m module args`, echoing its output; (exit code, output)."""
    process = subprocess.Popen([sys.executable, "-m", module, *args], cwd=HERE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


def last_number(pattern, text):
    found = re.findall(pattern, text)
    return float(found[-1]) if found else None


def page_table(databases, results):
    """Markdown: a row a page, median / p95 / SQL on each database, then the bytes."""
    head = "| page |" + "".join(f" {name} median | p95 | SQL |" for name in databases)
    head += " first visit KB | fragment KB |"
    lines = [head, "|---|" + "---:|" * (3 * len(databases) + 2)]
    first = results[databases[0]]
    for n, row in enumerate(first):
        cells = []
        for name in databases:
            _, median, p95, queries, _, _ = results[name][n]
            flag = " ⚠" if median > server.BUDGET_MEDIAN or p95 > server.BUDGET_P95 else ""
            cells.append(f" {median:.1f}{flag} | {p95:.1f} | {queries} |")
        fragment = f"{row[5] / 1024:.1f}" if row[5] is not None else "—"
        lines.append(f"| {row[0]} |" + "".join(cells) + f" {row[4] / 1024:.1f} | {fragment} |")
    return "\n".join(lines)


def machine():
    cpus = os.cpu_count()
    with open("/proc/meminfo") as handle:
        memory = int(handle.readline().split()[1]) // (1024 * 1024)
    model = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle
                          if line.startswith("model name")), "")
    load = os.getloadavg()[0]
    return (f"{platform.node()}: {cpus} cores ({model}), {memory} GiB, Python "
            f"{platform.python_version()}, load average {load:.1f} at the start")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--teachers", type=int, default=360000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="one throughput and chat run instead of three (a try, not a figure)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    about = machine()
    failures = []

    sqlite_url = "sqlite:///" + os.path.join(HERE, "instance", "bench.db")
    databases = {"SQLite": sqlite_url}
    pg = None if args.no_postgres else postgres_url()
    if pg:
        databases["PostgreSQL"] = pg
    seeds = {}
    for name, url in databases.items():
        t = step(f"Scale data on {name}")
        stamp, reused = seed.ensure(url, args.teachers)
        seeds[name] = (stamp, reused, seed.database_size(url), time.perf_counter() - t)

    results = {}
    for name, url in databases.items():
        step(f"Pages on {name} ({args.runs} runs a page)")
        results[name] = server.run(url, args.runs)

    runs = "1" if args.quick else "3"
    load_outs, ratios = [], []
    for name, url in databases.items():
        step(f"Throughput and memory on {name} (gunicorn, 2 workers; wrk)")
        code, out = run_module("bench.load", "--database", url, "--teacher",
                               seed.TEACHER, "--runs", runs)
        failures += [f"bench.load ({name})"] if code else []
        load_outs.append(f"{name}:\n{out.strip()}")
        ratios.append(last_number(r"ratio to bare Flask: ([\d.]+)", out))
    ratio = min((r for r in ratios if r is not None), default=None)
    load_out = "\n\n".join(load_outs)

    chat_out, chat_p95 = "", None
    if redis_runs():
        step("Chat fan-out (1,000 clients, two processes, Redis)")
        code, chat_out = run_module("bench.chat", "--clients", "1000", "--rounds", runs,
                                    env={"REDIS_URL": REDIS_URL})
        failures += ["bench.chat"] if code else []
        chat_p95 = last_number(r"chat p95: ([\d.]+) ms", chat_out)

    step("Page weight of the demo data")
    code, weight_out = run_module("bench.pageweight")
    failures += ["bench.pageweight"] if code else []
    step("2G check")
    code, slow_out = run_module("bench.slowline")
    failures += ["bench.slowline"] if code else []

    worst = max(row[2] for rows in results.values() for row in rows)
    max_visit = max([row[4] for rows in results.values() for row in rows]
                    + [int(v) for v in re.findall(r"largest first visit: (\d+) bytes",
                                                  weight_out)])
    minutes = (time.perf_counter() - started) / 60
    report = "\n\n".join([
        "# Benchmark results (`make bench`)",
        f"{when} on {about}. Whole run: {minutes:.1f} minutes.",
        "## Scale data\n" + "\n".join(
            f"- {name}: {stamp['teachers']:,} teachers; seeded in {stamp['seconds']} s on "
            f"{stamp['when']}{' (kept: inputs unchanged)' if reused else ''}; "
            f"{size / 2**20:,.0f} MB on disk" for name, (stamp, reused, size, _)
            in seeds.items()),
        "## Pages (server ms, Flask test client; SQL statements a request; gzip KB)\n"
        f"Budget: median ≤ {server.BUDGET_MEDIAN:.0f} ms, p95 ≤ {server.BUDGET_P95:.0f} ms"
        " (⚠ marks a miss); first visit ≤ 50 KB, fragment ≤ 8 KB.\n\n"
        + page_table(list(databases), results),
        "## Throughput and memory\n```\n" + load_out.strip() + "\n```",
        "## Chat fan-out\n" + ("```\n" + chat_out.strip() + "\n```" if chat_out
                               else "Redis is not running here: not measured."),
        "## Page weight (demo data) and the 2G check\n```\n" + weight_out.strip() + "\n\n"
        + slow_out.strip() + "\n```",
    ])
    last = (f"worst p95: {worst:.0f} ms; max first visit: {max_visit / 1024:.1f} KB; "
            f"ratio to bare Flask: {ratio if ratio is not None else 'n/a'}")
    if chat_p95 is not None:
        report += f"\n\nChat p95 at 1,000 clients: {chat_p95:.0f} ms."
    with open(RESULTS, "w") as handle:
        handle.write(report + "\n\n" + last + "\n")
    print(f"\nWritten to {os.path.relpath(RESULTS, HERE)} ({minutes:.1f} minutes).")
    if failures:
        print("These parts failed: " + ", ".join(failures))
    print(last)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
