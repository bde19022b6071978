"""T-2 in a real browser: Ana edits a page of her TwinSpace, opens "Insert a material",
inserts an image of the space's materials at the cursor, saves, and the page shows the image
(loaded, with its alt text). axe-core on every page and on the open dialog."""
import io

from PIL import Image
from playwright.sync_api import expect

from models import Folder, Material, Page, Project, User
from services import storage
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in

ALT = "Pupils measuring the pH of the river at the old bridge"


class Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def add_image(app, space, owner):
    out = io.BytesIO()
    Image.new("RGB", (960, 640), "#2a7ab0").save(out, "PNG")
    stored = storage.save_image(Upload(out.getvalue(), "river.png"), app.config["UPLOAD_DIR"],
                                owner=owner)
    folder = Folder.create(space=space, kind="image", title="River day", created_by=owner)
    return Material.create(space=space, folder=folder, kind="image", title="River pH",
                           alt_text=ALT, file=stored, created_by=owner)


def test_teacher_inserts_an_image_into_a_page(app, new_page, space_url, url):
    space = Project.get(Project.title == "Our rivers, year two").space
    ana = User.get(User.email == "ana.garcia@demo.opentwin.eu")
    material = add_image(app, space, ana)
    guide = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    before = guide.body

    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(space_url(space, "page", page_id=guide.id))
    teacher.get_by_role("link", name="Edit the page").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Edit the page")
    # With JavaScript the toolbar button replaces the no-JS link.
    expect(teacher.get_by_role("link", name="Insert a material")).to_be_hidden()
    check_a11y(teacher, "page-insert-form")

    body = rich_text(teacher, "Text")
    body.click()
    teacher.keyboard.press("Control+End")
    teacher.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name="Insert a material").click()
    dialog = teacher.get_by_role("dialog", name="Insert a material")
    expect(dialog).to_be_visible()
    insert = dialog.get_by_role("button", name="Insert “River pH”")
    expect(insert).to_be_visible()
    expect(dialog.get_by_role("img", name=ALT)).to_be_visible()
    check_a11y(teacher, "page-insert-dialog")

    # Filtering by kind (htmx swaps the list): documents only, then images again.
    dialog.get_by_label("Kind").select_option("document")
    expect(dialog.get_by_role("button", name="Insert “pH measuring sheet”")).to_be_visible()
    expect(insert).to_be_hidden()
    dialog.get_by_label("Kind").select_option("image")
    expect(insert).to_be_visible()
    expect(dialog.get_by_role("button", name="Insert “pH measuring sheet”")).to_be_hidden()

    insert.click()
    expect(dialog).to_be_hidden()
    expect(body).to_be_focused()
    width, height = storage.image_size(material.file, 480)
    src = url("portal.file", file_id=material.file_id, width=480)
    snippet = f'<img src="{src}" alt="{ALT}" width="{width}" height="{height}">'
    # The editor shows the image where the cursor was (the end), and the form's field has it.
    expect(body.get_by_role("img", name=ALT)).to_be_visible()
    value = teacher.locator("#body").input_value()
    assert value.endswith(snippet + "</p>"), value
    assert before.replace("</p>", "") in value.replace("</p>", "")

    teacher.get_by_role("button", name="Save the page").click()
    expect(teacher.get_by_role("status")).to_contain_text("The page is saved")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Our river guide")
    image = teacher.locator(".prose").get_by_role("img", name=ALT)
    expect(image).to_be_visible()
    expect(image).to_have_attribute("width", str(width))
    teacher.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == width
    check_a11y(teacher, "page-with-inserted-image")
    assert Page.get_by_id(guide.id).body == value


def test_teacher_inserts_a_video_kept_by_reference(new_page, space_url):
    """A video goes into the text as a reference to the material; the saved page shows a
    link to the video's page in the space (and its player below), and the link works."""
    space = Project.get(Project.title == "Our rivers, year two").space
    video = Material.get((Material.space == space) & (Material.title == "How a river is born"))
    guide = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    before = guide.body
    page_url = space_url(space, "page", page_id=guide.id)
    video_url = space_url(space, "material", material_id=video.id)

    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(page_url)
    teacher.get_by_role("link", name="Edit the page").click()
    body = rich_text(teacher, "Text")
    body.click()
    teacher.keyboard.press("Control+End")
    teacher.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name="Insert a material").click()
    dialog = teacher.get_by_role("dialog", name="Insert a material")
    dialog.get_by_label("Kind").select_option("video")
    dialog.get_by_role("button", name="Insert “How a river is born”").click()
    expect(dialog).to_be_hidden()
    snippet = f'<a data-material="{video.id}">▶ How a river is born</a>'
    value = teacher.locator("#body").input_value()
    assert snippet in value and value.index(snippet) > len(before) - 10, value

    teacher.get_by_role("button", name="Save the page").click()
    expect(teacher.get_by_role("status")).to_contain_text("The page is saved")
    link = teacher.locator(".prose").get_by_role("link", name="▶ How a river is born")
    expect(link).to_have_attribute("href", video_url)
    expect(teacher.locator(".page-players")).to_contain_text("How a river is born")
    check_a11y(teacher, "page-with-inserted-video")
    assert Page.get_by_id(guide.id).body == value
    link.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("How a river is born")
