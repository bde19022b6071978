"""T-11 videoconference in real browsers: Ana (teacher) and Lucía (pupil) open the rivers space's
Live page in two Chromium contexts, join the call with Chromium's fake camera and microphone,
and their WebRTC connection reaches "connected" with no STUN server, on 127.0.0.1. Ana mutes,
turns her camera off and on, shares her screen and leaves; Lucía sees her tile go.

Chromium needs --allow-loopback-in-peer-connection for a connection on 127.0.0.1 without ICE
servers, and on machines with another network interface `make test` runs this module inside a
loopback-only network namespace (TOOLCHAIN.md). This module launches its own Chromium with the
fake-media flags, through the session's Playwright. It never skips: no connection is a failure.
"""
import os

import pytest
from playwright.sync_api import expect

from models import Project, User
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, check_a11y, snap
from tests.browser.test_foundation import log_in

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              "--allow-loopback-in-peer-connection"]
ANA = "ana.garcia@demo.opentwin.eu"
LUCIA = "lucia.perez"
CONNECT_MS = 30_000


@pytest.fixture(scope="module")
def media_browser(browser, tmp_path_factory):
    home = tmp_path_factory.mktemp("chromium-media-home")
    media = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + MEDIA_ARGS,
                                        env={**os.environ, "HOME": str(home)})
    yield media
    media.close()


@pytest.fixture
def media_page(media_browser, live_server):
    contexts = []

    def _open():
        context = media_browser.new_context(base_url=live_server, locale="en-GB",
                                            timezone_id="UTC")
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: print(f"[{len(contexts)}] {msg.type}: {msg.text}"))
        return page
    yield _open
    for context in contexts:
        context.close()


def tile(page, user_id):
    return page.locator(f'figure.call-tile[data-user-id="{user_id}"]')


def call_status(page):
    return page.get_by_role("region", name="Video call").get_by_role("status")


def video_size(page, user_id):
    return page.evaluate("""(id) => {
        const v = document.querySelector(`figure[data-user-id="${id}"] video`);
        return v ? [v.videoWidth, v.videoHeight] : null; }""", user_id)


def test_two_people_meet_in_a_video_call_and_one_shares_her_screen_and_leaves(media_page):
    space_id = Project.get(Project.title == "Our rivers, year two").space.id
    ana_id, lucia_id = User.by_login(ANA).id, User.by_login(LUCIA).id
    live = f"/twinspaces/{space_id}/live"

    ana, lucia = media_page(), media_page()
    log_in(ana, ANA)
    log_in(lucia, LUCIA)
    for page in (ana, lucia):
        page.get_by_role("button", name="English").click()  # both accounts prefer Spanish
        page.goto(live)
        expect(page.get_by_role("heading", name="Video call")).to_be_visible()
        # With JavaScript the "calls need JavaScript" note gives way to the controls.
        expect(page.get_by_text("Video calls need JavaScript")).to_be_hidden()
        expect(page.get_by_text("No one is in the call.")).to_be_visible()

    ana.get_by_role("button", name="Start or join the call").click()
    expect(tile(ana, ana_id)).to_have_attribute("data-state", "local")
    expect(ana.get_by_role("button", name="Mute microphone")).to_be_focused()
    # Lucía, still outside, sees who is in the call.
    expect(lucia.get_by_text("In the call (1 of 6): Ana García.")).to_be_visible()
    lucia.get_by_role("button", name="Start or join the call").click()

    # The peer-to-peer connection is made both ways, and each sees the other's camera.
    expect(tile(ana, lucia_id)).to_have_attribute("data-state", "connected", timeout=CONNECT_MS)
    expect(tile(lucia, ana_id)).to_have_attribute("data-state", "connected", timeout=CONNECT_MS)
    expect(tile(ana, lucia_id).locator("figcaption")).to_have_text("Lucía Pérez")
    expect(tile(lucia, ana_id).locator("figcaption")).to_have_text("Ana García")
    expect(tile(ana, ana_id).locator("figcaption")).to_have_text("You (Ana García)")
    lucia.wait_for_function("""(id) => {
        const v = document.querySelector(`figure[data-user-id="${id}"] video`);
        return v && v.videoWidth > 0 && !v.paused; }""", arg=ana_id, timeout=CONNECT_MS)
    expect(call_status(ana)).to_have_text("Connected with Lucía Pérez.")
    expect(ana.get_by_text("In the call (2 of 6): You, Lucía Pérez.")).to_be_visible()
    check_a11y(ana, "live-call-ana")
    check_a11y(lucia, "live-call-lucia")

    # Microphone and camera: toggle buttons that say their state.
    mute = ana.get_by_role("button", name="Mute microphone")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    expect(call_status(ana)).to_have_text("Your microphone is muted.")
    camera = ana.get_by_role("button", name="Turn camera off")
    camera.press("Enter")  # the keyboard works as well as the mouse
    expect(camera).to_have_attribute("aria-pressed", "true")
    camera.press("Space")
    expect(camera).to_have_attribute("aria-pressed", "false")

    # Screen sharing: the fake capture replaces the camera in what Lucía receives.
    camera_size = video_size(lucia, ana_id)
    share = ana.get_by_role("button", name="Share screen")
    share.click()
    expect(share).to_have_attribute("aria-pressed", "true")
    expect(call_status(ana)).to_have_text("You are sharing your screen.")
    expect(tile(ana, ana_id)).to_have_class("call-tile call-tile--own call-tile--screen")
    lucia.wait_for_function("""([id, w, h]) => {
        const v = document.querySelector(`figure[data-user-id="${id}"] video`);
        return v.videoWidth > 0 && (v.videoWidth !== w || v.videoHeight !== h); }""",
                            arg=[ana_id, *camera_size], timeout=CONNECT_MS)
    snap(lucia, "live-call-screen-shared")
    share.click()
    expect(share).to_have_attribute("aria-pressed", "false")
    lucia.wait_for_function("""([id, w, h]) => {
        const v = document.querySelector(`figure[data-user-id="${id}"] video`);
        return v.videoWidth === w && v.videoHeight === h; }""",
                            arg=[ana_id, *camera_size], timeout=CONNECT_MS)

    # Ana leaves: her tile goes from Lucía's screen, and Lucía is told.
    ana.get_by_role("button", name="Leave the call").click()
    expect(call_status(ana)).to_have_text("You left the call.")
    expect(ana.locator("figure.call-tile")).to_have_count(0)
    expect(ana.get_by_role("button", name="Start or join the call")).to_be_focused()
    expect(tile(lucia, ana_id)).to_have_count(0)
    expect(call_status(lucia)).to_have_text("Ana García left the call.")
    expect(lucia.get_by_text("In the call (1 of 6): You.")).to_be_visible()
    check_a11y(lucia, "live-call-after-leave")


