"""The page editing form on a 2G line: is the plain field usable within 3 s, and when does the
visual editor arrive?

DESIGN.md's line: 250 kbit/s down and up, 300 ms round trip. Starts the app on a temporary
SQLite database with the demo data, serves it over real HTTP (werkzeug in a thread, like the
browser tests; the app compresses its own responses with Flask-Compress, so what crosses the
line is what a browser gets), logs in as Ana (teacher of the demo space) through the log-in
form at full speed, then opens the edit form of the page "Our river guide" in Debian's
Chromium with the line throttled by DevTools (Network.emulateNetworkConditions):

- first visit: the browser cache disabled (Network.setCacheDisabled), nothing kept;
- repeat visit: the cache enabled and filled by one visit at full speed first, so the static
  files (hashed names, `immutable`) come from it; the page itself (no-store) is fetched again.

For each it prints, in ms from the start of the navigation: the field in the document,
the first paint, DOMContentLoaded (deferred scripts run), "usable" (the latest of the three: the
plain field is shown and can take typing), the editor ready (`[data-richtext].richtext--ready`
or a `[contenteditable=true]`; "not enhanced" if none within 20 s, "no field" if the page has no
`[data-richtext]`), the load event, and the bytes received (as encoded on the line).
Budget (issue 14, DESIGN.md): usable ≤ 3 s on the first visit; the run fails (exit 1) over it,
or if the page has no usable field. Run: `python -m bench.slowline` (`make bench`).
"""
import logging
import os
import sys
import tempfile
from contextlib import contextmanager

from playwright.sync_api import sync_playwright

