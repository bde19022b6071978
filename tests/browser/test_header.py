"""Issue 10.12 in a real browser: on a phone the header is the brand and one "Menu"
disclosure (both menus and the language choice inside it), which opens without JavaScript; on
a wide screen a logged-in teacher's header, languages included, stays on one line.
axe-core on every state visited."""
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def header_height(page):
    return page.locator("header").bounding_box()["height"]


def test_phone_header_is_one_menu_that_opens_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        main_menu = page.get_by_role("navigation", name="Main")
        expect(main_menu).to_be_hidden()
        expect(page.get_by_role("button", name="Español")).to_be_hidden()
        assert header_height(page) <= 80  # was about 190 logged out, 215 logged in
        page.get_by_text("Menu", exact=True).click()
        expect(main_menu.get_by_role("link", name="Portal")).to_be_visible()
        expect(page.get_by_role("navigation", name="Account").get_by_role(
            "link", name="Log in")).to_be_visible()
        # The language choice is inside the menu and still a plain form.
        page.get_by_role("group", name="Language").get_by_role("button",
                                                                name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("navigation", name="Principal")).to_be_hidden()
    finally:
        context.close()


def test_phone_header_logged_in_opens_and_closes(page):
    log_in(page, "ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="English").click()  # Ana's own language is Spanish
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size(PHONE)
    page.goto("/")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()
    assert header_height(page) <= 80
    check_a11y(page, "header-phone-closed")
    menu = page.get_by_text("Menu", exact=True)
    menu.click()
    expect(log_out).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="TwinSpaces")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    check_a11y(page, "header-phone-open")
    menu.click()
    expect(log_out).to_be_hidden()


def test_wide_header_stays_on_one_line_logged_in(new_page):
    for who in ("ana.garcia@demo.opentwin.eu", "nss.es@demo.opentwin.eu"):
        page = new_page()
        page.set_viewport_size(DESKTOP)
        log_in(page, who)
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
        brand = page.get_by_role("link", name="OpenTwin — home").bounding_box()
        english = page.get_by_role("button", name="English").bounding_box()
        log_out = page.get_by_role("button", name="Log out").bounding_box()
        main = page.get_by_role("navigation", name="Main").bounding_box()
        for box in (english, log_out, main):
            # Same line as the brand: the boxes' vertical middles agree within a few pixels.
            assert abs((box["y"] + box["height"] / 2)
                       - (brand["y"] + brand["height"] / 2)) < 8, (who, box, brand)
        assert header_height(page) <= 70
        check_a11y(page, "header-wide-" + who.split("@")[0])
