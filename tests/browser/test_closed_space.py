"""Issue 10 in a real browser: Ana opens the finished river project's TwinSpace, reads that it
is closed and finds nothing to change (10.1); Olena closes her project before its planned end
— the form asks her to confirm, next to the box — and the desk shows the open invitation
withdrawn and the card still open to write (10.19, 10.6, 10.5). axe-core on every screen."""
import datetime

from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

NOTICE = "This space is closed and read-only."


def test_a_closed_space_reads_but_offers_nothing_to_change(new_page):
    ana = new_page()
    log_in(ana, "ana.garcia@demo.opentwin.eu")
    ana.get_by_role("button", name="English").click()
    ana.get_by_role("navigation", name="Main").get_by_role("link", name="TwinSpaces").click()
    ana.get_by_role("link", name="Our rivers, our future").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Our rivers, our future")
    expect(ana.get_by_text(NOTICE)).to_be_visible()
    space_nav = ana.get_by_role("navigation", name="In this TwinSpace")
    expect(space_nav.get_by_role("link", name="Settings")).to_have_count(0)
    check_a11y(ana, "closed-space-home")

    space_nav.get_by_role("link", name="Pages").click()
    expect(ana.get_by_text(NOTICE)).to_be_visible()
    expect(ana.get_by_role("link", name="New page")).to_have_count(0)
    ana.get_by_role("link", name="Our river guide").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Our river guide")
    expect(ana.get_by_role("link", name="Edit the page")).to_have_count(0)
    expect(ana.get_by_role("link", name="Archive the page")).to_have_count(0)
    check_a11y(ana, "closed-space-page")

    space_nav.get_by_role("link", name="Diary").click()
    expect(ana.get_by_role("heading", name="Comparing three rivers")).to_be_visible()
    expect(ana.get_by_role("link", name="Write a diary post")).to_have_count(0)
    expect(ana.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    check_a11y(ana, "closed-space-diary")

    space_nav.get_by_role("link", name="Members").click()
    expect(ana.get_by_role("link", name="Add pupils")).to_have_count(0)
    expect(ana.get_by_role("link", name="Remove", exact=False)).to_have_count(0)
    check_a11y(ana, "closed-space-members")

    space_nav.get_by_role("link", name="Chat and calls").click()
    expect(ana.get_by_text(NOTICE)).to_be_visible()
    expect(ana.get_by_role("button", name="Send")).to_have_count(0)
    expect(ana.get_by_role("heading", name="Ask a question")).to_have_count(0)
    check_a11y(ana, "closed-space-live")

    # Writing anyway (an old bookmark) is refused with the reason.
    ana.goto(ana.url.replace("/live", "/pages/new"))
    expect(ana.get_by_role("heading", level=1)).to_have_text("This space is closed")
    check_a11y(ana, "closed-space-refused")


def test_closing_early_asks_to_confirm_then_withdraws_invitations(new_page):
    letters = Project.get(Project.title == "Letters from Lviv")
    letters.ends_on = datetime.date.today() + datetime.timedelta(days=60)
    letters.save()
    olena = new_page()
    log_in(olena, "olena.kovalenko@demo.opentwin.eu")
    olena.goto("/live/projects/")
    olena.get_by_role("link", name="Letters from Lviv").click()
    expect(olena.get_by_text("Invited", exact=True)).to_be_visible()
    olena.get_by_role("link", name="Close the project").click()
    box = olena.get_by_label("Yes, close it before its end date")
    expect(box).not_to_be_checked()
    check_a11y(olena, "project-close-early")
    olena.get_by_role("button", name="Yes, close the project").click()
    expect(olena.locator("[data-error-summary]")).to_be_focused()
    expect(olena.locator("[data-error-summary]")).to_contain_text(
        "Tick the box to close the project before its end date")
    expect(box).to_have_attribute("aria-invalid", "true")
    check_a11y(olena, "project-close-early-error")
    box.check()
    olena.get_by_role("button", name="Yes, close the project").click()
    expect(olena.get_by_role("status")).to_contain_text("The project is closed")
    expect(olena.get_by_text("Invitation withdrawn: the project was closed")).to_be_visible()
    olena.get_by_label("Message").fill("We finished early: the exchange is done.")
    olena.get_by_role("button", name="Post on the card").click()
    expect(olena.get_by_text("We finished early: the exchange is done.")).to_be_visible()
    check_a11y(olena, "project-closed-desk")

    claire = new_page()
    log_in(claire, "claire.dubois@demo.opentwin.eu")
    claire.goto("/live/projects/")
    expect(claire.get_by_role("link", name="Letters from Lviv")).to_have_count(0)
