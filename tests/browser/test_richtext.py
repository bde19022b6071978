"""Issue 14 in a real browser: the visual editor of rich-text fields.

- A teacher writes a page by keyboard only (heading, bold word, link, list, table) and
  inserts an image from the album; the stored HTML is exactly the allowlisted markup.
- A pupil writes a forum reply with the toolbar on a phone's viewport.
- With JavaScript off the same forms are plain text areas and save the same.
axe-core runs with the editor open (and with its table buttons shown)."""
from playwright.sync_api import expect

from models import Forum, Page, Post, Project, User
from services import forums
from services import pages as page_service
from services import storage
from tests.browser.conftest import check_a11y, rich_text, snap_widths
from tests.browser.test_foundation import log_in
from tests.browser.test_page_insert import ALT, add_image

SPACE = "Our rivers, year two"
TEACHER = "ana.garcia@demo.opentwin.eu"


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def arrow_to(page, name, key="ArrowRight", limit=20):
    """Move through the toolbar with the arrow keys until the button `name` has the focus."""
    for _ in range(limit):
        if focused_text(page) == name:
            return
        page.keyboard.press(key)
    raise AssertionError(f"no toolbar button {name!r} reached with {key}: " + page.evaluate("document.activeElement.outerHTML.slice(0, 150)") + page.locator("#body").input_value())


def test_teacher_writes_a_page_by_keyboard_only(app, new_page, space_url):
    space = Project.get(Project.title == SPACE).space
    ana = User.get(User.email == TEACHER)
    material = add_image(app, space, ana)
    page = page_service.create(space, ana, "River day", "")

    teacher = new_page()
    log_in(teacher, TEACHER)
    teacher.get_by_role("button", name="English").click()
    teacher.goto(space_url(space, "page_edit", page_id=page.id))
    text = rich_text(teacher, "Text")
    expect(text).to_be_visible()
    toolbar = teacher.get_by_role("toolbar", name="Formatting")
    heading = toolbar.get_by_role("button", name="Heading", exact=True)

    # The toolbar is one tab stop between the title and the text.
    teacher.get_by_label("Title").focus()
    teacher.keyboard.press("Tab")
    expect(heading).to_be_focused()
    teacher.keyboard.press("Tab")
    expect(text).to_be_focused()
    teacher.keyboard.press("Shift+Tab")
    expect(heading).to_be_focused()

    teacher.keyboard.press("Enter")
    expect(text).to_be_focused()
    expect(heading).to_have_attribute("aria-pressed", "true")
    teacher.keyboard.type("The river in spring")
    teacher.keyboard.press("Enter")
    teacher.keyboard.type("The water is ")
    teacher.keyboard.press("Control+b")
    expect(toolbar.get_by_role("button", name="Bold")).to_have_attribute("aria-pressed", "true")
    teacher.keyboard.type("cold")
    teacher.keyboard.press("Control+b")
    teacher.keyboard.type(" and clear. Read the ")
    teacher.keyboard.press("Control+k")
    dialog = teacher.get_by_role("dialog", name="Link")
    expect(dialog).to_be_visible()
    address = dialog.get_by_label("Web address")
    expect(address).to_be_focused()
    teacher.keyboard.type("javascript:alert(1)")
    teacher.keyboard.press("Enter")
    expect(dialog.get_by_text("Enter an address that starts with")).to_be_visible()
    expect(address).to_have_attribute("aria-invalid", "true")
    check_a11y(teacher, "richtext-link-error")
    teacher.keyboard.press("Control+a")
    teacher.keyboard.type("https://example.org/rivers")
    teacher.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    teacher.keyboard.type(" guide.")
    teacher.keyboard.press("Enter")

    teacher.keyboard.press("Shift+Tab")
    arrow_to(teacher, "Bulleted list")
    teacher.keyboard.press("Enter")
    teacher.keyboard.type("stones")
    teacher.keyboard.press("Enter")
    teacher.keyboard.type("fish")
    teacher.keyboard.press("Enter")
    teacher.keyboard.press("Enter")  # an empty item ends the list

    teacher.keyboard.press("Shift+Tab")
    arrow_to(teacher, "Table", key="ArrowLeft")
    teacher.keyboard.press("Enter")
    expect(text.get_by_role("table")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Add a row")).to_be_visible()
    teacher.keyboard.type("Place")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("pH")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("Bridge")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("7.2")
    check_a11y(teacher, "richtext-table")
    # Shift+Tab moves back through the cells; Ctrl+End leaves the table.
    teacher.keyboard.press("Shift+Tab")
    expect(text).to_be_focused()
    expect(text.get_by_role("columnheader", name="Place")).to_be_visible()
    teacher.keyboard.press("Control+End")
    teacher.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Add a row")).to_be_hidden()

    # The image, from the materials' album, through the insert dialog.
    arrow_to(teacher, "Insert a material", key="ArrowLeft")
    teacher.keyboard.press("Enter")
    picker = teacher.get_by_role("dialog", name="Insert a material")
    insert = picker.get_by_role("button", name="Insert “River pH”")
    expect(insert).to_be_visible()
    for _ in range(30):
        if teacher.evaluate("document.activeElement.getAttribute('data-insert-title')") \
                == "River pH":
            break
        teacher.keyboard.press("Tab")
    expect(insert).to_be_focused()
    teacher.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    expect(text).to_be_focused()
    expect(text.get_by_role("img", name=ALT)).to_be_visible()
    check_a11y(teacher, "richtext-editor")
    snap_widths(teacher, "richtext-page-form")

    for _ in range(10):
        if focused_text(teacher) == "Save the page":
            break
        teacher.keyboard.press("Tab")
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("status")).to_contain_text("The page is saved")

    width, height = storage.image_size(material.file, 480)
    assert Page.get_by_id(page.id).body == (
        "<h2>The river in spring</h2>"
        "<p>The water is <b>cold</b> and clear. Read the "
        '<a href="https://example.org/rivers">example.org/rivers</a> guide.</p>'
        "<ul><li>stones</li><li>fish</li></ul>"
        '<table><thead><tr><th scope="col">Place</th><th scope="col">pH</th></tr></thead>'
        "<tbody><tr><td>Bridge</td><td>7.2</td></tr></tbody></table>"
        f'<p><img src="/files/{material.file_id}/w480" alt="{ALT}" width="{width}" '
        f'height="{height}"></p>')
    prose = teacher.locator(".prose")
    expect(prose.get_by_role("heading", level=2)).to_have_text("The river in spring")
    expect(prose.get_by_role("link", name="example.org/rivers")).to_have_attribute(
        "href", "https://example.org/rivers")
    expect(prose.get_by_role("img", name=ALT)).to_be_visible()
    check_a11y(teacher, "richtext-page-saved")


