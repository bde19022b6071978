"""T-11 videoconference: the server's part of the call (who is in it, passing signals only
between participants of the same space's call, limits), the ICE server setting, the call panel,
and the space's link to a larger meeting room (Jitsi/BigBlueButton) in the settings."""
import pytest
from flask import g, render_template
from flask_login import login_user

from app import _ice_servers
from blueprints.spaces import call
from models import Space, SpaceRole
from services import spaces
from tests.factories import make_user
from tests.views.test_twinspace import make_space


class FakePresence:
    """The contract's realtime.Presence, in memory: entries per connection, people per user
    sorted by name (as services.realtime does)."""

    def __init__(self):
        self.entries = {}

    def add(self, space_id, conn_id, user_id, user_name):
        self.entries[(space_id, conn_id)] = (user_id, user_name)

    def remove(self, space_id, conn_id):
        self.entries.pop((space_id, conn_id), None)

    def people(self, space_id):
        seen = {}
        for (sid, _conn), (uid, name) in self.entries.items():
            if sid == space_id:
                seen.setdefault(uid, {"id": uid, "name": name})
        return sorted(seen.values(), key=lambda p: (p["name"].casefold(), p["id"]))


class Room:
    """What every socket of one server would receive: frames published, with their target."""

    def __init__(self):
        self.published = []

    def frames(self, type_, to_user="any"):
        return [f for f, to in self.published
                if f["type"] == type_ and (to_user == "any" or to == to_user)]


class FakeCtx:
    """The contract's per-connection ctx API."""

    def __init__(self, room, user_id, name, space_id=1):
        self.room, self.user_id, self.user_name, self.space_id = room, user_id, name, space_id
        self.state, self.sent, self.errors = {}, [], []

    def send(self, frame):
        self.sent.append(frame)

    def publish(self, frame, to_user=None):
        self.room.published.append((frame, to_user))

    def error(self, code, text):
        self.errors.append((code, str(text)))


@pytest.fixture
def presence(app, monkeypatch):
    fake = FakePresence()
    monkeypatch.setattr(call, "_presence", fake)
    with app.test_request_context():
        yield fake


def people(ctx):
    return [(p["id"], p["name"]) for p in call.participants(ctx.space_id)]


def test_joining_and_leaving_announce_the_participants_to_the_room(presence):
    room = Room()
    ana, lucia = FakeCtx(room, 1, "Ana"), FakeCtx(room, 2, "Lucía")
    call.on_call_join(ana, {"type": "call_join"})
    call.on_call_join(lucia, {"type": "call_join"})
    assert room.frames("call")[-1] == {"type": "call", "participants": [
        {"id": 1, "name": "Ana"}, {"id": 2, "name": "Lucía"}]}
    assert all(to is None for _f, to in room.published)  # to the whole room
    # Repeated while in the call, joining only keeps one's place: nothing is announced.
    count = len(room.published)
    call.on_call_join(ana, {"type": "call_join"})
    assert len(room.published) == count and ana.errors == [] and len(presence.entries) == 2
    # Asking who is in the call answers this socket only.
    watcher = FakeCtx(room, 3, "Eva")
    call.on_call_state(watcher, {"type": "call_state"})
    assert watcher.sent == [{"type": "call", "participants": [
        {"id": 1, "name": "Ana"}, {"id": 2, "name": "Lucía"}]}]
    call.on_call_leave(ana, {"type": "call_leave"})
    assert room.frames("call")[-1]["participants"] == [{"id": 2, "name": "Lucía"}]
    # Closing the socket takes one out of the call too; a second close changes nothing.
    call.on_call_disconnect(lucia)
    assert room.frames("call")[-1]["participants"] == []
    count = len(room.published)
    call.on_call_disconnect(lucia)
    call.on_call_disconnect(watcher)  # never joined
    assert len(room.published) == count and presence.entries == {}


def test_calls_of_two_spaces_are_apart(presence):
    room = Room()
    call.on_call_join(FakeCtx(room, 1, "Ana", space_id=1), {})
    call.on_call_join(FakeCtx(room, 9, "Otto", space_id=2), {})
    assert people(FakeCtx(room, 1, "Ana", space_id=1)) == [(1, "Ana")]
    assert people(FakeCtx(room, 9, "Otto", space_id=2)) == [(9, "Otto")]


