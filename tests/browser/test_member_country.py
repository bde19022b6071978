"""Issue 10.20 in a real browser: a teacher adds a colleague from Canada by choosing the
country's name from a list; axe-core on the form and on its error."""
from playwright.sync_api import expect

from models import Project, User
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def test_teacher_chooses_the_country_of_a_teacher_from_another_country(new_page, space_url):
    members = space_url(Project.get(Project.title == "Our rivers, year two").space, "members")
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    teacher.goto(members)
    teacher.get_by_role("link", name="Add a teacher from another country").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(
        "Add a teacher from another country")
    country = teacher.get_by_role("combobox", name="Country")
    expect(country.locator("option", has_text="Canada")).to_have_count(1)
    expect(country.locator("option", has_text="Spain")).to_have_count(0)
    check_a11y(teacher, "add-teacher-country")

    teacher.get_by_label("Full name").fill("Olivia Tremblay")
    teacher.get_by_label("E-mail address").fill("olivia@school.ca")
    teacher.get_by_role("button", name="Add the teacher").click()
    expect(teacher.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(country).to_have_attribute("aria-invalid", "true")
    expect(teacher.get_by_label("Full name")).to_have_value("Olivia Tremblay")
    check_a11y(teacher, "add-teacher-country-error")

    country.select_option(label="Canada")
    teacher.get_by_role("button", name="Add the teacher").click()
    expect(teacher.get_by_role("status")).to_contain_text("Olivia Tremblay is now a teacher")
    assert User.get(User.email == "olivia@school.ca").country == "CA"
