"""Finding groups in a real browser: a visitor searches the public directory (P-5); a teacher
opens Groups from the header and searches the groups to join (L-8). axe on each page;
screenshots at 1280 and 390 px into /work/shots/grp-find/."""
import re

from flask import url_for
from playwright.sync_api import expect

from models import Group, GroupLanguage, GroupState, Role, db
from services import groups
from tests.browser.conftest import check_a11y, snap_widths as shots
from tests.browser.test_foundation import log_in
from tests.factories import make_user


def make_groups():
    db.connect(reuse_if_open=True)
    staff = make_user(Role.CSS)
    made = []
    for title, topics, languages, featured in (
            ("Música en el aula", "songs, rhythm", ("es",), False),
            ("Coding club", "robots, programming", ("en",), True),
            ("Outdoor science", "nature, experiments", ("en", "es"), False)):
        g = groups.create(make_user(), title=title, description=f"About {title.lower()}.",
                          objectives="o", is_open=True, languages=languages, topics=topics)
        groups.act(g, "approve", staff)
        if featured:
            groups.act(g, "feature", staff)
        made.append(g)
    groups.create(make_user(), title="Musica pending", description="d", objectives="o",
                  is_open=True, languages=("es",), topics="")


def active(language=None):
    """How many active groups are listed (the demo's and this test's), in `language`."""
    query = Group.select().where(Group.state == GroupState.ACTIVE)
    if language:
        query = query.join(GroupLanguage).where(GroupLanguage.code == language)
    return query.count()


def test_visitor_searches_the_public_directory(app, new_page):
    page = new_page()
    make_groups()
    with app.test_request_context():
        progress = url_for("portal.progress")
    page.goto(progress)
    page.get_by_role("link", name="Find a group of teachers").click()
    expect(page.get_by_role("heading", level=1, name="Groups of teachers")).to_be_visible()
    # Beside the demo's groups: every active group is listed, featured ones first.
    expect(page.get_by_role("heading", name=f"{active()} groups")).to_be_visible()
    coding = page.locator("#group-results li").filter(
        has=page.get_by_role("link", name="Coding club"))
    expect(coding.get_by_text("Featured")).to_be_visible()
    expect(page.locator("#group-results li").first.get_by_text("Featured")).to_be_visible()
    check_a11y(page, "group-directory")
    shots(page, "directory")
    page.get_by_label("Keywords").fill("musica aula")
    expect(page.get_by_role("heading", name="1 group", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Música en el aula")).to_be_visible()
    page.get_by_label("Keywords").fill("")
    page.get_by_label("Language of the group").select_option(label="English")
    expect(page.get_by_role("heading", name=f"{active('en')} groups")).to_be_visible()
    expect(page.get_by_role("link", name="Música en el aula")).to_have_count(0)
    check_a11y(page, "group-directory-filtered")
    shots(page, "directory-filtered")


def test_teacher_opens_groups_in_the_header_and_searches(app, new_page):
    page = new_page()
    make_groups()
    log_in(page, "giulia.rossi@demo.opentwin.eu")
    with app.test_request_context():
        home = url_for("portal.home")
    page.goto(home)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", level=1, name="Groups")).to_be_visible()
    expect(page.get_by_role("link", name="Create a group")).to_be_visible()
    expect(page.get_by_role("navigation", name="Live").get_by_role(
        "link", name="Groups")).to_have_attribute("aria-current", "page")
    check_a11y(page, "groups-live")
    shots(page, "live-groups")
    page.get_by_label("Keywords").fill("ROBOTS")
    expect(page.get_by_role("heading", name="1 group", exact=True)).to_be_visible()
    page.get_by_role("link", name="Coding club").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Coding club")


def test_teacher_sees_similar_groups_without_javascript_page(app, new_page):
    page = new_page()
    make_groups()
    log_in(page, "giulia.rossi@demo.opentwin.eu")
    with app.test_request_context():
        similar = url_for("groups.similar", title="Science outdoors", topics="nature")
    page.goto(similar)
    expect(page.get_by_role("heading", level=1, name="Similar groups")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Join this group instead.*Outdoor science"))
           ).to_be_visible()
    check_a11y(page, "groups-similar")
    shots(page, "similar")
