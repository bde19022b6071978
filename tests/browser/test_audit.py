"""The staff audit log (issue 13, 7b) in a real browser: Carla, central staff, validates a
teacher from the queue, opens the audit log from her desk, finds her action there and filters
the log by action, by name and by a wrong day (told next to the field). axe-core on every
page; screenshots at 1280 and 390 px wide."""
import datetime
import re

from flask import url_for
from playwright.sync_api import expect

from models import AuditEntry, Role
from services import audit
from tests.browser.conftest import check_a11y, htmx_requests_on_leaving, snap_widths as shoot
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_user


def test_central_staff_find_and_filter_their_actions(app, new_page, live_server):
    AuditEntry.delete().execute()  # what the demo data's own steps wrote
    carla = make_user(Role.CSS, name="Carla Central")
    make_user(Role.TEACHER, name="Paul Waiting", country="FR", validated=False)
    older = make_user(Role.NSS, name="Nina National", country="IT")
    entry = audit.record(older, "content.delete", ("module", 3, "Coding basics"))
    AuditEntry.update(created_at=datetime.datetime(2026, 1, 5, 9, 30)).where(
        AuditEntry.id == entry.id).execute()
    with app.test_request_context():
        desk = url_for("admin.dashboard")

    page = new_page()
    log_in(page, carla.email, PASSWORD)
    page.goto(live_server + desk)
    page.get_by_role("link", name="Teachers waiting for validation").click()
    page.get_by_role("button", name="Validate Paul Waiting").click()
    expect(page.get_by_role("status")).to_contain_text("Paul Waiting is validated")

    page.goto(live_server + desk)
    page.get_by_role("link", name="Audit log of staff actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    table = page.get_by_role("table", name="Staff actions, newest first")
    first = table.get_by_role("row").nth(1)
    expect(first).to_contain_text("Carla Central")
    expect(first).to_contain_text("Teacher validated")
    expect(first).to_contain_text("Paul Waiting")
    expect(first).to_contain_text("France")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two entries
    check_a11y(page, "audit-log")
    shoot(page, "audit-log")
    page.set_viewport_size({"width": 390, "height": 900})  # a phone: rows read as cards
    page.wait_for_function("window.innerWidth === 390")
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("window.innerWidth === 1280")

    # Choosing an action refreshes the results (htmx) and the address, which can be shared.
    page.get_by_label("Action").select_option(label="Portal content deleted")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Coding basics")
    expect(table).not_to_contain_text("Paul Waiting")
    expect(page).to_have_url(re.compile(r"/admin/audit\?action=content\.delete&"))
    page.get_by_label("Action").select_option(label="All actions")
    page.get_by_label("Done by (name)").fill("carla")
    assert htmx_requests_on_leaving(page, page.get_by_label("Done by (name)")) == 0
    page.get_by_role("button", name="Filter").click()
    # The count is in the results, and said again by the live announcer after the swap.
    results = page.locator("#audit-results")
    expect(results.get_by_text("1 entry", exact=True)).to_be_visible()
    expect(table).to_contain_text("Paul Waiting")
    check_a11y(page, "audit-log-filtered")

    # A day that does not exist: the whole page says so next to the field.
    page.goto(f"{live_server}{desk}audit?date_from=2026-02-30")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#date_from-error")).to_contain_text("Enter a date like 2026-12-31")
    check_a11y(page, "audit-log-error")
    shoot(page, "audit-log-error")
    page.get_by_role("link", name="Show everything").click()
    expect(results.get_by_text("2 entries", exact=True)).to_be_visible()
