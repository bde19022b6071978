"""T-12 in a real browser: the demo teacher adds two pupils, reads their sheet, and one of
them logs in with it and finds the space. axe-core on every page visited."""
from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y, htmx_requests_on_leaving
from tests.browser.test_foundation import log_in


def test_teacher_adds_pupils_and_one_logs_in(new_page, space_url, url):
    space = Project.get(Project.title == "Our rivers, year two").space
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(space_url(space, "home"))
    teacher.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Members").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Members")
    check_a11y(teacher, "members")

    # Search with htmx: the list narrows as one types.
    teacher.get_by_label("Name").fill("zzz-nobody")
    expect(teacher.get_by_text("No member matches.")).to_be_visible()
    assert htmx_requests_on_leaving(teacher, teacher.get_by_label("Name")) == 0
    teacher.get_by_label("Name").fill("")
    teacher.get_by_label("Type").select_option("pupil")
    expect(teacher.get_by_role("row", name="Ana García")).to_have_count(0)
    check_a11y(teacher, "members-pupils")

    teacher.get_by_role("link", name="Add pupils").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Add pupils")
    check_a11y(teacher, "add-pupils")
    teacher.get_by_role("button", name="Add the pupils").click()
    expect(teacher.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_a11y(teacher, "add-pupils-error")
    teacher.get_by_label("Full names of the pupils").fill("Marta Ruiz\nPau Soler")
    teacher.get_by_role("button", name="Add the pupils").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("2 pupils added")
    check_a11y(teacher, "pupil-sheet")
    row = teacher.get_by_role("row", name="Marta Ruiz")
    username = row.locator("code").nth(0).inner_text()
    password = row.locator("code").nth(1).inner_text()
    assert username.startswith("marta.ruiz.") and len(password) >= 10
    expect(teacher.get_by_role("row", name="Pau Soler")).to_be_visible()

    teacher.goto(space_url(space, "members"))
    expect(teacher.get_by_role("rowheader", name="Marta Ruiz")).to_be_visible()
    expect(teacher.get_by_text(password)).to_have_count(0)

    pupil = new_page()
    log_in(pupil, username, password)
    pupil.get_by_role("button", name="English").click()
    pupil.goto(url("twinspace.my_spaces"))
    check_a11y(pupil, "pupil-spaces")
    expect(pupil.get_by_role("link", name="Our rivers, year two")).to_be_visible()
    pupil.get_by_role("link", name="Our rivers, year two").click()
    pupil.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Members").click()
    expect(pupil.get_by_role("link", name="Add pupils")).to_have_count(0)
    check_a11y(pupil, "members-as-pupil")
