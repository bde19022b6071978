"""Data rights (issue 13, 7a) in a real browser: a teacher downloads their data, then
deletes their account; a founder deletes a project. axe-core on every page visited."""
import json
import re
import zipfile

from playwright.sync_api import expect

from models import PartnerState, ProjectPartner, Role, SpaceRole, User
from services import spaces
from tests.browser.conftest import check_a11y, snap_widths
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_space, make_user


def test_a_teacher_downloads_their_data_then_deletes_their_account(page, live_server,
                                                                   tmp_path):
    teacher = make_user(Role.TEACHER, email="lena.leaving@example.org", name="Lena Leaving")
    log_in(page, teacher.email, PASSWORD)
    page.get_by_role("link", name=re.compile("^Your account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    check_a11y(page)
    snap_widths(page, "data-rights-account")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / "mine.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == "lena.leaving@example.org"

    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    check_a11y(page)
    snap_widths(page, "data-rights-delete")
    page.get_by_label("Your password").fill("not the password")
    page.get_by_label("Your e-mail address").fill(teacher.email)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Enter your password correctly").first).to_be_visible()
    check_a11y(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Your e-mail address").fill(teacher.email)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    check_a11y(page)
    snap_widths(page, "data-rights-deleted")
    assert User.get_by_id(teacher.id).deleted_at is not None
    expect(page.get_by_role("link", name=re.compile("^Your account"))).to_have_count(0)


def test_a_founder_deletes_a_project_with_its_pupils(page, live_server):
    founder = make_user(Role.TEACHER, email="fiona.founder@example.org", name="Fiona Founder")
    space = make_space(founder, title="Short-lived project")
    ProjectPartner.create(project=space.project, user=founder, state=PartnerState.ACCEPTED)
    pupil = make_user(Role.STUDENT, name="Pablo Pupil")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    log_in(page, founder.email, PASSWORD)
    page.goto(f"/live/projects/{space.project_id}")
    page.get_by_role("link", name=re.compile("^Delete the project")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete “Short-lived project”?")
    check_a11y(page)
    snap_widths(page, "data-rights-project-delete")
    page.get_by_role("button", name="Yes, delete the project").click()
    expect(page.get_by_text("Tick the box to delete the project, or keep it").first) \
        .to_be_visible()
    check_a11y(page)
    page.get_by_label(re.compile("^I understand")).check()
    page.get_by_role("button", name="Yes, delete the project").click()
    expect(page.get_by_text("The project “Short-lived project” has been deleted.")) \
        .to_be_visible()
    check_a11y(page)
    assert User.get_or_none(User.id == pupil.id) is None
