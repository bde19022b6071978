"""Browser fixtures: one Chromium per test session, the app served on a free port per test,
and an axe-core check that fails on any violation.

Debian's Chromium is used (never `playwright install`, which cannot download here). A missing
browser fails the run: it is never a reason to skip.
"""
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright
from tests.conftest import serving

from services import demo

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "test-artifacts")
# Waits are for conditions; these are only the ceilings, generous because CI's two cores may
# be busy with a server, a browser and a database at once.
expect.set_options(timeout=20_000)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    assert os.path.exists(CHROMIUM), (
        f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": str(home)})
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """Serve the test app with the demo data on a free port, in a thread."""
    demo.seed(app.config["UPLOAD_DIR"])
    with serving(app) as address:
        yield f"http://{address}"


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) and return a page in it."""
    contexts = []

    def _open(locale="en-GB", timezone_id="UTC"):
        context = browser.new_context(base_url=live_server, locale=locale,
                                      timezone_id=timezone_id)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()
    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


_axe = Axe()


def check_a11y(page, name=None):
    """Run axe-core on the page as it is now; fail on any violation. Save a screenshot."""
    results = _axe.run(page)
    if name:
        snap(page, name)
    assert results.violations_count == 0, results.generate_report()


def snap(page, name):
    os.makedirs(os.path.join(ARTIFACTS, "screenshots"), exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, "screenshots", f"{name}.png"), full_page=True)


def snap_widths(page, name, widths=(1280, 390)):
    """Screenshots of the page at a desktop's and a phone's width (name-1280.png,
    name-390.png), to look at; the page is back at 1280 px afterwards."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(f"window.innerWidth === {width}")
        snap(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def htmx_requests_on_leaving(page, field):
    """How many htmx requests leaving `field` (a locator; its blur and change events) starts.
    htmx sends a request of an undelayed trigger within the event, so the count is final when
    blur() returns. A search form must start none: one started as a result link is clicked
    pushes its URL, which cancels the click's navigation."""
    page.evaluate("""() => {
        window.__htmxRequests = 0;
        if (!window.__htmxCounting) {
            document.body.addEventListener("htmx:beforeRequest", () => window.__htmxRequests++);
            window.__htmxCounting = true;
        }
    }""")
    field.blur()
    return page.evaluate("window.__htmxRequests")


def rich_text(page, name):
    """The visual editor of the rich-text field labelled `name` (issue 14), once the script
    has put it in place of the plain textarea (before that, the locator waits)."""
    return page.locator(".richtext--ready").get_by_role("textbox", name=name, exact=True)
