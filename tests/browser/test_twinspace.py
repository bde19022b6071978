"""Issue 5 (part) in a real browser: a teacher runs the TwinSpace's diary, bulletin and
settings, keyboard only for the diary; a pupil reads the diary but not the bulletin; a
visitor sees exactly the public posts. axe-core on every page visited."""
from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def test_teacher_and_pupil_in_the_twinspace(new_page, parent_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="TwinSpaces").click()
    check_a11y(teacher, "twinspaces")
    teacher.get_by_role("link", name="Our rivers, year two").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Our rivers, year two")
    check_a11y(teacher, "space-home")

    # Keyboard only: write a diary post.
    teacher.get_by_role("navigation", name="In this TwinSpace").get_by_role("link",
                                                                    name="Diary").click()
    teacher.get_by_role("link", name="Write a diary post").focus()
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Write a diary post")
    teacher.get_by_label("Title").focus()
    teacher.keyboard.type("The guide is in the library")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("Every school library of the three towns has a copy.")
    teacher.keyboard.press("Tab")
    teacher.keyboard.press("Space")  # the "Public" checkbox
    expect(teacher.get_by_label("Public: show it in the project's public view")).to_be_checked()
    check_a11y(teacher, "diary-form")
    teacher.keyboard.press("Tab")
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_role("status")).to_contain_text("The diary post is saved")
    expect(teacher.get_by_role("heading", name="The guide is in the library")).to_be_visible()
    check_a11y(teacher, "diary")

    teacher.get_by_role("link", name="Teachers' bulletin").click()
    expect(teacher.get_by_text("consent forms for the river day")).to_be_visible()
    teacher.get_by_label("Message to the project's teachers").fill("Guide printed: 300 copies.")
    teacher.get_by_role("button", name="Post on the bulletin").click()
    expect(teacher.get_by_text("Guide printed: 300 copies.")).to_be_visible()
    check_a11y(teacher, "bulletin")

    teacher.get_by_role("link", name="Settings").click()
    teacher.get_by_label("Green").check()
    teacher.get_by_role("button", name="Save the settings").click()
    expect(teacher.locator("body")).to_have_class("theme-green")
    check_a11y(teacher, "space-settings-green")

    pupil = new_page()
    log_in(pupil, "lucia.perez")
    pupil.get_by_role("button", name="English").click()
    pupil.goto(parent_url(space, "diary"))
    expect(pupil.get_by_role("heading", name="Our class list for the river day")).to_be_visible()
    expect(pupil.get_by_role("link", name="Write a diary post")).to_have_count(0)
    expect(pupil.get_by_role("link", name="Teachers' bulletin")).to_have_count(0)
    check_a11y(pupil, "diary-pupil")
    pupil.goto(parent_url(space, "bulletin"))
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Page not found")

    visitor = new_page()
    visitor.goto(parent_url(space, "public_view"))
    expect(visitor.get_by_role("heading", name="The guide is in the library")).to_be_visible()
    expect(visitor.get_by_role("heading", name="A new year by the river")).to_be_visible()
    expect(visitor.get_by_text("Our class list for the river day")).to_have_count(0)
    expect(visitor.get_by_text("consent forms")).to_have_count(0)
    check_a11y(visitor, "space-public")