def test_three_people_joining_at_once_are_all_connected_to_each_other(media_page):
    """The mesh: every pair gets its own connection, also when all click at the same time."""
    space_id = Project.get(Project.title == "Our rivers, year two").space.id
    people = [ANA, LUCIA, "giulia.rossi@demo.opentwin.eu"]
    ids = [User.by_login(who).id for who in people]
    pages = []
    for who in people:
        page = media_page()
        log_in(page, who)
        page.get_by_role("button", name="English").click()
        page.goto(f"/twinspaces/{space_id}/live")
        pages.append(page)
    for page in pages:
        page.get_by_role("button", name="Start or join the call").click()
    for i, page in enumerate(pages):
        for j, user_id in enumerate(ids):
            if i != j:
                expect(tile(page, user_id)).to_have_attribute("data-state", "connected",
                                                              timeout=CONNECT_MS)
    expect(pages[0].get_by_text("In the call (3 of 6): You, Giulia Rossi, Lucía Pérez.")) \
        .to_be_visible()
    # Closing the page (not the Leave button) also takes Lucía out of the call.
    pages[1].close()
    for page in (pages[0], pages[2]):
        expect(tile(page, ids[1])).to_have_count(0)
        expect(call_status(page)).to_have_text("Lucía Pérez left the call.")


def test_a_teacher_points_the_space_at_a_larger_meeting_room(media_page):
    space_id = Project.get(Project.title == "Our rivers, year two").space.id
    ana = media_page()
    log_in(ana, ANA)
    ana.get_by_role("button", name="English").click()
    ana.goto(f"/twinspaces/{space_id}/settings")
    field = ana.get_by_label("Larger meeting room (optional)")
    field.fill("http://meet.jit.si/OpenTwin-Rivers-7f3k")
    ana.get_by_role("button", name="Save the settings").click()
    expect(ana.locator("[data-error-summary]")).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("http://meet.jit.si/OpenTwin-Rivers-7f3k")
    expect(ana.locator("#meeting_url-error")).to_contain_text("starting with https://")
    check_a11y(ana, "settings-meeting-url-error")
    field.fill("https://meet.jit.si/OpenTwin-Rivers-7f3k")
    ana.get_by_role("button", name="Save the settings").click()
    expect(ana.get_by_text("The settings are saved.")).to_be_visible()
    ana.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Chat and calls").click()
    link = ana.get_by_role("link", name="Join the larger meeting room (opens meet.jit.si)")
    expect(link).to_have_attribute("href", "https://meet.jit.si/OpenTwin-Rivers-7f3k")
    check_a11y(ana, "live-with-meeting-room")
