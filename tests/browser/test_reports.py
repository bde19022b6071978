"""G-8 in a real browser: Max, a member of a group, reports Paula's forum message; Mona, the
group's moderator, opens the group's Reports (with its count of open reports) and hides it.
axe-core on every page; screenshots at 1280 and 390 px wide."""

from playwright.sync_api import expect

from models import Discussion, Forum, Post, SpaceRole
from services import spaces
from tests.browser.conftest import check_a11y, snap_widths as shoot
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_space, make_user

REASON = "This message mocks the other members of the group."


def test_a_member_reports_a_message_and_the_moderator_hides_it(new_page, space_url):
    mona = make_user(name="Mona Moderator")
    max_, paula = make_user(name="Max Member"), make_user(name="Paula Poster")
    space = make_space(mona, "group", title="Science teachers")
    spaces.join(space, max_, SpaceRole.MEMBER)
    spaces.join(space, paula, SpaceRole.MEMBER)
    forum = Forum.create(space=space, title="Lab work")
    talk = Discussion.create(forum=forum, author=paula, title="Safety goggles")
    Post.create(discussion=talk, author=paula, body="Only fools wear goggles.")
    discussion = space_url(space, "discussion", discussion_id=talk.id)

    page = new_page()
    log_in(page, max_.email, PASSWORD)
    page.goto(discussion)
    check_a11y(page, "report-discussion")
    page.get_by_role("link", name="Report the message of Paula Poster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report to the moderators")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Say what is wrong with it").first).to_be_visible()
    check_a11y(page, "report-form-error")
    page.get_by_label("What is wrong with it?").fill(REASON)
    shoot(page, "report-form")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety goggles")

    mod = new_page()
    log_in(mod, mona.email, PASSWORD)
    mod.goto(space_url(space, "home"))
    mod.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Reports 1 open").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(mod.get_by_text(REASON)).to_be_visible()
    check_a11y(mod, "reports")
    shoot(mod, "reports")
    mod.get_by_role("button", name="Hide the content", exact=False).click()
    expect(mod.get_by_role("status")).to_contain_text("The content is hidden")
    check_a11y(mod, "reports-handled")
    mod.get_by_role("link", name="See it in its place", exact=False).click()
    expect(mod.get_by_text("Hidden by a teacher")).to_be_visible()

    page.goto(discussion)
    expect(page.get_by_text("Hidden by a teacher")).to_be_visible()
    expect(page.get_by_text("Only fools wear goggles.")).to_have_count(0)
    check_a11y(page, "report-discussion-hidden")
