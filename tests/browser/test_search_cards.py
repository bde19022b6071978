"""Issue 10.16 in a real browser: a visitor, then a member, search for teachers and see
what each teacher shows them (subjects, pupil ages, languages, photo); axe-core on each."""
from flask import url_for
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


def _card(page, name):
    return page.locator("#results li").filter(has=page.get_by_role("link", name=name,
                                                                   exact=True))


def test_visitor_and_member_see_what_teachers_show_in_the_results(app, new_page):
    with app.test_request_context():
        connect = url_for("portal.connect")
    visitor = new_page()
    visitor.goto(connect)
    visitor.get_by_label("Keywords").fill("Claire")
    expect(visitor.get_by_role("heading", name="1 result")).to_be_visible()
    claire = _card(visitor, "Claire Dubois")
    expect(claire.get_by_role("definition").filter(has_text="Foreign languages")).to_be_visible()
    expect(claire.get_by_text("12 to 15 years")).to_be_visible()
    expect(claire.get_by_text("English, Spanish, French")).to_be_visible()
    photo = claire.locator("img")
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0",
                              arg=photo.element_handle())
    assert "/w160" in photo.get_attribute("src")
    check_a11y(visitor, "connect-cards-visitor")
    # Olena keeps her photo and languages for members.
    visitor.get_by_label("Keywords").fill("Olena")
    olena = _card(visitor, "Olena Kovalenko")
    expect(olena.get_by_text("12 to 15 years")).to_be_visible()
    expect(olena.locator("img")).to_have_count(0)
    expect(olena.get_by_text("Ukrainian")).to_have_count(0)

    member = new_page()
    log_in(member, "giulia.rossi@demo.opentwin.eu")
    member.goto(connect)
    member.get_by_label("Keywords").fill("Olena")
    olena = _card(member, "Olena Kovalenko")
    expect(olena.get_by_text("English, Polish, Ukrainian")).to_be_visible()
    expect(olena.locator("img")).to_have_count(1)
    olena.locator("img").scroll_into_view_if_needed()
    member.wait_for_function("img => img.complete && img.naturalWidth > 0",
                             arg=olena.locator("img").element_handle())
    check_a11y(member, "connect-cards-member")
