"""Issue 10.8 in a real browser: a pupil who logs in by the form lands in their TwinSpace,
not on "Your account". axe-core on the page they land on."""
import re

from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def test_a_pupil_logs_in_and_lands_in_their_space(page, space_url):
    rivers = Project.get(Project.title == "Our rivers, year two").space
    home = space_url(rivers, "home")
    log_in(page, "lucia.perez")  # the demo pupil, in the rivers project's space only
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Our rivers, year two")
    check_a11y(page, "pupil-lands-in-space")
