"""T-10 in a real browser: Ana (teacher) adds a forum to "Our rivers, year two" and starts
a discussion; Lucía (pupil) opens it from the space's navigation and replies with htmx (the
reply appears without a reload); Ana hides the reply, which Lucía then sees as hidden.
axe-core on every page visited."""
from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

FORUM = "Field trip"
TITLE = "What shall we bring to the river?"
REPLY = "I will bring my map and a ruler to measure the water."


def open_forums(page, home):
    page.goto(home)
    page.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Forums").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forums")


def test_forum_discussion_htmx_reply_and_hiding(new_page, space_url):
    home = space_url(Project.get(Project.title == "Our rivers, year two").space, "home")
    ana = new_page()
    log_in(ana, "ana.garcia@demo.opentwin.eu")
    ana.get_by_role("button", name="English").click()
    open_forums(ana, home)
    check_a11y(ana, "space-forums")

    ana.get_by_role("link", name="Add a forum").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Add a forum")
    check_a11y(ana, "space-forum-new")
    ana.get_by_label("Title").fill(FORUM)
    ana.get_by_label("Description (optional)").fill("Everything about our day by the river.")
    ana.get_by_role("button", name="Add the forum").click()
    expect(ana.get_by_role("status")).to_contain_text("The forum is added.")
    expect(ana.get_by_role("heading", level=1)).to_have_text(FORUM)
    check_a11y(ana, "space-forum-empty")

    ana.get_by_role("link", name="Start a discussion").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Start a discussion")
    ana.get_by_label("Title").fill(TITLE)
    body = rich_text(ana, "First message")
    body.fill("Boots, a notebook and ")
    body.press("End")
    body.type("warm clothes")
    for _ in "warm clothes":
        body.press("Shift+ArrowLeft")
    ana.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
    expect(ana.locator("#body")).to_have_value("<p>Boots, a notebook and <b>warm clothes</b></p>")
    check_a11y(ana, "space-discussion-new")
    ana.get_by_role("button", name="Start the discussion").click()
    expect(ana.get_by_role("status")).to_contain_text("The discussion is started.")
    expect(ana.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(ana.locator("#posts b")).to_have_text("warm clothes")
    check_a11y(ana, "space-discussion")

    # Lucía finds it through the space's navigation and replies: htmx, no reload.
    lucia = new_page()
    log_in(lucia, "lucia.perez")
    lucia.get_by_role("button", name="English").click()
    open_forums(lucia, home)
    check_a11y(lucia, "space-forums-pupil")
    expect(lucia.get_by_role("link", name="Add a forum")).to_have_count(0)
    lucia.get_by_role("link", name=FORUM).click()
    check_a11y(lucia, "space-forum-pupil")
    lucia.get_by_role("link", name=TITLE).click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(lucia.get_by_role("button", name="Hide", exact=False)).to_have_count(0)
    check_a11y(lucia, "space-discussion-pupil")
    address = lucia.url
    lucia.evaluate("window.__stillHere = true")
    # An empty reply first: the message comes next to the field, in place.
    lucia.get_by_role("button", name="Post the reply").click()
    expect(lucia.locator("#body-error")).to_contain_text("Write your reply")
    expect(lucia.locator("[data-error-summary]")).to_be_focused()
    check_a11y(lucia, "space-discussion-reply-error")
    rich_text(lucia, "Your reply").fill(REPLY)
    lucia.get_by_role("button", name="Post the reply").click()
    reply = lucia.locator("#posts > li").last
    expect(reply).to_contain_text(REPLY)
    expect(reply.get_by_role("heading", level=3)).to_have_text("Lucía Pérez")
    expect(lucia.locator("#body")).to_have_value("")
    expect(rich_text(lucia, "Your reply")).to_have_text("")
    expect(lucia.locator("#announcer")).to_have_text("Your reply is posted.")
    assert lucia.url == address
    assert lucia.evaluate("window.__stillHere") is True  # the page was not reloaded
    expect(lucia.locator("#posts > li")).to_have_count(2)
    expect(lucia.get_by_role("heading", level=2, name="2 messages")).to_be_visible()
    check_a11y(lucia, "space-discussion-replied")

    # Ana hides it: she still reads it, marked; Lucía sees only that it was hidden.
    ana.reload()
    ana.get_by_role("button", name="Hide the message of Lucía Pérez").click()
    expect(ana.get_by_role("status")).to_contain_text("The message is hidden from the members.")
    hidden = ana.locator("#posts > li").last
    expect(hidden).to_contain_text("Hidden by a teacher")
    expect(hidden).to_contain_text(REPLY)
    expect(ana.get_by_role("button", name="Show again the message of Lucía Pérez")
           ).to_be_visible()
    check_a11y(ana, "space-discussion-hidden-teacher")
    ana.get_by_role("link", name="Back to the forum “Field trip”").click()
    ana.get_by_role("link", name="Back to the forums").click()
    ana.get_by_role("link", name="Most recent messages").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Most recent messages")
    expect(ana.locator("main")).not_to_contain_text(REPLY)
    check_a11y(ana, "space-forums-recent")

    lucia.reload()
    mine = lucia.locator("#posts > li").last
    expect(mine).to_contain_text("Hidden by a teacher")
    expect(mine).not_to_contain_text(REPLY)
    expect(mine.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    check_a11y(lucia, "space-discussion-hidden-pupil")
    lucia.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Forums").click()
    lucia.get_by_role("link", name="My latest messages").click()
    expect(lucia.get_by_text("Hidden by a teacher")).to_be_visible()
    check_a11y(lucia, "space-forums-mine")
