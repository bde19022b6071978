"""L-5 in a real browser: a teacher creates an online event in Paris time, another teacher
registers and changes her mind, and the organiser cancels the event."""
import datetime
import re

from playwright.sync_api import expect

from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

TITLE = "Comics in the language class"
DAY = f"{datetime.date.today().year + 1}-05-12"


def test_an_event_from_creation_to_cancellation(new_page):
    claire = new_page(timezone_id="Europe/Paris")
    log_in(claire, "claire.dubois@demo.opentwin.eu")
    claire.goto("/live/")
    claire.get_by_role("navigation", name="Live").get_by_role("link", name="Events").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Events")
    check_a11y(claire, "events")
    claire.get_by_role("link", name="Create an event").click()
    check_a11y(claire, "event-new")
    claire.get_by_label("Title", exact=True).fill(TITLE)
    claire.get_by_label("Description", exact=True).fill(
        "How we use comics to practise writing.\nSlides: https://example.org/comics")
    claire.get_by_role("radio", name="Training").check()
    claire.get_by_role("radio", name="Online").check()
    claire.get_by_label("Link to join").fill("https://meet.example.org/comics")
    claire.get_by_label("Date", exact=True).fill(DAY)
    claire.get_by_label("Start time").fill("14:00")
    claire.get_by_label("End time").fill("13:00")
    claire.get_by_label("Time zone").select_option("Europe/Paris")
    claire.get_by_label("Seats").fill("12")
    claire.get_by_role("button", name="Publish the event").click()
    # The end is before the start: told next to the field, nothing lost.
    expect(claire.locator("[data-error-summary]")).to_be_focused()
    expect(claire.get_by_text("Enter an end after the start").first).to_be_visible()
    expect(claire.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(claire.get_by_label("Time zone")).to_have_value("Europe/Paris")
    check_a11y(claire, "event-form-error")
    claire.get_by_label("End time").fill("15:30")
    claire.get_by_role("button", name="Publish the event").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(claire.get_by_role("status")).to_contain_text("Your event is published")
    expect(claire.get_by_text("You organise this event.")).to_be_visible()
    # Shown in the reader's zone (Paris here): 14:00, as typed.
    expect(claire.locator("time[data-local-time]").first).to_contain_text(
        re.compile(r"14:00|02:00\sPM"))
    expect(claire.get_by_text("12 seats left")).to_be_visible()
    expect(claire.get_by_role("link", name="Add to my calendar (.ics file)")).to_be_visible()
    check_a11y(claire, "event-organiser")

    giulia = new_page(timezone_id="Europe/London")
    log_in(giulia, "giulia.rossi@demo.opentwin.eu")
    giulia.goto("/live/events")
    giulia.get_by_role("link", name=TITLE).click()
    expect(giulia.locator("time[data-local-time]").first).to_contain_text(
        re.compile(r"13:00|01:00\sPM"))
    expect(giulia.get_by_role("link", name="https://example.org/comics")).to_be_visible()
    check_a11y(giulia, "event")
    giulia.get_by_role("button", name="Register for this event").click()
    expect(giulia.get_by_role("status")).to_contain_text("You are registered")
    expect(giulia.get_by_text("11 seats left")).to_be_visible()
    check_a11y(giulia, "event-registered")
    giulia.get_by_role("link", name="All events").click()
    giulia.get_by_role("link", name=re.compile("My events")).click()
    expect(giulia.get_by_role("link", name=TITLE)).to_be_visible()
    check_a11y(giulia, "my-events")
    giulia.get_by_role("link", name=TITLE).click()
    giulia.get_by_role("button", name="Cancel my registration").click()
    expect(giulia.get_by_role("status")).to_contain_text("Your registration is cancelled")
    expect(giulia.get_by_text("12 seats left")).to_be_visible()
    check_a11y(giulia, "event-unregistered")
    giulia.get_by_role("button", name="Register for this event").click()
    expect(giulia.get_by_role("status")).to_contain_text("You are registered")

    claire.reload()
    claire.get_by_role("link", name="Cancel the event").click()
    expect(claire.get_by_text("1 person is registered: we will tell them.")).to_be_visible()
    check_a11y(claire, "event-cancel")
    claire.get_by_role("button", name="Yes, cancel the event").click()
    expect(claire.get_by_role("status")).to_contain_text("The event is cancelled")
    expect(claire.get_by_text("This event is cancelled.")).to_be_visible()
    check_a11y(claire, "event-cancelled")

    giulia.goto("/live/notifications")
    expect(giulia.get_by_text(f"The event “{TITLE}” is cancelled.")).to_be_visible()
