"""L-1 and L-15 in a real browser: a new teacher completes their profile (photo, languages,
who sees what), the completeness meter follows, and national staff validate them.
axe-core on every page visited."""
import re

from PIL import Image
from playwright.sync_api import expect

from models import Role, School, User, Validation, Visibility
from tests.browser.conftest import check_a11y, rich_text
from tests.browser.test_foundation import log_in, log_out
from tests.factories import PASSWORD, make_user


def test_new_teacher_completes_profile_and_national_staff_validate_them(page, live_server,
                                                                        tmp_path):
    school = School.get(School.name == "IES Miguel de Cervantes")
    teacher = make_user(Role.TEACHER, email="nora.novak@example.org", name="Nora Novak",
                        country="ES", school=school, validated=False, language="en",
                        subjects=["history"], age_ranges=["12-15"])
    photo = tmp_path / "nora.png"
    Image.new("RGB", (240, 300), "teal").save(photo, "PNG")

    log_in(page, teacher.email, PASSWORD)
    page.goto("/live/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text(re.compile("National support staff of Spain will check your "
                                       "account"))).to_be_visible()
    expect(page.get_by_text("Your profile is 50% complete")).to_be_visible()
    expect(page.locator("meter#completeness")).to_have_attribute("value", "50")
    missing = page.locator("#missing")
    expect(missing.get_by_role("link")).to_have_count(3)
    check_a11y(page, "profile-pending")

    missing.get_by_role("link", name="The languages you speak").click()
    expect(page).to_have_url(re.compile(r"/live/profile/edit#languages-0$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    check_a11y(page, "profile-edit")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_role("group", name="Who can see your photo?").get_by_label(
        "Only my contacts").check()
    languages = page.get_by_role("group", name="Languages you speak")
    languages.get_by_label("English", exact=True).check()
    languages.get_by_label("Spanish", exact=True).check()
    rich_text(page, "What I can offer").fill("A river project with pupils of 13.")
    page.get_by_role("group", name="Who can see what you can offer?").get_by_label(
        re.compile("^Public")).check()
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(r"/live/profile$"))
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Your profile is 100% complete")).to_be_visible()
    expect(page.locator("meter#completeness")).to_have_attribute("value", "100")
    expect(page.get_by_role("img", name="Nora Novak")).to_be_visible()
    expect(page.get_by_text("Nothing is missing. Well done!")).to_be_visible()
    check_a11y(page, "profile-complete")
    saved = User.get_by_id(teacher.id)
    assert saved.photo_id and saved.language_codes == ["en", "es"]
    assert saved.visibility["photo"] == Visibility.CONTACTS
    assert saved.visibility["offer"] == Visibility.PUBLIC
    log_out(page)

    log_in(page, "nss.es@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()
    page.goto("/admin/validation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teachers to validate in Spain")
    card = page.locator("article", has=page.get_by_role("heading", name="Nora Novak"))
    expect(card).to_contain_text("nora.novak@example.org")
    expect(card).to_contain_text("IES Miguel de Cervantes")
    check_a11y(page, "validation-queue")

    # A refusal needs a reason: the error is shown next to the field.
    card.get_by_role("button", name="Refuse Nora Novak").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error:"))
    check_a11y(page, "validation-refuse-error")

    page.locator("article", has=page.get_by_role("heading", name="Nora Novak")).get_by_role(
        "button", name="Validate Nora Novak").click()
    expect(page.get_by_text("Nora Novak is validated.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nora Novak")).to_have_count(0)
    check_a11y(page, "validation-done")
    assert User.get_by_id(teacher.id).validation == Validation.VALIDATED
