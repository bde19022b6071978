"""Issue 10.18 in a real browser: a visitor goes from the gallery, and from a project's
public page, to the project's public TwinSpace; axe-core on each page."""
from flask import url_for
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y

RIVERS = "Our rivers, our future"


def test_visitor_reaches_the_public_twinspace_from_the_gallery_and_the_project(app, page):
    with app.test_request_context():
        gallery = url_for("portal.gallery")
    page.goto(gallery)
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=RIVERS))
    item.get_by_role("link", name="See its public TwinSpace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERS)
    expect(page.get_by_role("heading", name="First samples from the Henares")).to_be_visible()
    check_a11y(page, "public-view-from-gallery")

    page.goto(gallery)
    check_a11y(page, "gallery-public-links")
    page.get_by_role("link", name=RIVERS, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERS)
    check_a11y(page, "project-public-link")
    page.get_by_role("link", name="See its public TwinSpace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERS)
    expect(page.get_by_role("link", name="See its public TwinSpace")).to_have_count(0)
