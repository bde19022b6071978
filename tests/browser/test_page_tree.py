"""Issue 10.13 (T-2) in a real browser: the rows of the page tree hold their buttons, each
row's actions are grouped apart from each other, "Archived pages" is a link below the tree;
reading a page shows where it is (breadcrumb) and leads to the previous and next page.
At 1280 and 390 px wide, axe-core on each."""
import re

import pytest
from playwright.sync_api import expect

from models import Page, Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def inside(inner, outer):
    return (inner["y"] >= outer["y"] - 0.5
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5)


@pytest.mark.parametrize("width", [1280, 390])
def test_page_tree_rows_and_reading_order(page, width, space_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    pages_url = space_url(space, "pages")
    log_in(page, "ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(pages_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pages")

    guide = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    row = page.locator(f"#page-{guide.id} > .page-row")
    for name in ("Move down Our river guide", "New sub-page under “Our river guide”"):
        control = row.get_by_role("button", name=name).or_(row.get_by_role("link", name=name))
        assert inside(control.bounding_box(), row.bounding_box()), name
    move = row.get_by_role("button", name="Move down Our river guide").bounding_box()
    sub = row.get_by_role("link", name="New sub-page under “Our river guide”").bounding_box()
    apart = (sub["x"] - (move["x"] + move["width"]) >= 12
             or sub["y"] - (move["y"] + move["height"]) >= 4)
    assert apart, (move, sub)
    expect(page.get_by_role("link", name="Archived pages")).to_be_visible()
    expect(page.get_by_role("button", name="Archive")).to_have_count(0)
    check_a11y(page, f"page-tree-{width}")

    # Reading the sub-page: the breadcrumb, then previous and next in the tree's order.
    page.get_by_role("link", name="Measuring day", exact=True).click()
    where = page.get_by_role("navigation", name="Where this page is")
    expect(where.get_by_role("link", name="All pages")).to_be_visible()
    expect(where.get_by_role("link", name="Our river guide")).to_be_visible()
    expect(where).to_contain_text("Measuring day")
    check_a11y(page, f"page-place-{width}")
    pager = page.get_by_role("navigation", name="Previous and next page")
    pager.get_by_role("link", name=re.compile(r"^Next page\W+Marking the guide$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marking the guide")
    page.get_by_role("navigation", name="Previous and next page").get_by_role(
        "link", name=re.compile(r"^Previous page\W+Measuring day$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measuring day")
    page.get_by_role("navigation", name="Where this page is").get_by_role(
        "link", name="Our river guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our river guide")
    expect(page.get_by_role("region", name="Pages under this one").get_by_role(
        "link", name="Measuring day")).to_be_visible()