def test_pupil_replies_on_a_phone(new_page, space_url):
    space = Project.get(Project.title == SPACE).space
    ana = User.get(User.email == TEACHER)
    lucia = User.by_login("lucia.perez")
    forum = Forum.create(space=space, title="Nature", created_by=ana)
    discussion = forums.start_space_discussion(forum, ana, title="Our favourite fish",
                                               body="Which fish did you see?")

    pupil = new_page()
    log_in(pupil, "lucia.perez")
    pupil.get_by_role("button", name="English").click()
    pupil.set_viewport_size({"width": 390, "height": 844})
    pupil.goto(space_url(space, "discussion", discussion_id=discussion.id))
    reply = rich_text(pupil, "Your reply")
    reply.click()
    pupil.keyboard.type("We saw a ")
    pupil.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
    pupil.keyboard.type("trout")
    pupil.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
    pupil.keyboard.type(" under the bridge!")
    check_a11y(pupil, "richtext-reply-phone")
    pupil.get_by_role("button", name="Post the reply").click()
    post = pupil.locator("#posts > li").last
    expect(post.locator("b")).to_have_text("trout")
    expect(rich_text(pupil, "Your reply")).to_have_text("")
    snap_widths(pupil, "richtext-reply", widths=(390,))
    last = Post.select().where(Post.discussion == discussion).order_by(Post.id.desc()).first()
    assert last.author_id == lucia.id
    assert last.body == "<p>We saw a <b>trout</b> under the bridge!</p>"


def test_without_javascript_the_fields_are_plain_and_save(browser, live_server, space_url):
    space = Project.get(Project.title == SPACE).space
    ana = User.get(User.email == TEACHER)
    page = page_service.create(space, ana, "Plain words", "")
    context = browser.new_context(base_url=live_server, locale="en-GB",
                                  java_script_enabled=False)
    try:
        teacher = context.new_page()
        log_in(teacher, TEACHER)
        teacher.get_by_role("button", name="English").click()
        teacher.goto(space_url(space, "page_edit", page_id=page.id))
        field = teacher.get_by_label("Text", exact=True)
        expect(field).to_be_visible()
        expect(teacher.get_by_role("toolbar")).to_have_count(0)
        field.fill("First line\nsecond line\n\nA new paragraph with <b>simple HTML</b>")
        teacher.get_by_role("button", name="Save the page").click()
        expect(teacher.get_by_role("heading", level=1)).to_have_text("Plain words")
        stored = Page.get_by_id(page.id).body
        assert stored == ("<p>First line<br>second line</p>"
                          "<p>A new paragraph with <b>simple HTML</b></p>"), stored

        teacher.goto(space_url(space, "page_edit", page_id=page.id))
        teacher.get_by_label("Text", exact=True).fill("Only plain text\n\nin two paragraphs")
        teacher.get_by_role("button", name="Save the page").click()
        expect(teacher.get_by_role("heading", level=1)).to_have_text("Plain words")
        assert Page.get_by_id(page.id).body == "<p>Only plain text</p><p>in two paragraphs</p>"
    finally:
        context.close()
