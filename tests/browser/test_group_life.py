"""A group's life in a real browser (G-4, G-5): its moderator completes the start checklist
(welcome and image in the settings, two pages, the ice-breaker, a first discussion: the ticks
appear), a second teacher joins the open group from its home and is welcomed, a third asks to
join once it is by invitation and the moderator accepts. axe-core on every page visited;
screenshots at 1280 and 390 px wide in /work/shots/grp-life."""
import io

from flask import url_for
from PIL import Image
from playwright.sync_api import expect

from models import Group, Space
from tests.browser.conftest import check_a11y, rich_text, snap_widths as shots
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_space, make_user


def done(page, key):
    expect(page.locator(f"#check-{key}")).to_contain_text("Done")


def test_moderator_starts_well_teachers_join_and_ask(app, new_page, tmp_path, space_url):
    moderator = make_user(name="Marta Moderadora")
    space = make_space(moderator, "group", title="Rivers of Europe")
    second, third = make_user(name="Tomás Segundo"), make_user(name="Teresa Tercera")
    image = tmp_path / "river.png"
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 200)).save(out, "PNG")
    image.write_bytes(out.getvalue())
    with app.test_request_context():
        ask_url = url_for("groups.ask", space_id=space.id)

    mod = new_page()
    log_in(mod, moderator.email, PASSWORD)
    mod.goto(space_url(space, "home"))
    expect(mod.get_by_role("heading", name="Start well")).to_be_visible()
    expect(mod.locator("#check-welcome")).to_contain_text("To do")
    check_a11y(mod, "group-home-new")
    shots(mod, "home-new")

    # Welcome, image and openness in the group settings.
    mod.get_by_role("link", name="Write a welcome message").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Group settings")
    check_a11y(mod, "group-settings")
    shots(mod, "settings")
    mod.get_by_label("Welcome message").fill("Welcome! Introduce yourself in the forum.")
    mod.get_by_label("English", exact=True).check()
    mod.get_by_label("Open: any teacher joins at once").check()
    mod.get_by_label("Objectives (in English)").fill("Compare the rivers near our schools.")
    mod.get_by_label("Topics").fill("rivers, maps")
    mod.get_by_label("Image").set_input_files(str(image))
    mod.get_by_role("button", name="Save the settings").click()
    expect(mod.get_by_role("status")).to_contain_text("The settings are saved")
    nav = mod.get_by_role("navigation", name="In this group")
    nav.get_by_role("link", name="Home").click()
    done(mod, "welcome")
    done(mod, "image")

    # Two pages.
    for title in ("Our rivers", "Our schools"):
        mod.get_by_role("link", name="Write at least two pages").click()
        mod.get_by_label("Title").fill(title)
        rich_text(mod, "Text").fill(f"{title}: a first note.")
        mod.get_by_role("button", name="Save the page").click()
        expect(mod.get_by_role("heading", level=1)).to_have_text(title)
        nav.get_by_role("link", name="Home").click()
    done(mod, "pages")

    # The ice-breaker, from its suggestion.
    mod.get_by_role("link", name="Start an ice-breaker").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Start an ice-breaker")
    expect(mod.get_by_label("Title of the discussion")).to_have_value("Introduce yourself")
    check_a11y(mod, "group-ice-breaker")
    shots(mod, "ice-breaker")
    mod.get_by_role("button", name="Start the ice-breaker").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Introduce yourself")
    nav.get_by_role("link", name="Home").click()
    done(mod, "ice_breaker")

    # A first discussion besides it.
    mod.get_by_role("link", name="Start a first discussion").click()
    mod.get_by_role("link", name="General").first.click()
    mod.get_by_role("link", name="Start a discussion").click()
    mod.get_by_label("Title").fill("Maps of our rivers")
    rich_text(mod, "First message").fill("Share a map of the river near your school.")
    mod.get_by_role("button", name="Start the discussion").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Maps of our rivers")
    nav.get_by_role("link", name="Home").click()
    for key in ("image", "welcome", "pages", "ice_breaker", "discussion"):
        done(mod, key)
    check_a11y(mod, "group-home-started")
    shots(mod, "home-started")

    # A second teacher joins the open group from its home and is welcomed.
    tomas = new_page()
    log_in(tomas, second.email, PASSWORD)
    tomas.goto(space_url(space, "home"))
    check_a11y(tomas, "group-home-visitor")
    shots(tomas, "home-visitor")
    tomas.get_by_role("button", name="Join this group").click()
    expect(tomas.get_by_role("status")).to_contain_text("Introduce yourself in the forum")
    expect(tomas.get_by_role("link", name="Leave the group")).to_be_visible()
    check_a11y(tomas, "group-home-joined")
    shots(tomas, "home-joined")

    # By invitation from now on: a third teacher asks, the moderator accepts.
    Group.update(is_open=False).where(Group.space == space).execute()
    teresa = new_page()
    log_in(teresa, third.email, PASSWORD)
    teresa.goto(ask_url)
    expect(teresa.get_by_role("heading", level=1)).to_contain_text("Ask to join")
    check_a11y(teresa, "group-ask")
    shots(teresa, "ask")
    teresa.get_by_label("Message to the moderators (optional)").fill(
        "I teach geography in Porto.")
    teresa.get_by_role("button", name="Send the request").click()
    expect(teresa.get_by_role("status")).to_contain_text("Your request is sent")

    mod.reload()
    nav.get_by_role("link", name="Requests to join").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Requests to join")
    expect(mod.get_by_text("I teach geography in Porto.")).to_be_visible()
    check_a11y(mod, "group-requests")
    shots(mod, "requests")
    mod.get_by_role("button", name="Accept — Teresa Tercera").click()
    expect(mod.get_by_role("status")).to_contain_text("Teresa Tercera is now a member")
    nav.get_by_role("link", name="Members").click()
    expect(mod.get_by_role("rowheader", name="Teresa Tercera")).to_be_visible()
    check_a11y(mod, "group-members")
    shots(mod, "members")

    teresa.goto(space_url(Space.get_by_id(space.id), "home"))
    expect(teresa.get_by_role("heading", level=1)).to_have_text("Rivers of Europe")
    expect(teresa.get_by_role("heading", name="Welcome")).to_be_visible()