from app import create_app
from commands import migrate
from models import db
from services import demo
from tests.conftest import serving as serve_in_thread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TEACHER = "ana.garcia@demo.opentwin.eu"
LINE = {"offline": False, "latency": 300, "downloadThroughput": 250_000 // 8,
        "uploadThroughput": 250_000 // 8}
USABLE_BUDGET_MS = 3000
EDITOR_WAIT_MS = 20_000
FIELD = "[data-richtext] textarea, textarea"
READY = '[data-richtext].richtext--ready, [contenteditable="true"]'

# Marks in ms since the navigation started, taken in the page itself (no polling delay).
MARKS_SCRIPT = """
(() => {
  const marks = window.__slowline = {};
  const check = () => {
    const now = performance.now();
    if (marks.field === undefined && document.querySelector(%r)) marks.field = now;
    if (marks.ready === undefined && document.querySelector(%r)) marks.ready = now;
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
    attributes: true, attributeFilter: ["class", "contenteditable"]});
  document.addEventListener("DOMContentLoaded", check);
})();
""" % (FIELD, READY)

RESULTS_SCRIPT = """
() => {
  const marks = window.__slowline || {};
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {field: marks.field ?? null, ready: marks.ready ?? null,
          paint: paint ? paint.startTime : null,
          dcl: nav ? nav.domContentLoadedEventEnd : null,
          load: nav && nav.loadEventEnd ? nav.loadEventEnd : null};
}
"""


@contextmanager
def serving(app):
    """The app on a free port of 127.0.0.1, in a thread: the browser tests' server."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with serve_in_thread(app) as address:
        yield f"http://{address}"


def edit_path():
    from models import Page, Project
    from services.demo import LIVELY
    space = Project.get(Project.title == LIVELY).space
    page = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    return f"/twinspaces/{space.id}/pages/{page.id}/edit"


def log_in(page):
    page.goto("/auth/login")
    page.fill("#identifier", TEACHER)
    page.fill("#password", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/auth/login" not in page.url, "could not log in as " + TEACHER


def visit(page, cdp, path, *, cache):
    """One throttled navigation to `path`: the marks (ms), bytes received, the page's
    Content-Encoding and HTTP status."""
    received = {}

    def finished(event):
        received[event["requestId"]] = event["encodedDataLength"]
    cdp.on("Network.loadingFinished", finished)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    cdp.send("Network.emulateNetworkConditions", LINE)
    try:
        response = page.goto(path, wait_until="load", timeout=60_000)
        rich = page.locator("[data-richtext]").count() > 0
        if rich:
            try:
                page.wait_for_selector(READY, state="attached", timeout=EDITOR_WAIT_MS)
            except Exception:  # not enhanced within the wait: reported as such
                pass
        marks = page.evaluate(RESULTS_SCRIPT)
        marks["rich"] = rich
        # The plain field must really be there to type in (or the editor in its place).
        editables = page.locator('textarea:visible, [contenteditable="true"]:visible')
        marks["typeable"] = editables.count() > 0 and editables.first.is_editable()
    finally:
        cdp.send("Network.emulateNetworkConditions", {**LINE, "latency": 0,
                                                      "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
        cdp.remove_listener("Network.loadingFinished", finished)
    marks["bytes"] = sum(received.values())
    marks["encoding"] = response.headers.get("content-encoding", "none") if response else "?"
    marks["status"] = response.status if response else None
    return marks


def run(base_url, path):
    home = tempfile.mkdtemp(prefix="slowline-chromium-")
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             env={**os.environ, "HOME": home})
        try:
            context = browser.new_context(base_url=base_url, locale="en-GB")
            context.add_init_script(MARKS_SCRIPT)
            page = context.new_page()
            log_in(page)  # at full speed
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            results["first visit"] = visit(page, cdp, path, cache=False)
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
            page.goto(path, wait_until="load")  # fills the cache, at full speed
            page.wait_for_timeout(1000)  # and lets the editor file arrive if it is loaded
            results["repeat visit"] = visit(page, cdp, path, cache=True)
        finally:
            browser.close()
    return results


def ms(value):
    return f"{value:.0f}" if isinstance(value, (int, float)) else "-"


def editor_text(marks, unit=""):
    if marks["ready"] is not None:
        return ms(marks["ready"]) + unit
    return "not enhanced" if marks["rich"] else "no field"


def main():
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "UPLOAD_DIR": f"{tmp}/uploads"})
        migrate(db.obj)
        demo.seed(app.config["UPLOAD_DIR"])
        path = edit_path()
        with serving(app) as base_url:
            results = run(base_url, path)
        db.close()
    print(f"Page edit {path} on 2G (250 kbit/s down and up, 300 ms latency), as {TEACHER}")
    print(f"{'':<14}{'field':>7}{'paint':>7}{'DCL':>7}{'usable':>8}{'editor':>14}{'load':>7}"
          f"{'bytes':>8}  page")
    ok = True
    for name, marks in results.items():
        usable = None
        if marks["status"] == 200 and None not in (marks["field"], marks["paint"],
                                                    marks["dcl"]):
            usable = max(marks["field"], marks["paint"], marks["dcl"])
        editor = editor_text(marks)
        flag = ""
        if usable is None or not marks["typeable"]:
            flag = "  FAILED: no usable field"
            ok = False
        elif name == "first visit" and usable > USABLE_BUDGET_MS:
            flag = "  OVER BUDGET"
            ok = False
        print(f"{name:<14}{ms(marks['field']):>7}{ms(marks['paint']):>7}{ms(marks['dcl']):>7}"
              f"{ms(usable):>8}{editor:>14}{ms(marks['load']):>7}{marks['bytes']:>8}"
              f"  HTTP {marks['status']}, {marks['encoding']}{flag}")
    first = results["first visit"]
    usable = (max(first["field"], first["paint"], first["dcl"])
              if None not in (first["field"], first["paint"], first["dcl"]) else None)
    print(f"2G first visit usable: {ms(usable)} ms (budget {USABLE_BUDGET_MS}); "
          f"editor ready: {editor_text(first, unit=' ms')}")
    if not first["rich"]:
        print("The page has no rich-text field (data-richtext): the editor cannot arrive.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
