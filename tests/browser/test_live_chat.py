"""T-11 in a real browser: Ana (teacher) and Lucía (pupil) in two Chromium contexts in the
rivers space's Live room — each sees the other arrive, they exchange chat messages that appear
without a reload, Ana asks a question and sees Lucía's vote counted live. axe-core on each."""
import os

import pytest
from playwright.sync_api import expect

from models import ChatMessage, Poll, PollVote, Project, User
from services import chat, realtime
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in


@pytest.fixture
def app(make_app):
    """Live events on their own Redis prefix (when REDIS_URL is set), as in the view tests."""
    app = make_app(REALTIME_PREFIX=f"test:{os.urandom(6).hex()}:")
    yield app
    realtime = app.extensions.get("opentwin_realtime")
    if realtime is not None:
        realtime.close()


def enter_room(page, login, space_id):
    log_in(page, login)
    page.get_by_role("button", name="English").click()
    page.goto(f"/twinspaces/{space_id}/")
    page.get_by_role("navigation", name="In this TwinSpace").get_by_role(
        "link", name="Chat and calls").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chat and calls")
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()


def test_two_people_chat_and_vote_live(new_page, monkeypatch):
    space = Project.get(Project.title == "Our rivers, year two").space
    space_id = space.id
    ana_user = User.by_login("ana.garcia@demo.opentwin.eu")
    for n in range(55):
        chat.post_message(space_id, ana_user.id, f"Earlier line {n}")
    ana, lucia = new_page(), new_page()
    errors = []
    for page in (ana, lucia):
        page.on("pageerror", lambda error: errors.append(str(error)))
    enter_room(ana, "ana.garcia@demo.opentwin.eu", space_id)
    # The latest 50 are shown; older ones come over the socket, without leaving the page.
    log_ana = ana.get_by_role("log")
    expect(log_ana).to_contain_text("Earlier line 54")
    expect(log_ana.get_by_text("Earlier line 4", exact=True)).to_have_count(0)
    older = ana.get_by_role("link", name="Load older messages")
    older.click()
    expect(log_ana.get_by_text("Earlier line 0", exact=True)).to_have_count(1)
    expect(log_ana.get_by_text("Earlier line 4", exact=True)).to_have_count(1)
    expect(older).to_be_hidden()
    assert "before=" not in ana.url
    # The demo's chat lines and poll are not part of this conversation.
    ChatMessage.delete().execute()
    Poll.delete().execute()
    ana.reload()
    expect(ana.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    enter_room(lucia, "lucia.perez", space_id)
    people = ana.get_by_role("region", name="In the room")
    expect(people.get_by_role("listitem")).to_have_text(["Ana García", "Lucía Pérez"])
    check_a11y(ana, "live-teacher")

    # Ana writes and sends with Enter; focus stays in the field, Lucía sees it arrive.
    field = ana.get_by_label("Message")
    field.fill("Hello <b>everybody</b>, ready to compare?")
    field.press("Enter")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    log_lucia = lucia.get_by_role("log")
    expect(log_lucia).to_contain_text("Hello <b>everybody</b>, ready to compare?")
    assert lucia.locator(".chat-body b").count() == 0  # text, never HTML

    # Lucía answers with the Send button; Ana sees it without a reload.
    lucia.get_by_label("Message").fill("Yes! Our pH was 7.4.")
    lucia.get_by_role("button", name="Send").click()
    expect(ana.get_by_role("log")).to_contain_text("Yes! Our pH was 7.4.")
    assert ChatMessage.select().count() == 2

    # Only teachers see the question form; Ana asks, Lucía votes, Ana sees the count change.
    expect(lucia.get_by_role("heading", name="Ask a question")).to_have_count(0)
    ask = ana.get_by_role("region", name="Ask a question")
    ask.get_by_label("Question").fill("Which day for the next call?")
    ask.get_by_label("Option 1").fill("Tuesday")
    ask.get_by_label("Option 2").fill("Thursday")
    ask.get_by_role("button", name="Ask the question").click()
    expect(ask.get_by_label("Question")).to_have_value("")
    poll_lucia = lucia.get_by_role("group", name="Which day for the next call?")
    expect(poll_lucia).to_be_visible()
    check_a11y(lucia, "live-pupil-poll")
    poll_lucia.get_by_role("button", name="Vote: Thursday").click()
    mine = poll_lucia.get_by_role("listitem").filter(has_text="Thursday")
    expect(mine.get_by_text("(your vote)")).to_be_visible()
    poll_ana = ana.get_by_role("group", name="Which day for the next call?")
    thursday = poll_ana.get_by_role("listitem").filter(has_text="Thursday")
    expect(thursday).to_contain_text("1 vote")
    expect(poll_ana).to_contain_text("Total votes: 1")
    assert PollVote.select().count() == 1
    # She changes her mind: the counts follow on Ana's screen.
    poll_lucia.get_by_role("button", name="Vote: Tuesday").click()
    expect(poll_ana.get_by_role("listitem").filter(has_text="Tuesday")).to_contain_text("1 vote")
    expect(thursday).to_contain_text("0 votes")
    check_a11y(ana, "live-teacher-poll")

    # A big room names its first people and counts the others (here: one name is shown).
    monkeypatch.setattr(realtime, "PRESENCE_SHOWN", 1)
    lucia.reload()
    expect(lucia.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    expect(people).to_contain_text("and 1 more person")
    expect(people.get_by_role("listitem")).to_have_text(["Ana García"])

    # Lucía leaves: Ana's list of people follows.
    lucia.context.close()
    expect(people.get_by_role("listitem")).to_have_text(["Ana García"])
    expect(people.get_by_text("more person")).to_be_hidden()
    assert errors == []
