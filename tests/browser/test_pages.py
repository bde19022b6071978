"""T-2, T-3 in a real browser: a teacher writes a page and a sub-page with the keyboard and
the formatting toolbar, edits it, reads the history and restores a version; a pupil (Spanish
interface) reads a teachers-only page but cannot edit it. axe-core on every page visited."""
from playwright.sync_api import expect

from models import Page, Project
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in


def test_teacher_writes_pages_and_pupil_only_reads(new_page, space_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(space_url(space, "home"))
    teacher.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Pages").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Pages")
    check_a11y(teacher, "pages-empty")

    # Keyboard only: a new page, formatted with the toolbar.
    teacher.get_by_role("link", name="New page").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("New page")
    toolbar = teacher.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    teacher.get_by_label("Title").focus()
    teacher.keyboard.type("River facts")
    teacher.keyboard.press("Tab")
    heading = toolbar.get_by_role("button", name="Heading", exact=True)
    expect(heading).to_be_focused()
    teacher.keyboard.press("Enter")
    body = rich_text(teacher, "Text")
    expect(body).to_be_focused()
    expect(heading).to_have_attribute("aria-pressed", "true")
    teacher.keyboard.type("Water quality")
    teacher.keyboard.press("Enter")
    teacher.keyboard.type("Clean water")
    for _ in "Clean water":
        teacher.keyboard.press("Shift+ArrowLeft")
    teacher.keyboard.press("Shift+Tab")
    expect(heading).to_be_focused()
    teacher.keyboard.press("ArrowRight")
    teacher.keyboard.press("ArrowRight")
    bold = toolbar.get_by_role("button", name="Bold")
    expect(bold).to_be_focused()
    teacher.keyboard.press("Space")
    expect(teacher.locator("#body")).to_have_value("<h2>Water quality</h2><p><b>Clean water</b></p>")
    expect(body).to_be_focused()
    expect(bold).to_have_attribute("aria-pressed", "true")
    check_a11y(teacher, "page-form")
    teacher.get_by_role("button", name="Save the page").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("status")).to_contain_text("The page is saved")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("River facts")
    expect(teacher.get_by_role("heading", level=2, name="Water quality")).to_be_visible()
    check_a11y(teacher, "page")

    # A sub-page, also by keyboard.
    teacher.get_by_role("link", name="New sub-page").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text(
        "New sub-page of “River facts”")
    teacher.get_by_label("Title").focus()
    teacher.keyboard.type("Measurements")
    teacher.keyboard.press("Tab")
    expect(heading).to_be_focused()
    for _ in range(4):
        teacher.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Bulleted list")).to_be_focused()
    teacher.keyboard.press("Enter")
    teacher.keyboard.type("pH 7")
    teacher.get_by_role("button", name="Save the page").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Measurements")
    expect(teacher.get_by_role("listitem").filter(has_text="pH 7")).to_be_visible()

    teacher.get_by_role("navigation", name="Where this page is").get_by_role(
        "link", name="All pages").click()
    tree = teacher.locator(".page-tree")
    expect(tree.get_by_role("link", name="River facts", exact=True)).to_be_visible()
    expect(tree.locator("li li").get_by_role("link", name="Measurements",
                                               exact=True)).to_be_visible()
    check_a11y(teacher, "pages-tree")

    # Edit, then look at the history and restore the first version.
    tree.get_by_role("link", name="River facts", exact=True).click()
    teacher.get_by_role("link", name="Edit the page").click()
    text = rich_text(teacher, "Text")
    text.click()
    teacher.keyboard.press("Control+a")
    teacher.keyboard.type("Muddy water")
    teacher.get_by_role("button", name="Save the page").click()
    expect(teacher.get_by_text("Muddy water")).to_be_visible()
    teacher.get_by_role("link", name="History").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("History of “River facts”")
    check_a11y(teacher, "page-history")
    teacher.get_by_role("link", name="Version 1").click()
    expect(teacher.get_by_role("deletion").filter(has_text="Water quality")).to_be_visible()
    expect(teacher.get_by_role("insertion").filter(has_text="Muddy water")).to_be_visible()
    check_a11y(teacher, "page-revision")
    teacher.get_by_role("button", name="Restore this version").click()
    expect(teacher.get_by_role("status")).to_contain_text("Version 1 is back")
    expect(teacher.get_by_role("heading", level=2, name="Water quality")).to_be_visible()
    expect(teacher.get_by_text("Version 3")).to_be_visible()
    page_url = teacher.url

    # Lucía, a pupil of the space, reads the teachers' page but cannot change it.
    pupil = new_page()
    log_in(pupil, "lucia.perez")
    expect(pupil.locator("html")).to_have_attribute("lang", "es")
    pupil.goto(page_url)
    expect(pupil.get_by_role("heading", level=1)).to_have_text("River facts")
    expect(pupil.get_by_role("link", name="Edit the page")).to_have_count(0)
    check_a11y(pupil, "page-pupil")
    river_facts = (Page.select().where(Page.space == space, Page.title == "River facts")
                   .order_by(Page.id.desc()).get())
    response = pupil.goto(space_url(space, "page_edit", page_id=river_facts.id))
    assert response.status == 404
    pupil.goto(space_url(space, "pages"))
    expect(pupil.get_by_role("button", name="Move down River facts")).to_have_count(0)
    check_a11y(pupil, "pages-pupil")
