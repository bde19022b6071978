"""Server time per page on the scale data: median and p95 over repeated requests.

Uses the database made by `python -m bench.seed` (360,000 teachers by default), brings its
schema up to date, logs in as a teacher and as central staff through the Flask test client,
and times each main page. DESIGN.md's budget: median ≤ 20 ms, p95 ≤ 50 ms per page.
Run: `python -m bench.server [--database URL] [--runs 50]`; the last line is
`server p95: N ms` (the worst page).
"""
import argparse
import statistics
import time

from itsdangerous import URLSafeTimedSerializer

import commands
from app import create_app
from bench.search import DEFAULT_DATABASE
from models import Project, Role, User, db
from services import accounts

PAGES = [
    # (label, who, path)
    ("Home", None, "/"),
    ("Connect (no filter)", None, "/connect"),
    ("Connect keyword", None, "/connect?q=maria"),
    ("Connect filters", None, "/connect?country=ES&subject=maths&age=12-15"),
    ("Schools of a country", None, "/connect?type=schools&country=FR"),
    ("Projects keyword", None, "/connect?type=projects&q=water"),
    ("Gallery", None, "/gallery"),
    ("Progress", None, "/progress"),
    ("Teacher profile", None, "/teachers/{teacher}"),
    ("Project page", None, "/projects/{project}"),
    ("Live desktop", "teacher", "/live/"),
    ("My projects", "teacher", "/live/projects/"),
    ("Notifications", "teacher", "/live/notifications"),
    ("Mail", "teacher", "/live/mail"),
    ("Events", "teacher", "/live/events"),
    ("Partner forums", "teacher", "/live/forums"),
    ("Members' search", "teacher", "/connect?q=garcia"),
    ("Admin people", "css", "/admin/people"),
    ("Validation queue", "css", "/admin/validation"),
]


def logged_in_client(app, email, password):
    client = app.test_client()
    client.get("/auth/login")
    with client.session_transaction() as session:
        raw = session.get("csrf_token")
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    response = client.post("/auth/login", data={"identifier": email, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303, f"could not log in as {email}"
    return client


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    app = create_app({"DATABASE_URL": args.database, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    commands.migrate(db.obj)
    teacher = (User.select().where(User.role == Role.TEACHER, User.listed_publicly == True)  # noqa: E712
               .order_by(User.id).first())
    teacher.validation = "validated"
    teacher.save()
    css = User.by_login("css@bench.opentwin.eu") or accounts.create_user(
        role=Role.CSS, name="Bench Admin", email="css@bench.opentwin.eu",
        password="bench-password-123", confirmed=True, validated=True)
    project = Project.public().order_by(Project.id).first()
    clients = {None: app.test_client(),
               "teacher": logged_in_client(app, teacher.email, "bench-password-123"),
               "css": logged_in_client(app, css.email, "bench-password-123")}
    teachers = User.select().where(User.role == Role.TEACHER).count()
    print(f"{teachers} teachers; {args.runs} runs per page")
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>9}")
    worst = 0.0
    for label, who, path in PAGES:
        path = path.format(teacher=teacher.id, project=project.id if project else 1)
        client = clients[who]
        assert client.get(path).status_code == 200, path  # warm up, and check it works
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        median = statistics.median(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(f"{label:<24}{median:>10.1f}{p95:>9.1f}")
    db.close()
    print(f"server p95: {worst:.0f} ms")


if __name__ == "__main__":
    main()
