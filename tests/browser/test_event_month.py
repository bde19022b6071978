"""Issue 10.17 in a real browser: events as a month in Live and in the portal, by keyboard,
with and without JavaScript, wide (a table) and on a phone (a list); axe-core on each."""
import re

from flask import url_for
from playwright.sync_api import expect

from models import Event, LearningEvent, utcnow
from services import months
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

TRAINING = "Bringing eTwinning to your staff room"


def _label(moment, zone):
    local = months.local(moment, zone)
    return months.Month(local.year, local.month, [], local.date(), "en").label


def test_a_teacher_finds_an_event_in_the_month_by_keyboard(new_page):
    page = new_page(timezone_id="Europe/Paris")
    log_in(page, "claire.dubois@demo.opentwin.eu")
    page.goto("/live/")
    page.get_by_role("navigation", name="Live").get_by_role("link", name="Events").click()
    switch = page.get_by_role("navigation", name="Show the events as")
    expect(switch.get_by_role("link", name="List")).to_have_attribute("aria-current", "page")
    switch.get_by_role("link", name="Month").click()
    expect(switch.get_by_role("link", name="Month")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table")
    expect(table).to_be_visible()
    now_label = _label(utcnow(), "Europe/Paris")
    expect(table.locator("caption")).to_contain_text(now_label)
    expect(page.get_by_role("columnheader", name="Monday")).to_be_visible()
    today = table.locator('td[aria-current="date"]')
    expect(today).to_have_count(1)
    expect(today).to_contain_text("Today")
    check_a11y(page, "events-month")

    # Months by keyboard: htmx swaps the month, focus stays on the link, the change is said.
    page.get_by_role("link", name=re.compile("^Next month: ")).focus()
    page.keyboard.press("Enter")
    expect(table.locator("caption")).not_to_contain_text(now_label)
    expect(page.locator("#month-next")).to_be_focused()
    expect(page.locator("#announcer")).not_to_be_empty()
    assert "month=" in page.url
    expect(table.locator('td[aria-current="date"]')).to_have_count(0)
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#month-prev")).to_be_focused()
    page.keyboard.press("Enter")
    expect(table.locator("caption")).to_contain_text(now_label)
    expect(page.locator("#month-prev")).to_be_focused()
    # The training, on its day, in its month.
    training = Event.get(Event.title == TRAINING)
    target = _label(training.starts_at, "Europe/Paris")
    if target != now_label:
        page.get_by_role("link", name=f"Next month: {target}").click()
        expect(table.locator("caption")).to_contain_text(target)
    day = months.local(training.starts_at, "Europe/Paris").day
    cell = table.locator("td").filter(has=page.locator(".month-day", has_text=re.compile(
        rf"^{day}$")))
    link = cell.get_by_role("link", name=re.compile(TRAINING))
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TRAINING)
    page.go_back()

    # On a phone the month is a list of its busy days.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("table")).to_be_hidden()
    day = page.locator(".month-list").get_by_role("link", name=re.compile(TRAINING))
    expect(day).to_be_visible()
    check_a11y(page, "events-month-phone")


def test_a_visitor_browses_months_of_workshops_without_javascript(app, browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  locale="en-GB")
    try:
        page = context.new_page()
        with app.test_request_context():
            progress = url_for("portal.progress")
        page.goto(progress)
        page.get_by_role("navigation", name="Show the events as").get_by_role(
            "link", name="Month").click()
        caption = page.get_by_role("table").locator("caption")
        first = LearningEvent.upcoming().first()
        target = _label(first.starts_at, "UTC")
        if target not in caption.inner_text():
            page.get_by_role("link", name=f"Next month: {target}").click()
        expect(caption).to_contain_text(target)
        page.get_by_role("table").get_by_role("link", name=re.compile(first.title)).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    finally:
        context.close()


def test_the_portal_month_is_accessible_wide_and_narrow(page):
    page.goto("/progress")
    page.get_by_role("link", name="Month").click()
    expect(page.get_by_role("table")).to_be_visible()
    check_a11y(page, "progress-month")
    page.get_by_role("link", name=re.compile("Previous month")).click()
    expect(page.locator("#month-prev")).to_be_focused()
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("table")).to_be_hidden()
    check_a11y(page, "progress-month-phone")