def test_an_invited_teacher_accepts_and_a_member_leaves(app, new_page, space_url):
    moderator = make_user(name="Marta Moderadora")
    space = make_space(moderator, "group", title="Lakes of Europe")
    invited = make_user(name="Iván Invitado")
    with app.test_request_context():
        invitations_url = url_for("groups.invitations")

    mod = new_page()
    log_in(mod, moderator.email, PASSWORD)
    mod.goto(space_url(space, "members"))
    mod.get_by_role("link", name="Invite a teacher").click()
    check_a11y(mod, "group-invite")
    mod.get_by_label("E-mail address of the teacher").fill(invited.email)
    mod.get_by_role("button", name="Send invitation").click()
    expect(mod.get_by_role("status")).to_contain_text("Invitation sent to Iván Invitado")

    ivan = new_page()
    log_in(ivan, invited.email, PASSWORD)
    ivan.goto(invitations_url)
    expect(ivan.get_by_role("heading", name="Lakes of Europe")).to_be_visible()
    check_a11y(ivan, "group-invitations")
    shots(ivan, "invitations")
    ivan.get_by_role("button", name="Accept — Lakes of Europe").click()
    expect(ivan.get_by_role("heading", level=1)).to_have_text("Lakes of Europe")
    expect(ivan.get_by_role("status")).to_contain_text("You are now a member of the group")

    # Leaving asks first.
    ivan.get_by_role("link", name="Leave the group").click()
    expect(ivan.get_by_role("heading", level=1)).to_contain_text("Leave")
    check_a11y(ivan, "group-leave")
    shots(ivan, "leave")
    ivan.get_by_role("button", name="Yes, leave the group").click()
    expect(ivan.get_by_role("status")).to_contain_text("You left the group")
