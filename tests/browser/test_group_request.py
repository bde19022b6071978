"""Groups G-2/G-3 in a real browser: a validated teacher requests a group (and first sees her
mistakes next to the fields), central staff ask for more information, she changes the
request and answers, staff approve, and she lands in her active group. axe-core on every
page visited; screenshots of the form and the staff page at 1280 and 390 px."""

import re

from flask import url_for
from playwright.sync_api import expect

from models import Role
from services import groups
from tests.browser.conftest import check_a11y, snap_widths as shoot
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_user


def test_request_ask_resubmit_approve(app, new_page):
    teacher = make_user(name="Greta Green", email="greta@example.org")
    staff = make_user(Role.CSS, name="Cora Central", email="cora@example.org")
    with app.test_request_context():
        new_url, dashboard = url_for("groups.new"), url_for("admin.dashboard")
    keepers = groups.create(make_user(name="Kai Keeper"), title="European river keepers",
                            description="Cleaning river banks.", objectives="Clean banks.",
                            is_open=True, languages=["en"], topics="rivers, litter")
    groups.act(keepers, "approve", staff)

    greta = new_page()
    log_in(greta, teacher.email, PASSWORD)
    greta.goto(new_url)
    expect(greta.get_by_role("heading", level=1)).to_have_text("Request a group")
    expect(greta.get_by_text("description and the objectives in English")).to_be_visible()
    # G-1: as she types, a group like hers shows up; she looks, and goes on with her own.
    greta.get_by_label("Title").fill("Rivers of Europe")
    similar = greta.get_by_role("link", name=re.compile(
        r"^Join this group instead\s*: European river keepers$"))
    expect(similar).to_be_visible()
    greta.get_by_role("button", name="Send the request").click()
    expect(greta.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(greta.get_by_label("Title")).to_have_value("Rivers of Europe")
    check_a11y(greta, "group-request-errors")
    shoot(greta, "form-errors")

    greta.get_by_label("Description (in English)").fill("We study the rivers near our schools.")
    greta.get_by_label("Objectives (in English)").fill("Measure water quality together.")
    greta.get_by_label("By invitation: teachers ask or are invited").check()
    greta.get_by_label("English", exact=True).check()
    greta.get_by_label("Spanish", exact=True).check()
    greta.get_by_label("Topics").fill("rivers, water, science")
    greta.get_by_label("Welcome message").fill("Welcome, river friends!")
    check_a11y(greta, "group-request-form")
    shoot(greta, "form")
    greta.get_by_role("button", name="Send the request").click()
    expect(greta.get_by_role("heading", level=1)).to_have_text(
        "Group request: Rivers of Europe")
    expect(greta.get_by_text("Waiting for approval")).to_be_visible()
    check_a11y(greta, "group-request-pending")
    request_url = greta.url

    cora = new_page()
    log_in(cora, staff.email, PASSWORD)
    cora.goto(dashboard)
    cora.get_by_role("link", name=re.compile(r"^Group requests \(\d+ waiting\)$")).click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Group requests")
    check_a11y(cora, "group-queue")
    shoot(cora, "queue")
    cora.get_by_role("link", name="Rivers of Europe").click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Rivers of Europe")
    check_a11y(cora, "group-staff-page")
    shoot(cora, "staff-page")
    cora.get_by_role("button", name="Ask for more information").click()
    expect(cora.get_by_text("Please write a reason or a question").first).to_be_visible()
    check_a11y(cora, "group-staff-page-error")
    cora.get_by_label("Question for the creator").fill("Which countries will take part?")
    cora.get_by_role("button", name="Ask for more information").click()
    expect(cora.get_by_text("More information asked").first).to_be_visible()
    staff_url = cora.url

    greta.goto(request_url)
    expect(greta.get_by_text("Which countries will take part?")).to_be_visible()
    greta.get_by_label("Your answer to central staff").fill("Spain, Portugal and France.")
    greta.get_by_label("Title").fill("Rivers of Iberia and France")
    check_a11y(greta, "group-resubmit")
    shoot(greta, "resubmit")
    greta.get_by_role("button", name="Send again").click()
    expect(greta.get_by_role("heading", level=1)).to_have_text(
        "Group request: Rivers of Iberia and France")
    expect(greta.get_by_text("Spain, Portugal and France.")).to_be_visible()

    cora.goto(staff_url)
    expect(cora.get_by_text("Spain, Portugal and France.")).to_be_visible()
    cora.get_by_role("button", name="Approve").click()
    expect(cora.get_by_role("link", name="Open the group")).to_be_visible()
    check_a11y(cora, "group-staff-approved")

    greta.goto(request_url)
    greta.get_by_role("link", name="Go to the group").click()
    expect(greta.get_by_role("heading", level=1)).to_have_text("Rivers of Iberia and France")
    check_a11y(greta, "group-active-home")


def test_staff_create_a_featured_group_and_unmark_it(app, new_page):
    moderator = make_user(name="Mona Moderator", email="mona@example.org")
    staff = make_user(Role.CSS, name="Cora Central", email="cora@example.org")
    with app.test_request_context():
        queue = url_for("admin.groups")

    cora = new_page()
    log_in(cora, staff.email, PASSWORD)
    cora.goto(queue)
    cora.get_by_role("link", name="Create a featured group").click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Create a featured group")
    cora.get_by_label("Moderators' e-mail addresses").fill("nobody@example.org")
    cora.get_by_label("Title").fill("Climate teachers")
    cora.get_by_label("Description (in English)").fill("Teaching the climate.")
    cora.get_by_label("Objectives (in English)").fill("Share lessons.")
    cora.get_by_label("English", exact=True).check()
    cora.get_by_label("Topics").fill("climate")
    cora.get_by_role("button", name="Create the featured group").click()
    expect(cora.get_by_text("nobody@example.org is not the address of an active teacher")
           .first).to_be_visible()
    expect(cora.get_by_label("Title")).to_have_value("Climate teachers")
    check_a11y(cora, "group-featured-errors")
    shoot(cora, "featured-errors")
    cora.get_by_label("Moderators' e-mail addresses").fill(moderator.email)
    cora.get_by_role("button", name="Create the featured group").click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Climate teachers")
    expect(cora.get_by_text("Featured", exact=True)).to_be_visible()
    check_a11y(cora, "group-featured-created")
    cora.get_by_role("button", name="Unmark as featured").click()
    expect(cora.get_by_role("button", name="Mark as featured")).to_be_visible()
    check_a11y(cora, "group-featured-unmarked")
