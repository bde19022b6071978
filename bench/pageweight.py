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

Editing pages (issue 14): a page whose HTML has a rich-text field (`data-richtext`) names the
vendored editor in `data-editor-src`; the glue script loads it after the page is usable, so it
is not part of the first visit (the plain field is). The "Editor" section fetches each file the
pages name (what is served: gzip from the app, brotli, and gzip -9 of the file for reference),
checks it against its own budget (≤ 60 KB gzip as served) and that it is cached for good
(`immutable`), and lists each editing page's first visit with the editor added ("with editor").
The run fails (exit 1) if a first visit is over 50 KB (editing pages included, without the
editor), a fragment over 8 KB, the editor over 60 KB or not immutable, or a page links the
editor file as an ordinary script or style (it would load before the page is usable).
The 2G check (a browser on a throttled line) is bench/slowline.py.
The first-visit and fragment budgets are also a test (tests/views/test_page_weight.py),
which calls measure(), demo_pages() and over_budget() here.
"""
import gzip
import re
import sys
import tempfile

import brotli

from app import create_app
from commands import migrate
from models import db
from bench.pagelist import (FRAGMENTS, GROUP_FRAGMENTS, PAGES, group_pages,
                            live_editing_pages, space_fragments, space_pages)
from services import demo

FIRST_VISIT_BUDGET = 50 * 1024
FRAGMENT_BUDGET = 8 * 1024
EDITOR_BUDGET = 60 * 1024

# Files a page loads as it opens: href/src only (not data-editor-src, loaded later).
ASSET_RE = re.compile(r'(?<![\w-])(?:href|src)="(/static/[^"]+)"')
EDITOR_SRC_RE = re.compile(r'data-editor-src="(/static/[^"]+)"')
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


def fetch(client, path, encoding, asset_sizes=None):
    """(status, bytes of the page, bytes of its CSS/JS/icons, the files it loads as it opens,
    the editor files it names in data-editor-src) with one Accept-Encoding. `asset_sizes`, a
    dict kept across calls, measures each static file once (they are the same for every page)."""
    headers = {"Accept-Encoding": encoding}
    page = client.get(path, headers=headers)
    if page.status_code != 200:
        return page.status_code, transferred(page), 0, [], []
    html_bytes = transferred(page)
    html = body_text(page)
    assets = sorted(set(ASSET_RE.findall(html)))
    editors = sorted(set(EDITOR_SRC_RE.findall(html))) if "data-richtext" in html else []
    sizes = asset_sizes if asset_sizes is not None else {}
    for asset in assets:
        if (asset, encoding) not in sizes:
            response = client.get(asset, headers=headers)
            sizes[asset, encoding] = transferred(response)
            response.close()
    asset_bytes = sum(sizes[asset, encoding] for asset in assets)
    return 200, html_bytes, asset_bytes, assets, editors


def measure(app, pages=None, fragment_list=None, with_brotli=True, clients=None):
    """Rows (label, path, status, HTML, CSS+JS, first visit gzip, first visit br, the files
    the page loads as it opens, the editor files it names) and fragments (label, path,
    status, bytes). A failing page gets status != 200, no crash. `with_brotli=False` skips the
    brotli column (0); `clients`, a dict, keeps one logged-in client a person (logs in once)."""
    def client(login):
        if clients is None:
            return client_for(app, login)
        if login not in clients:
            clients[login] = client_for(app, login)
        return clients[login]

    rows, asset_sizes = [], {}
    for label, login, path in pages if pages is not None else PAGES:
        try:
            status, html_bytes, assets, loaded, editors = fetch(client(login), path, "gzip",
                                                                asset_sizes)
            br_total = (sum(fetch(client(login), path, "br", asset_sizes)[1:3])
                        if status == 200 and with_brotli else 0)
        except Exception as error:  # a view that raises: report it, measure the rest
            status, html_bytes, assets, br_total = f"error: {type(error).__name__}", 0, 0, 0
            loaded, editors = [], []
        rows.append((label, path, status, html_bytes, assets, html_bytes + assets, br_total,
                     loaded, editors))
    fragments = []
    for label, login, path, target in (fragment_list if fragment_list is not None
                                       else FRAGMENTS):
        try:
            response = client(login).get(path, headers={
                "Accept-Encoding": "gzip", "HX-Request": "true", "HX-Target": target})
            fragments.append((label, path, response.status_code, transferred(response)))
        except Exception as error:
            fragments.append((label, path, f"error: {type(error).__name__}", 0))
    return rows, fragments


def demo_pages():
    """Every page and fragment of the demo data the budgets hold for (call after seeding)."""
    return (PAGES + live_editing_pages() + space_pages() + group_pages(),
            FRAGMENTS + space_fragments() + GROUP_FRAGMENTS)


def over_budget(rows, fragments):
    """What breaks the page budgets, one line each (empty when all is well): a first visit
    over 50 KB, a fragment over 8 KB, a page or fragment that did not answer 200."""
    problems = []
    for label, path, status, _html, _assets, total, *_rest in rows:
        if status != 200:
            problems.append(f"{label} ({path}): {failure(status)}")
        elif total > FIRST_VISIT_BUDGET:
            problems.append(f"{label} ({path}): first visit {total} bytes, over the "
                            f"{FIRST_VISIT_BUDGET} bytes budget")
    for label, path, status, size in fragments:
        if status != 200:
            problems.append(f"{label} ({path}): {failure(status)}")
        elif size > FRAGMENT_BUDGET:
            problems.append(f"{label} ({path}): fragment {size} bytes, over the "
                            f"{FRAGMENT_BUDGET} bytes budget")
    return problems


def editor_url(app):
    """The editor file's URL as the app names it (the editor_bundle Jinja global), for when
    no measured page has a rich-text field; None if there is no editor file."""
    bundle = app.jinja_env.globals.get("editor_bundle")
    if not bundle:
        return None
    from flask import url_for
    with app.test_request_context():
        return url_for("static", filename=bundle)


def measure_editor(app, src):
    """The editor file at `src` as served: (status, gzip bytes, br bytes, Cache-Control),
    and the file itself: (raw bytes, gzip -9 bytes, brotli -q 11 bytes) or None if it is not
    in static/."""
    client = app.test_client()
    gz = client.get(src, headers={"Accept-Encoding": "gzip"})
    br = client.get(src, headers={"Accept-Encoding": "br"})
    served = (gz.status_code, transferred(gz), transferred(br),
              gz.headers.get("Cache-Control", ""))
    gz.close()
    br.close()
    name = src.split("?", 1)[0].removeprefix("/static/")
    try:
        with open(f"{app.static_folder}/{name}", "rb") as fh:
            raw = fh.read()
    except OSError:
        return served, None
    return served, (len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0)),
                    len(brotli.compress(raw, quality=11)))


def failure(status):
    return f"FAILED: HTTP {status}" if isinstance(status, int) else f"FAILED: {status}"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "UPLOAD_DIR": f"{tmp}/uploads"})
        migrate(db.obj)
        demo.seed(app.config["UPLOAD_DIR"])
        rows, fragments = measure(app, *demo_pages())
        # The editor files the pages name (what is served), else the one the app would name.
        named = sorted({src for row in rows for src in row[8]})
        fallback = editor_url(app)
        editors = {src: measure_editor(app, src) for src in (named or [fallback] if fallback
                                                             else named)}
        db.close()
    print(f"{'page':<24}{'path':<34}{'HTML':>8}{'CSS+JS':>9}{'first visit':>13}{'(br)':>8}")
    worst, failed = 0, []
    for label, path, status, html_bytes, assets, total, br_total, _loaded, _eds in rows:
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
    editor_ok, worst_editor, problems = print_editor(rows, editors, named)
    print()
    print(f"largest first visit: {worst} bytes (budget {FIRST_VISIT_BUDGET}); "
          f"largest fragment: {worst_fragment} bytes (budget {FRAGMENT_BUDGET}); "
          f"editor: {worst_editor} bytes gzip (budget {EDITOR_BUDGET})")
    for problem in problems:
        print(problem)
    if failed:
        print(f"{len(failed)} page(s) did not answer 200: "
              + ", ".join(f"{label} ({path}: {status})" for label, path, status in failed))
    return 0 if editor_ok and not over_budget(rows, fragments) else 1


def print_editor(rows, editors, named):
    """The "Editor" section: each editor file (served gzip, br, gzip -9 of the file, its
    caching) and each editing page's first visit with and without it. Returns (ok, largest
    editor gzip bytes, problems to print)."""
    print("Editor (loaded by the glue script after the page is usable; not in the first visit)")
    problems, worst_editor = [], 0
    if not editors:
        return False, 0, ["editor: no editor file (static/vendor/editor-*.min.js) FAILED"]
    if not named:
        print("  no measured page has a rich-text field (data-richtext) yet: the file the "
              "app names (editor_bundle) is measured")
    print(f"{'file (as served)':<58}{'raw':>8}{'gzip':>8}{'(br)':>8}{'gzip -9':>9}{'br -11':>8}")
    for src, ((status, gz_bytes, br_bytes, cache), file_sizes) in editors.items():
        if status != 200:
            problems.append(f"editor {src}: FAILED: HTTP {status}")
            print(f"{src:<58}  FAILED: HTTP {status}")
            continue
        raw, gz9, br11 = file_sizes if file_sizes else ("?", "?", "?")
        flag = "" if gz_bytes <= EDITOR_BUDGET else "  OVER BUDGET"
        print(f"{src:<58}{raw:>8}{gz_bytes:>8}{br_bytes:>8}{gz9:>9}{br11:>8}{flag}")
        print(f"{'':<4}Cache-Control: {cache}")
        if "immutable" not in cache:
            problems.append(f"editor {src}: not cached for good (Cache-Control: {cache!r})")
        worst_editor = max(worst_editor, gz_bytes)
    bare = {src.split("?", 1)[0] for src in editors}
    editing = [row for row in rows if row[2] == 200 and row[8]]
    if editing:
        print()
        print(f"{'editing page':<24}{'path':<34}{'first visit':>13}{'with editor':>13}")
    for label, path, _status, _html, _assets, total, _br, loaded, srcs in editing:
        served = [editors[src][0] for src in srcs if src in editors]
        with_editor = total + sum(s[1] for s in served if s[0] == 200)
        flag = "" if total <= FIRST_VISIT_BUDGET else "  OVER BUDGET"
        print(f"{label:<24}{path:<34}{total:>13}{with_editor:>13}{flag}")
    for label, path, status, *_rest, loaded, _srcs in rows:
        eager = [asset for asset in loaded if asset.split("?", 1)[0] in bare]
        if eager:
            problems.append(f"{label} ({path}) loads the editor as it opens: {eager[0]}")
    return (worst_editor <= EDITOR_BUDGET and not problems), worst_editor, problems


if __name__ == "__main__":
    sys.exit(main())
