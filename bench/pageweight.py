"""Page weight: bytes a browser transfers on a first visit to each main page.

Starts the app on a temporary SQLite database with the demo data, fetches each page as a
browser would (Accept-Encoding: gzip, logged in where the page needs it), then every CSS,
JS and icon file the page links to, and prints a table. Budget (DESIGN.md): a first visit
≤ 50 KB, an htmx fragment ≤ 8 KB. Run: `python -m bench.pageweight` (or `make bench`).
"""
import gzip
import re
import sys
import tempfile

from app import create_app
from commands import migrate
from models import db
from services import demo

FIRST_VISIT_BUDGET = 50 * 1024
FRAGMENT_BUDGET = 8 * 1024

PAGES = [
    # (label, login or None, path)
    ("Home", None, "/"),
    ("Discover", None, "/discover"),
    ("Connect", None, "/connect?q=rossi"),
    ("Teacher profile", None, "/teachers/5"),
    ("Project", None, "/projects/1"),
    ("Collaborate", None, "/collaborate"),
    ("Kits", None, "/kits"),
    ("Gallery", None, "/gallery"),
    ("Progress", None, "/progress"),
    ("Learning event", None, "/learning-events/1"),
    ("Register", None, "/auth/register"),
    ("Log in", None, "/auth/login"),
    ("Forgotten password", None, "/auth/password/forgot"),
    ("Live desktop", "ana.garcia@demo.opentwin.eu", "/live/"),
    ("Your account", "lucia.perez", "/account/"),
    ("Admin (national)", "nss.es@demo.opentwin.eu", "/admin/"),
    ("People (central)", "css@demo.opentwin.eu", "/admin/people"),
    ("Mail outbox", "css@demo.opentwin.eu", "/admin/outbox"),
    ("Near you", "ana.garcia@demo.opentwin.eu", "/live/near-you"),
    ("Profile", "ana.garcia@demo.opentwin.eu", "/live/profile"),
    ("Edit profile", "ana.garcia@demo.opentwin.eu", "/live/profile/edit"),
    ("My projects", "ana.garcia@demo.opentwin.eu", "/live/projects/"),
    ("Project desk", "ana.garcia@demo.opentwin.eu", "/live/projects/1"),
    ("Mail", "ana.garcia@demo.opentwin.eu", "/live/mail"),
    ("Notifications", "ana.garcia@demo.opentwin.eu", "/live/notifications"),
    ("Events", "ana.garcia@demo.opentwin.eu", "/live/events"),
    ("Partner forums", "ana.garcia@demo.opentwin.eu", "/live/forums"),
    ("Reviews (national)", "nss.es@demo.opentwin.eu", "/admin/reviews"),
    ("Validation queue", "nss.es@demo.opentwin.eu", "/admin/validation"),
    ("Edit content", "css@demo.opentwin.eu", "/admin/content/publications/new"),
]

FRAGMENTS = [
    ("Schools of a country", None, "/auth/register?country=ES", "school-field"),
    ("People filtered", "css@demo.opentwin.eu", "/admin/people?role=teacher", "people-results"),
    ("Connect results", None, "/connect?q=garcia", "results"),
    ("Testimonials", None, "/discover?role=teacher", "testimonials"),
]

ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def transferred(response):
    """Bytes on the wire, roughly: status line and headers plus the (compressed) body."""
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
    return head + len(response.get_data())


def client_for(app, login):
    client = app.test_client()
    if login:
        client.get("/auth/login")
        with client.session_transaction() as session:
            token = session.get("csrf_token")
        from itsdangerous import URLSafeTimedSerializer
        signed = URLSafeTimedSerializer(app.config["SECRET_KEY"],
                                        salt="wtf-csrf-token").dumps(token)
        response = client.post("/auth/login", data={
            "identifier": login, "password": demo.DEMO_PASSWORD, "csrf_token": signed})
        assert response.status_code == 303, f"could not log in as {login}"
    return client


def measure(app):
    rows = []
    for label, login, path in PAGES:
        client = client_for(app, login)
        headers = {"Accept-Encoding": "gzip"}
        page = client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.status_code)
        html_bytes = transferred(page)
        assets = 0
        html = gzip.decompress(page.get_data()).decode()
        for asset in sorted(set(ASSET_RE.findall(html))):
            response = client.get(asset, headers=headers)
            assets += transferred(response)
            response.close()
        rows.append((label, path, html_bytes, assets, html_bytes + assets))
    fragments = []
    for label, login, path, target in FRAGMENTS:
        client = client_for(app, login)
        response = client.get(path, headers={"Accept-Encoding": "gzip", "HX-Request": "true",
                                             "HX-Target": target})
        fragments.append((label, path, transferred(response)))
    return rows, fragments


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "UPLOAD_DIR": f"{tmp}/uploads"})
        migrate(db.obj)
        demo.seed(app.config["UPLOAD_DIR"])
        rows, fragments = measure(app)
        db.close()
    print(f"{'page':<22}{'path':<26}{'HTML':>8}{'CSS+JS':>9}{'first visit':>13}")
    worst = 0
    for label, path, html_bytes, assets, total in rows:
        flag = "" if total <= FIRST_VISIT_BUDGET else "  OVER BUDGET"
        print(f"{label:<22}{path:<26}{html_bytes:>8}{assets:>9}{total:>13}{flag}")
        worst = max(worst, total)
    print()
    print(f"{'htmx fragment':<22}{'path':<48}{'bytes':>8}")
    worst_fragment = 0
    for label, path, size in fragments:
        flag = "" if size <= FRAGMENT_BUDGET else "  OVER BUDGET"
        print(f"{label:<22}{path:<48}{size:>8}{flag}")
        worst_fragment = max(worst_fragment, size)
    print()
    print(f"largest first visit: {worst} bytes (budget {FIRST_VISIT_BUDGET}); "
          f"largest fragment: {worst_fragment} bytes (budget {FRAGMENT_BUDGET})")
    return 0 if worst <= FIRST_VISIT_BUDGET and worst_fragment <= FRAGMENT_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
