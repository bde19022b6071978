"""Issue 10.15 (T-12) in a real browser: after adding pupils, "Print the slips" opens the
browser's print; printed, the page is one cut-out slip per pupil (name, username, password,
where to log in) and nothing else. Without JavaScript there is no dead button.
axe-core on the sheet."""
from playwright.sync_api import expect

from models import Project
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

NAMES = ["Marta Ruiz", "Pau Soler", "Noa Martín"]


def add_pupils(page, address):
    page.goto(address)
    page.get_by_label("Full names of the pupils").fill("\n".join(NAMES))
    page.get_by_role("button", name="Add the pupils").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 pupils added")


def test_print_button_and_one_slip_per_pupil(page, space_url, url):
    space = Project.get(Project.title == "Our rivers, year two").space
    address = space_url(space, "members_add_pupils")
    login_at = url("auth.login")
    page.add_init_script("window.print = function () { window.__printed = "
                         "(window.__printed || 0) + 1; };")
    log_in(page, "ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()
    add_pupils(page, address)
    check_a11y(page, "pupil-sheet-print-button")
    page.get_by_role("button", name="Print the slips").click()
    page.wait_for_function("window.__printed === 1")

    page.emulate_media(media="print")
    expect(page.get_by_role("table")).to_be_hidden()
    expect(page.get_by_role("button", name="Print the slips")).to_be_hidden()
    expect(page.get_by_role("banner")).to_be_hidden()
    slips = page.locator(".slip")
    expect(slips).to_have_count(3)
    boxes = []
    for name in NAMES:
        slip = slips.filter(has_text=name)
        expect(slip).to_be_visible()
        expect(slip.get_by_role("term")).to_have_text(["Name", "Username", "Password"])
        expect(slip).to_contain_text("Log in at http://")
        expect(slip).to_contain_text(login_at)
        assert len(slip.get_by_role("definition").nth(2).inner_text()) >= 10  # the password
        boxes.append(slip.bounding_box())
    # Slips side by side, two to a row, none overlapping another.
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[1]["x"] > boxes[0]["x"]
    assert boxes[2]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    page.emulate_media(media="screen")
    expect(page.locator(".slip").first).to_be_hidden()
    expect(page.get_by_role("table")).to_be_visible()


def test_without_javascript_no_print_button(browser, live_server, space_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    address = space_url(space, "members_add_pupils")
    context = browser.new_context(base_url=live_server, locale="en-GB",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "ana.garcia@demo.opentwin.eu")
        page.get_by_role("button", name="English").click()
        add_pupils(page, address)
        expect(page.get_by_role("button", name="Print the slips")).to_be_hidden()
        expect(page.get_by_role("row", name="Pau Soler")).to_be_visible()
    finally:
        context.close()
