"""Page weight: bytes a browser transfers on a first visit to each main page.

Starts the app on a temporary SQLite database with the demo data, fetches each page as a
browser would (Accept-Encoding: gzip, logged in where the page needs it), then every CSS,
JS and icon file the page links to, and prints a table. Budget (DESIGN.md): a first visit
≤ 50 KB, an htmx fragment ≤ 8 KB. Run: `python -m bench.pageweight` (or `make bench`).

The budget is checked on gzip (what every browser accepts); the brotli column shows what a
browser that accepts `br` receives (less). The TwinSpace pages are measured as Ana, a teacher
of the demo space "Our rivers, our future" (its ids are looked up after seeding); a page that
does not answer 200 is reported as FAILED in the table and makes the run fail, it does not
stop the measuring of the others.
"""
import gzip
import re
import sys
import tempfile

import brotli

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
    ("Health", "css@demo.opentwin.eu", "/admin/health"),
    ("Audit log", "css@demo.opentwin.eu", "/admin/audit"),
    ("Delete account", "claire.dubois@demo.opentwin.eu", "/account/delete"),
    ("Delete project", "ana.garcia@demo.opentwin.eu", "/live/projects/1/delete"),
]

FRAGMENTS = [
    ("Schools of a country", None, "/auth/register?country=ES", "school-field"),
    ("People filtered", "css@demo.opentwin.eu", "/admin/people?role=teacher", "people-results"),
    ("Connect results", None, "/connect?q=garcia", "results"),
    ("Testimonials", None, "/discover?role=teacher", "testimonials"),
    ("Audit log filtered", "css@demo.opentwin.eu", "/admin/audit?action=group.approve",
     "audit-results"),
]

ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
TEACHER = "ana.garcia@demo.opentwin.eu"


def space_pages():
    """The TwinSpace pages of the demo's running project (the one its browser tests write in),
    as its teacher (and the public view anonymously); paths use the ids the demo data got."""
    from models import Discussion, Forum, Page, Project
    from services.demo import LIVELY
    space = Project.get(Project.title == LIVELY).space
    page = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    discussion = (Discussion.select().join(Forum).where(Forum.space == space)
                  .order_by(Discussion.id).first())
    base = f"/twinspaces/{space.id}"
    return [
        ("Space home", TEACHER, f"{base}/"),
        ("Space pages", TEACHER, f"{base}/pages"),
        ("Space page", TEACHER, f"{base}/pages/{page.id}"),
        ("Page edit", TEACHER, f"{base}/pages/{page.id}/edit"),
        ("Page history", TEACHER, f"{base}/pages/{page.id}/history"),
        ("Insert material (noJS)", TEACHER, f"{base}/pages/{page.id}/insert"),
        ("Diary", TEACHER, f"{base}/diary"),
        ("Space members", TEACHER, f"{base}/members"),
        ("Bulletin", TEACHER, f"{base}/bulletin"),
        ("Space settings", TEACHER, f"{base}/settings"),
        ("Public view (anon.)", None, f"{base}/public"),
        ("Materials", TEACHER, f"{base}/materials"),
        ("TwinMail", TEACHER, f"{base}/mail"),
        ("Consent", TEACHER, f"{base}/consent"),
        ("Forums", TEACHER, f"{base}/forums"),
        ("Forum discussion", TEACHER, f"{base}/forums/discussions/{discussion.id}"),
        ("Chat and calls", TEACHER, f"{base}/live"),
    ]


def space_fragments():
    from models import Page, Project
    from services.demo import LIVELY
    space = Project.get(Project.title == LIVELY).space
    page = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    picker = f"/twinspaces/{space.id}/pages/materials-picker?page={page.id}"
    return [
        ("Material picker", TEACHER, picker, "picker-body"),
        ("Picker: images", TEACHER, picker + "&kind=image", "picker-results"),
    ]


def body_text(response):
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "br":
        data = brotli.decompress(data)
    return data.decode()


def transferred(response):
    """Bytes on the wire, roughly: status line and headers plus the (compressed) body."""
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
    return head + len(response.get_data())


MODERATOR = "marta.novoa@demo.opentwin.eu"  # runs the demo's open group
STAFF = "css@demo.opentwin.eu"


