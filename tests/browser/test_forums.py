"""L-7 in a real browser: Claire posts a partner search in the "12 to 15 years" forum; Giulia
finds it with the language filter, replies, and writes to Claire from the discussion.
axe-core on every page visited."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

CLAIRE = "claire.dubois@demo.opentwin.eu"
GIULIA = "giulia.rossi@demo.opentwin.eu"
TITLE = "French and Italian pen pals for 13-year-olds"


def test_a_partner_search_is_posted_found_answered_and_its_poster_contacted(new_page):
    claire = new_page()
    log_in(claire, CLAIRE)
    claire.get_by_role("navigation", name="Live").get_by_role(
        "link", name="Partner forums").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Partner forums")
    check_a11y(claire, "forums-list")
    claire.get_by_role("link", name="12 to 15 years").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(
        "Partner forum: 12 to 15 years")
    check_a11y(claire, "forum")
    claire.get_by_role("link", name="Post a partner search").click()
    check_a11y(claire, "forum-new")
    claire.get_by_label("Title").fill(TITLE)
    claire.get_by_role("button", name="Post the partner search").click()
    # Forgot what she proposes and the languages: told next to the fields, nothing lost.
    expect(claire.locator("[data-error-summary]")).to_be_focused()
    expect(claire.get_by_label("Title")).to_have_value(TITLE)
    check_a11y(claire, "forum-new-error")
    rich_text(claire, "What you propose").fill(
        "My class in Lyon learns Italian. We would like to exchange letters and short "
        "videos about our towns, once a month.")
    claire.get_by_label("Subject (optional)").select_option(label="Foreign languages")
    claire.get_by_role("checkbox", name="French").check()
    claire.get_by_role("checkbox", name="Italian").check()
    claire.get_by_label("From (optional)").fill("2027-01-11")
    claire.get_by_label("Until (optional)").fill("2027-06-04")
    claire.get_by_role("button", name="Post the partner search").click()
    expect(claire.get_by_role("status")).to_contain_text("Your partner search is posted.")
    expect(claire.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(claire.get_by_role("link", name=re.compile("^Send a message"))).to_have_count(0)
    check_a11y(claire, "discussion-own")

    giulia = new_page()
    log_in(giulia, GIULIA)
    giulia.goto("/live/forums")
    giulia.get_by_role("link", name="12 to 15 years").click()
    giulia.get_by_label("Language of the project").select_option(label="Italian")
    results = giulia.locator("#search-results")
    expect(giulia).to_have_url(re.compile(r"language=it"))
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    check_a11y(giulia, "forum-filtered")
    giulia.get_by_label("Language of the project").select_option(label="Finnish")
    expect(results.get_by_text("No partner search matches these filters")).to_be_visible()
    giulia.get_by_label("Language of the project").select_option(label="French")
    results.get_by_role("link", name=TITLE).click()
    expect(giulia.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(giulia.get_by_text("Posted by Claire Dubois (France)")).to_be_visible()
    check_a11y(giulia, "discussion")
    rich_text(giulia, "Your reply").fill("My pupils in Bologna would love to. Shall we "
                                          "start with a video of our schools?")
    giulia.get_by_role("button", name="Post the reply").click()
    expect(giulia.get_by_role("status")).to_contain_text("Your reply is posted.")
    expect(giulia.get_by_text("My pupils in Bologna would love to.")).to_be_visible()
    expect(giulia.get_by_role("heading", name="1 reply")).to_be_visible()
    check_a11y(giulia, "discussion-replied")
    giulia.get_by_role("link", name="Send a message to Claire Dubois").click()
    expect(giulia.get_by_role("heading", level=1)).to_have_text("Write a message")
    expect(giulia.get_by_role("checkbox", name="Claire Dubois")).to_be_checked()
    check_a11y(giulia, "discussion-write-to-poster")
    giulia.get_by_label("Subject").fill("Our pen pal project")
    rich_text(giulia, "Message").fill("Hello Claire, here are my ideas for the letters.")
    giulia.get_by_role("button", name="Send message").click()
    expect(giulia.get_by_role("status")).to_contain_text("Message sent.")
    check_a11y(giulia, "discussion-message-sent")

    claire.goto("/live/notifications")
    expect(claire.get_by_text(f"1 new reply to “{TITLE}”")).to_be_visible()
    check_a11y(claire, "forum-notification")
