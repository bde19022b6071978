"""Issue 10.14 (T-3) in a real browser: from a page's history, an earlier version shows what
changed in place — the page's own font, deletions and insertions as such (not by colour
alone), a summary — without gaps or anything sticking out, at 1280 and 390 px; axe-core."""
import pytest
from playwright.sync_api import expect

from models import Page, Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


@pytest.mark.parametrize("width", [1280, 390])
def test_difference_view_reads_like_the_page(page, width, space_url):
    lively = Project.get(Project.title == "Our rivers, year two").space
    guide = Page.get((Page.space == lively) & (Page.title == "Our river guide"))
    address = space_url(lively, "page", page_id=guide.id)
    log_in(page, "ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(address)
    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="Version 1", exact=True).click()
    changes = page.get_by_role("region", name="Changes from this version to the current text")
    expect(changes).to_contain_text("1 paragraph changed")
    added = changes.get_by_role("insertion")
    expect(added).to_have_text("Added: of three schools")
    expect(changes.get_by_role("deletion")).to_have_count(0)
    style = added.evaluate("""el => {
        const s = getComputedStyle(el), body = getComputedStyle(document.body);
        return {font: s.fontFamily, body: body.fontFamily, line: s.textDecorationLine};
    }""")
    assert style["font"] == style["body"], style  # no monospace
    assert "underline" in style["line"], style  # not by colour alone
    diff = changes.locator(".diff")
    box, main = diff.bounding_box(), page.locator("main").bounding_box()
    assert box["x"] >= main["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
    assert box["height"] < 120, box  # one changed paragraph: no gaps around it
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_a11y(page, f"page-diff-{width}")
