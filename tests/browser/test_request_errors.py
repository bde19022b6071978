"""Issue 10.9 in a real browser: an htmx request that fails — the server answers an error, or
the connection drops — says so next to the form and through an alert region, and keeps what
the user typed; a 422 answer (field errors) is still swapped in as before.
axe-core on the page showing the message."""
from playwright.sync_api import expect

from models import Discussion, Forum, Project
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

TEXT = "We measured the pH at three places: 7.1, 7.4 and 6.9."


def test_a_failed_htmx_reply_is_announced_and_keeps_the_text(page, space_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    discussion = (Discussion.select().join(Forum).where(Forum.space == space)
                  .order_by(Discussion.id).first())
    address = space_url(space, "discussion", discussion_id=discussion.id)
    reply_url = space_url(space, "discussion_reply", discussion_id=discussion.id)
    log_in(page, "ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()
    page.goto(address)
    posts = page.locator("#posts > li")
    before = posts.count()
    alert = page.get_by_role("alert")

    # 422 (field errors) is swapped in as today: the message is next to the field.
    page.get_by_role("button", name="Post the reply").click()
    expect(page.locator("#body-error")).to_contain_text("Write your reply")
    expect(page.locator("[data-request-error]")).to_have_count(0)

    # The server fails: nothing is swapped away, the text stays, a message says so.
    page.route("**" + reply_url, lambda route: route.fulfill(
        status=500, content_type="text/html", body="<h1>Internal error</h1>"))
    rich_text(page, "Your reply").fill(TEXT)
    page.get_by_role("button", name="Post the reply").click()
    problem = page.locator("[data-request-error]")
    expect(problem).to_contain_text("there is a problem with the service (error 500)")
    expect(alert).to_contain_text("error 500")
    expect(rich_text(page, "Your reply")).to_have_text(TEXT)
    expect(page.get_by_role("heading", name="Internal error")).to_have_count(0)
    check_a11y(page, "request-error-500")

    # Refused (403): told to copy the text and reload.
    page.unroute("**" + reply_url)
    page.route("**" + reply_url, lambda route: route.fulfill(status=403, body="no"))
    page.get_by_role("button", name="Post the reply").click()
    expect(problem).to_contain_text("could not be done (error 403)")
    expect(problem).to_have_count(1)
    expect(rich_text(page, "Your reply")).to_have_text(TEXT)

    # The connection drops.
    page.unroute("**" + reply_url)
    page.route("**" + reply_url, lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Post the reply").click()
    expect(problem).to_contain_text("The connection was lost")
    expect(alert).to_contain_text("The connection was lost")
    expect(rich_text(page, "Your reply")).to_have_text(TEXT)

    # Back online: the reply goes through and the message goes away.
    page.unroute("**" + reply_url)
    page.get_by_role("button", name="Post the reply").click()
    expect(posts).to_have_count(before + 1)
    expect(posts.last).to_contain_text(TEXT)
    expect(problem).to_have_count(0)
