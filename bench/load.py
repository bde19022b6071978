"""Throughput and worker memory: the Live desktop and a TwinSpace page under wrk, beside bare Flask.

Serves the app with gunicorn at two workers (deploy/gunicorn.conf.py, WEB_CONCURRENCY=2) and,
in the same run under the same settings, a bare Flask "hello" (bench/hello.py: the ceiling).
wrk (Debian package `wrk`) loads each endpoint on 127.0.0.1 in turn, runs interleaved so the
machine's noise falls on all three alike: the table gives the median req/s of the runs with
their spread (min–max) and the ratio to hello. The desktop is fetched as a teacher (`/live/`),
the page as a member of its space, both with the session cookie the app would give them
(signed with the run's SECRET_KEY) and `Accept-Encoding: gzip`, as a browser sends.
Memory: the resident size of each app worker, sampled during the load (and its VmHWM), and at
rest after it. Goals (issue 15): desktop ≥ 25 % of bare Flask; ≤ 150 MB a worker at rest.

Database: by default a temporary SQLite file with the demo data; `--database URL` takes any
other (e.g. the 360k scale database of bench/seed.py). The teacher is the first validated
teacher who is a member of a TwinSpace with a live page (or `--teacher EMAIL`); the bench gives
them a session token if they have none, nothing else in the database is changed.
Run: `python -m bench.load [--database URL] [--runs 3] [--duration 10]`; the last line is
`ratio to bare Flask: 0.NN` (desktop req/s ÷ hello req/s).
"""
import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

from bench import serving

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "bench-load-secret"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def prepare(database_url, upload_dir, teacher_email=None):
    """Seed the demo data if the database is new; return (cookie, desktop path, page path)."""
    from app import create_app
    from commands import migrate
    from models import Membership, Page, Role, Space, User, Validation, db, new_session_token
    from services import demo
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET,
                      "UPLOAD_DIR": upload_dir})
    migrate(db.obj)
    if not User.select().exists():
        demo.seed(upload_dir)
    query = (Page.select(Page.id, Page.space, User.id.alias("uid"))
             .join(Space).join(Membership, on=(Membership.space == Space.id))
             .join(User, on=(Membership.user == User.id))
             .where(Page.archived_at.is_null(), Space.kind == "twinspace",
                    User.role == Role.TEACHER, User.disabled == False)  # noqa: E712
             .order_by(Page.id))
    if teacher_email:
        query = query.where(User.email == teacher_email)
    else:
        query = query.where(User.validation == Validation.VALIDATED)
    row = query.dicts().first()
    if row is None:
        raise SystemExit("no validated teacher who is a member of a TwinSpace with a page")
    teacher = User.get_by_id(row["uid"])
    if not teacher.session_token:
        teacher.session_token = new_session_token()
        teacher.save()
    signer = app.session_interface.get_signing_serializer(app)
    cookie = f"session={signer.dumps({'_user_id': teacher.session_token, '_fresh': True})}"
    db.close()
    print(f"as {teacher.email or teacher.username} (user {teacher.id}); space page "
          f"/twinspaces/{row['space']}/pages/{row['id']}")
    return cookie, "/live/", f"/twinspaces/{row['space']}/pages/{row['id']}"


def get(port, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def serve(app_spec, env, log):
    """gunicorn with the deploy settings at two workers; wait until it answers."""
    return serving.gunicorn(env, log, app_spec, WEB_CONCURRENCY=2)


def workers(master):
    """The pids of a gunicorn master's workers."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == master:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(found)


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """The largest VmRSS of each worker, every 0.2 s while the load runs."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stop = pids, dict.fromkeys(pids, 0), threading.Event()

    def run(self):
        while not self.stop.wait(0.2):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], status_kb(pid, "VmRSS"))


def wrk(port, path, cookie, args, duration=None):
    """Requests per second of one wrk run; a run with any non-2xx answer stops the bench."""
    command = [WRK, f"-t{args.wrk_threads}", f"-c{args.connections}",
               f"-d{duration or args.duration}s", "--timeout", "10s",  # slow answers count
               "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True,
                         text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    if bad or "requests in" not in out:
        raise SystemExit(f"wrk on {path}: {bad.group(0) if bad else out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, errors.group(0) if errors else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="database URL (default: temporary SQLite, demo data)")
    parser.add_argument("--teacher", help="e-mail of the teacher to load the pages as")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds a wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    args = parser.parse_args(argv)
    if not os.path.exists(WRK):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    work = tempfile.mkdtemp(prefix="opentwin-bench-load-")
    database_url = args.database or "sqlite:///" + os.path.join(work, "bench.db")
    upload_dir = os.path.join(work, "uploads")
    cookie, desktop, page = prepare(database_url, upload_dir, args.teacher)
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET, UPLOAD_DIR=upload_dir)
    env.pop("REDIS_URL", None)  # pages only: no live room, and no shared limiter storage
    log = open(os.path.join(work, "gunicorn.log"), "w")
    servers = []
    try:
        hello, hello_port = serve("bench.hello:app", env, log)
        servers.append(hello)
        app, port = serve(None, env, log)
        servers.append(app)
        pids = workers(app.pid)
        for path in (desktop, page):
            status = get(port, path, cookie)
            if status != 200:
                raise SystemExit(f"{path} answered {status}, not 200, for the bench's teacher")
        print(f"gunicorn: deploy/gunicorn.conf.py, 2 workers (pids {pids}); wrk "
              f"-t{args.wrk_threads} -c{args.connections} -d{args.duration}s --timeout 10s, "
              f"{args.runs} runs each, interleaved; logs in {work}")
        targets = [("bare Flask hello", hello_port, "/", None),
                   ("Live desktop", port, desktop, cookie),
                   ("TwinSpace page", port, page, cookie)]
        for _label, p, path, c in targets:  # warm up: imports, templates, connections
            wrk(p, path, c, args, duration=2)
        sampler = Sampler(pids)
        sampler.start()
        rates = {label: [] for label, *_rest in targets}
        notes = {}
        for _run in range(args.runs):
            for label, p, path, c in targets:
                rate, note = wrk(p, path, c, args)
                rates[label].append(rate)
                if note:
                    notes[label] = note
        sampler.stop.set()
        sampler.join()
        time.sleep(3)
        rest = {pid: status_kb(pid, "VmRSS") for pid in pids}
        hwm = {pid: status_kb(pid, "VmHWM") for pid in pids}
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
    ceiling = statistics.median(rates["bare Flask hello"])
    print(f"{'endpoint':<20}{'req/s median':>14}{'min–max':>18}{'ratio to hello':>16}")
    for label, values in rates.items():
        median = statistics.median(values)
        spread = f"{min(values):,.0f}–{max(values):,.0f}"
        print(f"{label:<20}{median:>14,.0f}{spread:>18}{median / ceiling:>16.2f}"
              + (f"  ({notes[label]})" if label in notes else ""))
    print(f"{'worker':<10}{'peak RSS MB (sampled)':>24}{'VmHWM MB':>10}{'at rest MB':>12}")
    for pid in pids:
        print(f"{pid:<10}{sampler.peak[pid] / 1024:>24.0f}{hwm[pid] / 1024:>10.0f}"
              f"{rest[pid] / 1024:>12.0f}")
    print(f"worker memory at rest: {max(rest.values()) / 1024:.0f} MB (goal ≤ 150 MB)")
    print(f"ratio to bare Flask: {statistics.median(rates['Live desktop']) / ceiling:.2f}")


if __name__ == "__main__":
    main()
