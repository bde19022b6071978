"""L-3, L-4, L-14 in a real browser: two demo teachers become contacts and write to each
other. axe-core on every page visited."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

CLAIRE = "claire.dubois@demo.opentwin.eu"
GIULIA = "giulia.rossi@demo.opentwin.eu"


def unread(page, label):
    """The unread count the header shows beside `label` (0 when none)."""
    name = page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile(rf"^{label}")).inner_text()
    found = re.search(r"(\d+)", name)
    return int(found.group(1)) if found else 0


def test_two_teachers_connect_and_write_to_each_other(new_page):
    # The demo data may already hold notifications and mail: count from where Giulia is.
    giulia = new_page()
    log_in(giulia, GIULIA)
    notes_before, mail_before = unread(giulia, "Notifications"), unread(giulia, "Mail")

    claire = new_page()
    log_in(claire, CLAIRE)
    claire.goto("/connect?q=rossi")
    results = claire.locator("#results")
    results.get_by_role("link", name="Giulia Rossi").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Giulia Rossi")
    check_a11y(claire, "people-profile")
    claire.get_by_role("button", name="Ask to be contacts").click()
    expect(claire.get_by_text("Contact request sent to Giulia Rossi")).to_be_visible()
    expect(claire.get_by_text("Contact request sent", exact=True)).to_be_visible()
    check_a11y(claire, "people-request-sent")

    giulia.goto("/live/")
    account = giulia.get_by_role("navigation", name="Account")
    notifications = account.get_by_role(
        "link", name=re.compile(rf"^Notifications {notes_before + 1} unread"))
    expect(notifications).to_be_visible()
    check_a11y(giulia, "people-header-count")
    notifications.click()
    expect(giulia.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(giulia.get_by_text(re.compile(rf"You have {notes_before + 1} unread notification")
                              )).to_be_visible()
    check_a11y(giulia, "people-notifications")
    giulia.get_by_role("button", name=re.compile("Claire Dubois asks to be your contact")).click()
    expect(giulia.get_by_role("heading", level=1)).to_have_text("Your contacts")
    check_a11y(giulia, "people-contacts")
    giulia.get_by_role("button", name="Accept Claire Dubois").click()
    expect(giulia.get_by_text("You and Claire Dubois are now contacts.")).to_be_visible()
    check_a11y(giulia, "people-contacts-accepted")

    # Claire writes from Giulia's profile: Giulia is preselected.
    claire.reload()
    expect(claire.get_by_text("You are contacts")).to_be_visible()
    claire.get_by_role("link", name="Send a message to Giulia Rossi").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Write a message")
    expect(claire.get_by_label("Giulia Rossi")).to_be_checked()
    check_a11y(claire, "mail-compose")
    claire.get_by_role("button", name="Send message").click()
    expect(claire.get_by_role("link", name="Enter a subject")).to_be_visible()
    check_a11y(claire, "mail-compose-error")
    claire.get_by_label("Subject").fill("Our rivers project")
    rich_text(claire, "Message").fill("Would your class like to join? https://example.org")
    claire.get_by_role("button", name="Send message").click()
    expect(claire.get_by_text("Message sent.")).to_be_visible()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Our rivers project")
    check_a11y(claire, "mail-thread-sent")

    giulia.goto("/live/")
    mail = giulia.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile(rf"^Mail {mail_before + 1} unread"))
    expect(mail).to_be_visible()
    mail.click()
    expect(giulia.get_by_text(re.compile(rf"You have {mail_before + 1} unread message"))
           ).to_be_visible()
    check_a11y(giulia, "mail-inbox")
    giulia.get_by_role("link", name="Our rivers project").click()
    expect(giulia.get_by_role("link", name="https://example.org")).to_be_visible()
    check_a11y(giulia, "mail-thread")
    rich_text(giulia, "Your reply").fill("Yes, with pleasure!")
    giulia.get_by_role("button", name="Send reply").click()
    expect(giulia.get_by_text("Reply sent.")).to_be_visible()
    expect(giulia.get_by_text("Yes, with pleasure!")).to_be_visible()
    check_a11y(giulia, "mail-thread-replied")

    claire.goto("/live/notifications")
    expect(claire.get_by_role("button", name=re.compile("1 new message from Giulia Rossi"))
           ).to_be_visible()
    check_a11y(claire, "people-notifications-claire")
    claire.get_by_role("button", name="Mark all as read").click()
    expect(claire.get_by_text("You have read everything.")).to_be_visible()
    expect(claire.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Notifications", exact=True)).to_be_visible()
    check_a11y(claire, "people-notifications-read")
