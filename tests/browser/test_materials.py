"""T-4, T-5 in a real browser. A teacher, by keyboard: makes an album, chooses two images on
the labelled file input (Playwright cannot drive the system's file picker), uploads them one
per request with progress, describes them on the next page, browses them in the lightbox
(Enter, ArrowRight, Escape, focus back on the thumbnail); adds a YouTube link whose player
loads only after a click. A pupil sees the album but cannot delete the teacher's image.
axe-core on every page visited."""
import re

from PIL import Image
from playwright.sync_api import expect

from blueprints.spaces import materials as material_views
from models import Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def make_png(path, colour):
    Image.new("RGB", (640, 480), colour).save(path, "PNG")
    return str(path)


def test_album_upload_lightbox_and_video_link_by_keyboard(new_page, tmp_path, space_url,
                                                         monkeypatch):
    space = Project.get(Project.title == "Our rivers, year two").space
    files = [make_png(tmp_path / "river_bank.png", (30, 110, 180)),
             make_png(tmp_path / "heron.png", (200, 90, 40))]
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(space_url(space, "home"))
    nav = teacher.get_by_role("navigation", name="In this TwinSpace")
    nav.get_by_role("link", name="Materials").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Materials")
    check_a11y(teacher, "materials")

    # A new album, by keyboard.
    teacher.get_by_role("link", name="New album").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("New album or folder")
    expect(teacher.get_by_role("radio", name="An album, for images")).to_be_checked()
    teacher.get_by_label("Title").focus()
    teacher.keyboard.type("Field trip")
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Field trip")
    check_a11y(teacher, "materials-album-empty")

    # Choose two files on the labelled input, then upload them with the keyboard.
    upload = teacher.get_by_role("region", name="Add images")
    picker = upload.get_by_label("Images")
    picker.focus()
    expect(picker).to_be_focused()
    picker.set_input_files(files)
    chosen = upload.locator("[data-upload-list]")
    expect(chosen).to_be_visible()
    expect(chosen.get_by_role("listitem")).to_have_count(2)
    expect(chosen).to_contain_text("river_bank.png")
    expect(chosen).to_contain_text("KB")
    check_a11y(teacher, "materials-upload-chosen")
    upload.get_by_role("button", name="Upload the images").focus()
    teacher.keyboard.press("Enter")
    expect(upload.get_by_role("status")).to_contain_text("2 of 2 uploaded")

    # The describe page: a title and alt text for each image.
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Describe the new images")
    first = teacher.get_by_role("group", name=re.compile("Image 1 of 2"))
    second = teacher.get_by_role("group", name=re.compile("Image 2 of 2"))
    expect(first.get_by_label("Title")).to_have_value("river bank")
    check_a11y(teacher, "materials-describe")
    first.get_by_label("Alt text").focus()
    teacher.keyboard.type("Pupils measure the river with a stick")
    second.get_by_label("Title").focus()
    teacher.keyboard.press("Control+A")
    teacher.keyboard.type("Grey heron")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("A heron standing in shallow water")
    teacher.get_by_role("button", name="Save the descriptions").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.locator(".flashes")).to_contain_text("2 images described")
    grid = teacher.locator("ul[data-lightbox]")
    expect(grid.get_by_role("img")).to_have_count(2)
    expect(grid.get_by_role("img", name="A heron standing in shallow water")).to_be_visible()
    check_a11y(teacher, "materials-album")

    # The lightbox: Enter opens it, ArrowRight moves, Escape closes, focus comes back.
    thumbs = grid.get_by_role("link")
    thumbs.first.focus()
    teacher.keyboard.press("Enter")
    dialog = teacher.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("river bank")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    expect(dialog.get_by_role("img", name="Pupils measure the river with a stick")).to_be_visible()
    check_a11y(teacher, "materials-lightbox")
    teacher.keyboard.press("ArrowRight")
    expect(dialog.get_by_role("heading")).to_have_text("Grey heron")
    expect(dialog).to_contain_text("Image 2 of 2")
    teacher.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(thumbs.nth(1)).to_be_focused()
    album_url = teacher.url

    # On a later page of the album, an image is numbered in the whole album.
    monkeypatch.setattr(material_views, "FOLDER_PAGE", 1)
    teacher.reload()
    teacher.get_by_role("link", name="Next page").click()
    grid.get_by_role("link").first.click()
    expect(dialog.get_by_role("heading")).to_have_text("Grey heron")
    expect(dialog).to_contain_text("Image 2 of 2")
    teacher.keyboard.press("Escape")
    monkeypatch.undo()

    # Search as you type: only the results region changes.
    teacher.goto(space_url(space, "materials"))
    teacher.get_by_label("Search images, videos and documents").focus()
    teacher.keyboard.type("grey HER")
    results = teacher.locator("#material-results")
    expect(results.get_by_role("heading", level=2)).to_have_text(
        "1 material found for “grey HER”")
    expect(results.get_by_role("img", name="A heron standing in shallow water")).to_be_visible()
    expect(teacher).to_have_url(re.compile(r"materials\?q=grey(\+|%20)HER$"))
    check_a11y(teacher, "materials-search")

    # A video folder and a YouTube link: no frame until "Play" is pressed.
    teacher.get_by_role("link", name="New video folder").click()
    expect(teacher.get_by_role("radio", name="A video folder")).to_be_checked()
    teacher.get_by_label("Title").fill("Films")
    teacher.get_by_role("button", name="Make it").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Films")
    check_a11y(teacher, "materials-video-folder")
    link = teacher.get_by_role("region", name="Add a YouTube or Vimeo link")
    link.get_by_label("Link to the video").fill("https://vimeo.example/123")
    link.get_by_label("Title").fill("River song")
    link.get_by_role("button", name="Add the video").click()
    expect(link.get_by_text("Paste a link to a video on YouTube or Vimeo").first).to_be_visible()
    check_a11y(teacher, "materials-video-link-error")
    link.get_by_label("Link to the video").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    link.get_by_role("button", name="Add the video").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("River song")
    play = teacher.get_by_role("link", name=re.compile("Play .River song. .loads from YouTube"))
    expect(play).to_be_visible()
    expect(teacher.locator("iframe")).to_have_count(0)
    check_a11y(teacher, "materials-video")
    play.click()
    frame = teacher.locator("iframe")
    expect(frame).to_have_count(1)
    assert frame.get_attribute("src").startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")

    # A pupil sees the album, but no way to delete the teacher's image.
    pupil = new_page()
    log_in(pupil, "lucia.perez")
    pupil.get_by_role("button", name="English").click()
    pupil.goto(album_url)
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Field trip")
    expect(pupil.locator("ul[data-lightbox]").get_by_role("img")).to_have_count(2)
    expect(pupil.get_by_role("link", name=re.compile("^Delete"))).to_have_count(0)
    check_a11y(pupil, "materials-album-pupil")
    href = pupil.locator("ul[data-lightbox] a").first.get_attribute("href")
    pupil.goto(href)
    expect(pupil.get_by_role("heading", level=1)).to_have_text("river bank")
    expect(pupil.get_by_role("link", name="Next image")).to_be_visible()
    expect(pupil.get_by_role("link", name=re.compile("^Delete"))).to_have_count(0)
    expect(pupil.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    check_a11y(pupil, "materials-image-pupil")