def test_the_seventh_person_is_told_the_call_is_full(presence):
    room = Room()
    for user_id in range(1, 7):
        call.on_call_join(FakeCtx(room, user_id, f"P{user_id}"), {})
    seventh = FakeCtx(room, 7, "P7")
    call.on_call_join(seventh, {})
    assert seventh.errors == [
        ("call_full", "The call is full (6 people). Use the larger meeting room.")]
    assert len(people(seventh)) == 6 and not seventh.state.get("in_call")
    # The same person in a second window cannot take a second place.
    again = FakeCtx(room, 1, "P1")
    call.on_call_join(again, {})
    assert again.errors[0][0] == "call_elsewhere"


def test_a_signal_reaches_only_its_target(presence):
    room = Room()
    ana, lucia, eva = FakeCtx(room, 1, "Ana"), FakeCtx(room, 2, "Lucía"), FakeCtx(room, 3, "Eva")
    for ctx in (ana, lucia, eva):
        call.on_call_join(ctx, {})
    offer = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
    call.on_signal(ana, {"type": "signal", "to": 2, "data": offer})
    candidates = {"candidates": [{"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                                  "sdpMid": "0", "sdpMLineIndex": 0}, None]}
    call.on_signal(lucia, {"type": "signal", "to": 1, "data": candidates})
    assert ana.errors == [] and lucia.errors == []
    assert room.frames("signal", to_user=2) == [{"type": "signal", "from": 1, "data": offer}]
    assert room.frames("signal", to_user=1) == [
        {"type": "signal", "from": 2, "data": candidates}]
    assert room.frames("signal", to_user=3) == [] and room.frames("signal", to_user=None) == []


@pytest.mark.parametrize("frame, code", [
    ({"to": 5, "data": {"candidate": None}}, "bad_signal"),          # not in the call
    ({"to": 1, "data": {"candidate": None}}, "bad_signal"),          # oneself
    ({"to": "2", "data": {"candidate": None}}, "bad_signal"),        # not an id
    ({"to": True, "data": {"candidate": None}}, "bad_signal"),
    ({"data": {"candidate": None}}, "bad_signal"),
    ({"to": 2, "data": "offer"}, "bad_signal"),                     # not an object
    ({"to": 2}, "bad_signal"),
    ({"to": 2, "data": {"description": {"type": "offer", "sdp": "a" * 70_000}}},
     "signal_too_large"),
])
def test_bad_signals_are_refused_with_an_error_frame(presence, frame, code):
    room = Room()
    ana, lucia = FakeCtx(room, 1, "Ana"), FakeCtx(room, 2, "Lucía")
    call.on_call_join(ana, {})
    call.on_call_join(lucia, {})
    outsider = FakeCtx(room, 5, "Otto")  # in the room, not in the call
    call.on_signal(ana, {"type": "signal", **frame})
    assert [c for c, _t in ana.errors] == [code]
    assert room.frames("signal") == [] and outsider.sent == []


def test_only_people_in_the_call_may_signal(presence):
    room = Room()
    call.on_call_join(FakeCtx(room, 2, "Lucía"), {})
    outsider = FakeCtx(room, 5, "Otto")
    call.on_signal(outsider, {"type": "signal", "to": 2, "data": {"candidate": None}})
    assert outsider.errors[0][0] == "not_in_call" and room.frames("signal") == []
    # A participant of another space's call cannot reach this one by guessing the id.
    other = FakeCtx(room, 9, "Max", space_id=2)
    call.on_call_join(other, {})
    call.on_signal(other, {"type": "signal", "to": 2, "data": {"candidate": None}})
    assert other.errors[0][0] == "bad_signal" and room.frames("signal") == []


def test_the_handlers_are_registered_on_the_room_socket_and_share_presence():
    """Call participants live in the shared realtime.Presence("call") (all processes see it)."""
    from blueprints.spaces import live_socket
    from services import realtime
    call._presence = None
    assert isinstance(call.presence(), realtime.Presence)
    assert live_socket.ROOM.get("call_join") is call.on_call_join
    assert live_socket.ROOM.get("call_leave") is call.on_call_leave
    assert live_socket.ROOM.get("call_state") is call.on_call_state
    assert live_socket.ROOM.get("signal") is call.on_signal
    assert call.on_call_disconnect in live_socket.ROOM.closing


def test_the_call_works_on_the_real_shared_presence(app, monkeypatch):
    monkeypatch.setattr(call, "_presence", None)
    room = Room()
    ana, lucia = FakeCtx(room, 1, "Ana"), FakeCtx(room, 2, "Lucía")
    with app.test_request_context():
        call.on_call_join(ana, {})
        call.on_call_join(lucia, {})
        assert people(ana) == [(1, "Ana"), (2, "Lucía")]
        call.on_call_disconnect(ana)
        assert room.frames("call")[-1]["participants"] == [{"id": 2, "name": "Lucía"}]
        call.on_call_leave(lucia, {})
        assert people(ana) == []


def test_ice_servers_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("ICE_SERVERS_JSON", raising=False)
    assert _ice_servers() == []
    turn = '[{"urls": "turn:turn.example.org:3478", "username": "u", "credential": "p"}]'
    monkeypatch.setenv("ICE_SERVERS_JSON", turn)
    assert _ice_servers()[0]["urls"] == "turn:turn.example.org:3478"
    for bad in ("{not json", '{"urls": "stun:x"}', '[{"username": "u"}]'):
        monkeypatch.setenv("ICE_SERVERS_JSON", bad)
        with pytest.raises(ValueError, match="ICE_SERVERS_JSON"):
            _ice_servers()


def test_the_call_panel_carries_ice_servers_and_says_what_it_needs(app):
    teacher = make_user(name="Ana <b>")
    space = make_space(teacher)
    space.meeting_url = "https://meet.jit.si/rivers?x=1&y=2"
    app.config["ICE_SERVERS"] = [{"urls": "stun:stun.example.org:3478"}]
    with app.test_request_context():
        login_user(teacher)
        g.space = space
        html = render_template("spaces/_call.html")
    assert "data-ice-servers='[{\"urls\": \"stun:stun.example.org:3478\"}]'" in html
    assert "Video calls need JavaScript and a camera or microphone" in html
    assert 'href="https://meet.jit.si/rivers?x=1&amp;y=2"' in html
    assert "Join the larger meeting room (opens meet.jit.si)" in html
    assert 'data-me-name="Ana &lt;b&gt;"' in html
    space.meeting_url = ""
    with app.test_request_context():
        login_user(teacher)
        g.space = space
        assert "larger meeting room" not in render_template("spaces/_call.html")


def _settings(client, space, url):
    return client.post(f"/twinspaces/{space.id}/settings", data={
        "title": "Rivers", "theme": "blue", "meeting_url": url})


def test_teachers_point_the_space_at_a_larger_meeting_room(client, login):
    teacher = make_user()
    space = make_space(teacher)
    login(teacher)
    assert _settings(client, space, "https://bbb.school.example/b/ana-x7k").status_code == 303
    assert Space.get_by_id(space.id).meeting_url == "https://bbb.school.example/b/ana-x7k"
    page = client.get(f"/twinspaces/{space.id}/settings").get_data(as_text=True)
    assert 'value="https://bbb.school.example/b/ana-x7k"' in page
    for bad in ("http://meet.jit.si/rivers", "javascript:alert(1)", "meet.jit.si/rivers",
                "https://", "https://user@evil.example/", "https://" + "a" * 500 + ".org"):
        response = _settings(client, space, bad)
        assert response.status_code == 422, bad
        html = response.get_data(as_text=True)
        assert 'id="meeting_url-error"' in html and 'aria-invalid="true"' in html
    assert "starting with https://" in _settings(client, space, "http://x.org").get_data(
        as_text=True)
    assert "at most 500 characters" in _settings(
        client, space, "https://" + "a" * 500 + ".org").get_data(as_text=True)
    assert Space.get_by_id(space.id).meeting_url == "https://bbb.school.example/b/ana-x7k"
    assert _settings(client, space, "").status_code == 303  # emptied: no link
    assert Space.get_by_id(space.id).meeting_url == ""


def test_only_teachers_of_the_space_set_the_meeting_room(client, login):
    teacher = make_user()
    space = make_space(teacher)
    pupil = make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    login(pupil)
    assert _settings(client, space, "https://meet.jit.si/x").status_code in (403, 404)
    client.post("/auth/logout")
    login(make_user())  # a teacher of no space here
    assert _settings(client, space, "https://meet.jit.si/x").status_code == 404
    assert Space.get_by_id(space.id).meeting_url == ""


def test_the_live_page_offers_the_call_and_the_larger_room_without_javascript(client, login):
    teacher = make_user()
    space = make_space(teacher)
    pupil = make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    Space.update(meeting_url="https://meet.jit.si/OpenTwin-Rivers-7f3k").where(
        Space.id == space.id).execute()
    login(pupil)
    html = client.get(f"/twinspaces/{space.id}/live").get_data(as_text=True)
    assert "Video calls need JavaScript and a camera or microphone" in html
    assert ('<a href="https://meet.jit.si/OpenTwin-Rivers-7f3k" rel="noopener noreferrer">'
            "Join the larger meeting room (opens meet.jit.si)</a>") in html
    assert "data-ice-servers='[]'" in html and "js/call.js" in html
    client.post("/auth/logout")
    login(make_user())  # not a member: no room, no call
    assert client.get(f"/twinspaces/{space.id}/live").status_code == 404
