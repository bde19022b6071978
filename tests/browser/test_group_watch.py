"""G-7 in a real browser: `flag_idle` (the clock moved 70 days on) flags an idle group; central
staff follow the staff desk's link to the watch page, write to the moderators and close the
group, which then shows under "Closed groups". axe-core on every page; screenshots at 1280
and 390 px wide."""
import datetime
import re

from flask import url_for
from playwright.sync_api import expect

from models import Group, GroupState, Role
from services import group_watch
from tests.browser.conftest import check_a11y, snap_widths as shoot
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_space, make_user


def test_staff_close_a_flagged_group(app, page):
    mona = make_user(name="Mona Moderator")
    space = make_space(mona, "group", title="Quiet Astronomers")
    group = Group.get(Group.space == space)
    assert len(group_watch.flag_idle(now=group.approved_at + datetime.timedelta(days=70))) >= 1
    staff = make_user(Role.CSS, name="Carla Central")

    log_in(page, staff.email, PASSWORD)
    with app.test_request_context():
        dashboard = url_for("admin.dashboard")
    page.goto(dashboard)
    page.get_by_role("link", name="Watching groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Watching groups")
    expect(page.get_by_role("link", name="Quiet Astronomers", exact=True)).to_be_visible()
    check_a11y(page, "group-watch")
    shoot(page, "group-watch")

    page.get_by_role("link", name=re.compile(r"^Write to the moderators\s*: Quiet Astronomers$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quiet Astronomers")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Enter a subject").first).to_be_visible()
    check_a11y(page, "group-watch-message-error")
    page.get_by_label("Subject").fill("Your group is quiet")
    page.get_by_label("Message").fill("Is there anything we can help with?")
    shoot(page, "group-watch-message")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent")

    page.get_by_role("button", name=re.compile(r"^Close\s*: Quiet Astronomers$")).click()
    expect(page.get_by_role("status")).to_contain_text("The group is closed")
    closed = page.get_by_role("region", name="Closed groups")
    expect(closed.get_by_role("link", name="Quiet Astronomers", exact=True)).to_be_visible()
    expect(closed.get_by_role("button", name=re.compile(r"^Reopen\s*: Quiet Astronomers$"))).to_be_visible()
    check_a11y(page, "group-watch-closed")
    shoot(page, "group-watch-closed")
    assert Group.get_by_id(group.id).state == GroupState.CLOSED
