"""T-14 and T-13 in a real browser: the pupil Lucía writes to her teacher Ana from TwinMail
with a file attached; Ana sees the unread count (space nav and header), opens the thread,
downloads the file and replies; Lucía describes herself on her space profile and Ana leaves
a message in her guestbook. axe-core on every page visited."""
import re

from playwright.sync_api import expect

from models import MailFolder, MailRecipient, MailThread, Project, User
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

NOTE = b"Water temperature: 14 C\nTurbidity: low\n"


def english(page):
    switch = page.get_by_role("button", name="English")
    if switch.count() and switch.get_attribute("aria-pressed") != "true":
        switch.click()


def space_nav(page):
    return page.get_by_role("navigation", name="In this TwinSpace")


def test_pupil_and_teacher_write_with_attachments_and_sign_the_guestbook(new_page, space_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    ana_user = User.by_login("ana.garcia@demo.opentwin.eu")

    # Lucía (a pupil: no Live) opens TwinMail in her space.
    lucia = new_page()
    log_in(lucia, "lucia.perez")
    english(lucia)
    lucia.goto(space_url(space, "home"))
    space_nav(lucia).get_by_role("link", name="TwinMail").click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Inbox")
    check_a11y(lucia, "twinmail-inbox-pupil")

    lucia.get_by_role("link", name="Write a message").click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Write a message")
    expect(lucia.get_by_role("group", name="Teachers")).to_be_visible()
    check_a11y(lucia, "twinmail-new")
    # Sending with nobody chosen: the error is next to the field, what was typed stays.
    lucia.get_by_label("Subject").fill("Our river data")
    rich_text(lucia, "Message").fill("Hello Ana, here are our measurements.")
    lucia.get_by_role("button", name="Send message").click()
    expect(lucia.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(rich_text(lucia, "Message")).to_have_text("Hello Ana, here are our measurements.")
    check_a11y(lucia, "twinmail-new-error")
    lucia.get_by_role("group", name="Teachers").get_by_label("Ana García").check()
    lucia.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "river-notes.txt", "mimeType": "text/plain", "buffer": NOTE}])
    lucia.get_by_role("button", name="Send message").click()
    expect(lucia.get_by_role("status")).to_contain_text("Message sent.")
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Our river data")
    expect(lucia.get_by_role("link", name="Download attachment river-notes.txt")).to_be_visible()
    check_a11y(lucia, "twinmail-thread-pupil")

    # Ana sees the unread count in the space's navigation and in the header (Live).
    unread = (MailRecipient.select().where(MailRecipient.user == ana_user.id,
                                           MailRecipient.folder == MailFolder.INBOX,
                                           MailRecipient.read_at.is_null()).count())
    assert unread >= 1
    ana = new_page()
    log_in(ana, "ana.garcia@demo.opentwin.eu")
    english(ana)
    ana.goto(space_url(space, "home"))
    expect(space_nav(ana).get_by_role("link", name=f"TwinMail {unread} unread")).to_be_visible()
    expect(ana.get_by_role("banner").get_by_role(
        "link", name=re.compile(rf"^Mail {unread}\s*unread$"))).to_be_visible()
    check_a11y(ana, "twinmail-space-home-teacher")
    space_nav(ana).get_by_role("link", name=re.compile("^TwinMail")).click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Inbox")
    check_a11y(ana, "twinmail-inbox-teacher")
    ana.get_by_role("link", name="Our river data").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Our river data")
    thread = MailThread.get(MailThread.space == space, MailThread.subject == "Our river data")
    assert ana.url.endswith(space_url(space, "mail_thread", thread_id=thread.id))
    expect(space_nav(ana).get_by_role("link", name=re.compile("^TwinMail"))).to_have_text(
        "TwinMail" if unread == 1 else re.compile(rf"^TwinMail {unread - 1}"))
    check_a11y(ana, "twinmail-thread-teacher")
    with ana.expect_download() as info:
        ana.get_by_role("link", name="Download attachment river-notes.txt").click()
    download = info.value
    assert download.suggested_filename == "river-notes.txt"
    with open(download.path(), "rb") as fh:
        assert fh.read() == NOTE
    rich_text(ana, "Your reply").fill("Thank you, Lucía! Great work.")
    ana.get_by_role("button", name="Send reply").click()
    expect(ana.get_by_role("status")).to_contain_text("Reply sent.")
    expect(ana.get_by_text("Thank you, Lucía! Great work.")).to_be_visible()
    check_a11y(ana, "twinmail-replied")

    # Lucía gets the reply, then writes about herself on her profile.
    lucia.goto(space_url(space, "home"))
    expect(space_nav(lucia).get_by_role("link", name="TwinMail 1 unread")).to_be_visible()
    space_nav(lucia).get_by_role("link", name="Members").click()
    lucia.get_by_role("link", name="Lucía Pérez", exact=True).click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Lucía Pérez")
    check_a11y(lucia, "space-profile-own")
    lucia.get_by_role("link", name="Edit my profile").click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Edit my profile")
    check_a11y(lucia, "space-profile-edit")
    rich_text(lucia, "About me").fill("I am 13 and I love measuring the river.")
    lucia.get_by_role("button", name="Save my profile").click()
    expect(lucia.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(lucia.get_by_text("I am 13 and I love measuring the river.")).to_be_visible()
    check_a11y(lucia, "space-profile-saved")

    # Ana finds Lucía among the members and leaves a message in her guestbook.
    space_nav(ana).get_by_role("link", name="Members").click()
    check_a11y(ana, "members-with-profile-links")
    ana.get_by_role("link", name="Lucía Pérez", exact=True).click()
    expect(ana.get_by_text("I am 13 and I love measuring the river.")).to_be_visible()
    ana.get_by_label("Leave a message").fill("Your data helped the whole class!")
    ana.get_by_role("button", name="Leave the message").click()
    expect(ana.get_by_role("status")).to_contain_text("Your message is on Lucía Pérez's profile.")
    guestbook = ana.get_by_role("region", name="Guestbook")
    expect(guestbook.get_by_text("Your data helped the whole class!")).to_be_visible()
    expect(guestbook.get_by_role("heading", name="Ana García")).to_be_visible()
    check_a11y(ana, "space-profile-guestbook")