def group_pages():
    """Groups (issue 12): the directory, Live's Groups page, the request form, a group's home
    as a member and as its moderator (the checklist), its reports and settings, and central
    staff's queue, watch list and reports; paths use the ids the demo data got."""
    from models import Group, Space
    from services.demo_groups import FEATURED, OPEN
    featured = Space.get((Space.kind == "group") & (Space.title == FEATURED))
    music = Space.get((Space.kind == "group") & (Space.title == OPEN))
    pending = Group.get(Group.state == "pending")
    return [
        ("Group directory", None, "/progress/groups"),
        ("Groups (Live)", TEACHER, "/groups/"),
        ("Request a group", TEACHER, "/groups/new"),
        ("Group home (member)", TEACHER, f"/groups/{featured.id}/"),
        ("Group home (moderator)", MODERATOR, f"/groups/{music.id}/"),
        ("Group forum", MODERATOR, f"/groups/{music.id}/forums"),
        ("Group reports", MODERATOR, f"/groups/{music.id}/reports"),
        ("Group settings", MODERATOR, f"/groups/{music.id}/settings"),
        ("Group requests (staff)", STAFF, "/admin/groups"),
        ("A request (staff)", STAFF, f"/admin/groups/{pending.id}"),
        ("Watching groups", STAFF, "/admin/groups/watch"),
        ("All reports (staff)", STAFF, "/admin/reports"),
    ]


GROUP_FRAGMENTS = [
    ("Directory results", None, "/progress/groups?q=music", "group-results"),
    ("Similar groups", TEACHER, "/groups/similar?title=music+in+class", "similar"),
]


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


def fetch(client, path, encoding):
    """(status, bytes of the page, bytes of its CSS/JS/icons) with one Accept-Encoding."""
    headers = {"Accept-Encoding": encoding}
    page = client.get(path, headers=headers)
    if page.status_code != 200:
        return page.status_code, transferred(page), 0
    html_bytes = transferred(page)
    assets = 0
    for asset in sorted(set(ASSET_RE.findall(body_text(page)))):
        response = client.get(asset, headers=headers)
        assets += transferred(response)
        response.close()
    return 200, html_bytes, assets


def measure(app, pages=None, fragment_list=None):
    """Rows (label, path, status, HTML, CSS+JS, first visit gzip, first visit br) and
    fragments (label, path, status, bytes). A failing page gets status != 200, no crash."""
    rows = []
    for label, login, path in pages if pages is not None else PAGES:
        try:
            client = client_for(app, login)
            status, html_bytes, assets = fetch(client, path, "gzip")
            br_total = sum(fetch(client_for(app, login), path, "br")[1:]) if status == 200 else 0
        except Exception as error:  # a view that raises: report it, measure the rest
            status, html_bytes, assets, br_total = f"error: {type(error).__name__}", 0, 0, 0
        rows.append((label, path, status, html_bytes, assets, html_bytes + assets, br_total))
    fragments = []
    for label, login, path, target in (fragment_list if fragment_list is not None
                                       else FRAGMENTS):
        try:
            client = client_for(app, login)
            response = client.get(path, headers={"Accept-Encoding": "gzip",
                                                 "HX-Request": "true", "HX-Target": target})
            fragments.append((label, path, response.status_code, transferred(response)))
        except Exception as error:
            fragments.append((label, path, f"error: {type(error).__name__}", 0))
    return rows, fragments


def failure(status):
    return f"FAILED: HTTP {status}" if isinstance(status, int) else f"FAILED: {status}"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "UPLOAD_DIR": f"{tmp}/uploads"})
        migrate(db.obj)
        demo.seed(app.config["UPLOAD_DIR"])
        rows, fragments = measure(app, PAGES + space_pages() + group_pages(),
                                  FRAGMENTS + space_fragments() + GROUP_FRAGMENTS)
        db.close()
    print(f"{'page':<24}{'path':<34}{'HTML':>8}{'CSS+JS':>9}{'first visit':>13}{'(br)':>8}")
    worst, failed = 0, []
    for label, path, status, html_bytes, assets, total, br_total in rows:
        if status != 200:
            failed.append((label, path, status))
            print(f"{label:<24}{path:<34}  {failure(status)}")
            continue
        flag = "" if total <= FIRST_VISIT_BUDGET else "  OVER BUDGET"
        print(f"{label:<24}{path:<34}{html_bytes:>8}{assets:>9}{total:>13}{br_total:>8}{flag}")
        worst = max(worst, total)
    print()
    print(f"{'htmx fragment':<24}{'path':<56}{'bytes':>8}")
    worst_fragment = 0
    for label, path, status, size in fragments:
        if status != 200:
            failed.append((label, path, status))
            print(f"{label:<24}{path:<56}  {failure(status)}")
            continue
        flag = "" if size <= FRAGMENT_BUDGET else "  OVER BUDGET"
        print(f"{label:<24}{path:<56}{size:>8}{flag}")
        worst_fragment = max(worst_fragment, size)
    print()
    print(f"largest first visit: {worst} bytes (budget {FIRST_VISIT_BUDGET}); "
          f"largest fragment: {worst_fragment} bytes (budget {FRAGMENT_BUDGET})")
    if failed:
        print(f"{len(failed)} page(s) did not answer 200: "
              + ", ".join(f"{label} ({path}: {status})" for label, path, status in failed))
    return 0 if (worst <= FIRST_VISIT_BUDGET and worst_fragment <= FRAGMENT_BUDGET
                 and not failed) else 1


if __name__ == "__main__":
    sys.exit(main())
