"""Issue 4 in a real browser: two teachers run a project from registration to its Quality
Label, and a national support officer reviews it and validates the certificate."""
import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in


def test_a_project_from_meeting_to_label_and_certificate(new_page):
    # Giulia meets Claire through search and asks to be contacts.
    giulia = new_page()
    log_in(giulia, "giulia.rossi@demo.opentwin.eu")
    giulia.get_by_role("link", name="Portal").click()
    giulia.get_by_role("navigation", name="Portal").get_by_role("link", name="Connect").click()
    giulia.get_by_label("Keywords").fill("dubois")
    giulia.locator("#results").get_by_role("link", name="Claire Dubois").click()
    giulia.get_by_role("button", name="Ask to be contacts").click()
    expect(giulia.get_by_text("Contact request sent to Claire Dubois")).to_be_visible()

    # Claire accepts and writes back.
    claire = new_page()
    log_in(claire, "claire.dubois@demo.opentwin.eu")
    claire.goto("/live/contacts")
    claire.get_by_role("button", name="Accept Giulia Rossi").click()
    expect(claire.get_by_text("You and Giulia Rossi are now contacts.")).to_be_visible()
    claire.goto("/live/mail/new")
    claire.get_by_label("Giulia Rossi").check()
    claire.get_by_label("Subject").fill("A project about birds?")
    rich_text(claire, "Message").fill("My pupils count birds every spring. Yours too?")
    claire.get_by_role("button", name="Send message").click()
    expect(claire.get_by_text("Message sent.")).to_be_visible()

    giulia.goto("/live/mail")
    giulia.get_by_role("link", name="A project about birds?").click()
    expect(giulia.get_by_text("My pupils count birds every spring.")).to_be_visible()

    # Giulia registers the project and invites Claire from her contacts.
    giulia.goto("/live/projects/")
    check_a11y(giulia, "my-projects")
    giulia.get_by_role("link", name="Register a project").click()
    giulia.get_by_label("Title").fill("Birds over our schools")
    giulia.get_by_label("Description").fill("Pupils count the birds they see and compare.")
    giulia.get_by_role("checkbox", name="Biology").check()
    giulia.get_by_role("checkbox", name="12 to 15 years").check()
    giulia.get_by_role("checkbox", name="English").check()
    giulia.get_by_role("button", name="Register the project").click()
    # Forgot the start date: told next to the field, nothing lost.
    expect(giulia.locator("[data-error-summary]")).to_be_focused()
    expect(giulia.get_by_label("Title")).to_have_value("Birds over our schools")
    check_a11y(giulia, "project-form-error")
    giulia.get_by_label("Starts on").fill("2026-09-01")
    giulia.get_by_label("Show the project in the public portal").check()
    giulia.get_by_role("button", name="Register the project").click()
    expect(giulia.get_by_role("heading", level=1)).to_have_text("Birds over our schools")
    giulia.get_by_label("One of my contacts").select_option(label="Claire Dubois")
    giulia.get_by_role("button", name="Send the invitation").click()
    expect(giulia.get_by_role("status")).to_contain_text("Invitation sent to Claire Dubois")
    check_a11y(giulia, "project-desk")

    claire.goto("/live/projects/")
    claire.get_by_role("link", name="Birds over our schools").click()
    check_a11y(claire, "project-invitation")
    claire.get_by_role("button", name="Accept the invitation").click()
    expect(claire.get_by_role("status")).to_contain_text("Welcome to the project")
    claire.get_by_label("Message").fill("Shall we share our counts every Friday?")
    claire.get_by_role("button", name="Post on the card").click()
    expect(claire.get_by_text("Shall we share our counts every Friday?")).to_be_visible()

    giulia.reload()
    expect(giulia.get_by_text("Claire Dubois (France)")).to_be_visible()
    giulia.get_by_role("link", name="Close the project").click()
    check_a11y(giulia, "project-close")
    giulia.get_by_role("button", name="Yes, close the project").click()
    giulia.get_by_label("Your report").fill("Four classes counted 3,200 birds of 41 species.")
    giulia.get_by_role("button", name="Ask for the Quality Label").click()
    expect(giulia.get_by_text("your national support service is looking at it")).to_be_visible()
    giulia.get_by_role("button", name="Ask for my certificate").click()
    expect(giulia.get_by_text("your national support service will validate it")).to_be_visible()
    check_a11y(giulia, "project-closed")

    marco = new_page()
    log_in(marco, "nss.it@demo.opentwin.eu")
    marco.goto("/admin/reviews")
    check_a11y(marco, "reviews")
    expect(marco.get_by_text("Four classes counted 3,200 birds")).to_be_visible()
    marco.get_by_role("button", name=re.compile("Award the Quality Label.*Birds")).click()
    expect(marco.get_by_role("status")).to_contain_text("Decision saved")
    marco.get_by_role("button", name=re.compile("Validate the certificate.*Giulia")).click()
    marco.get_by_role("link", name="Birds over our schools").click()
    expect(marco.get_by_text("Shall we share our counts every Friday?")).to_be_visible()
    check_a11y(marco, "project-card-staff")

    giulia.reload()
    expect(giulia.get_by_text("The project has the Quality Label")).to_be_visible()
    with giulia.expect_download() as download:
        giulia.get_by_role("link", name="Download my certificate (PDF)").click()
    with open(download.value.path(), "rb") as fh:
        text = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
    assert "Giulia Rossi" in text and "Birds over our schools" in text
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text).group(0)
    giulia.goto(f"/certificates/verify/{code}")
    expect(giulia.get_by_text("This certificate is valid.")).to_be_visible()
    check_a11y(giulia, "certificate-verified")

    giulia.goto("/gallery")
    expect(giulia.get_by_role("link", name="Birds over our schools")).to_be_visible()
