"""T-11, the live room: the page, posting, asking and voting as normal forms (no JavaScript),
who may do what (404 for other spaces, their polls and options), `flask maintenance`; then the
WebSocket against a real server (werkzeug, threaded, in this process): Origin, membership on
connect, on every frame and while idle, log-out, bad frames, floods, fan-out, presence, polls.
The socket helpers here are shared with tests/integration and the bench's approach."""
import datetime
import json
import os
import time

import pytest
from simple_websocket import Client, ConnectionClosed
from simple_websocket import ConnectionError as HandshakeRefused
from tests.conftest import serving

from models import ChatMessage, Poll, PollOption, PollVote, SpaceRole, utcnow
from services import chat, spaces
from blueprints.spaces import parents
from tests.factories import make_space, make_user
from tests.payloads import XSS


@pytest.fixture
def app(make_app):
    """An app whose live events have their own Redis prefix (when REDIS_URL is set)."""
    app = make_app(REALTIME_PREFIX=f"test:{os.urandom(6).hex()}:", LIVE_RECHECK_SECONDS=0.5)
    yield app
    realtime = app.extensions.get("opentwin_realtime")
    if realtime is not None:
        realtime.close()


@pytest.fixture
def cast(space_kind):
    """The room of a space of each kind in turn (the chat is shared: proven in both)."""
    teacher = make_user()
    space = make_space(teacher, space_kind)
    pupil, guest, outsider = make_user("student"), make_user("visitor"), make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    other_teacher = make_user()
    other = make_space(other_teacher, space_kind, title="Birds")
    spaces.join(other, outsider, SpaceRole.STUDENT)
    return dict(space=space, teacher=teacher, pupil=pupil, guest=guest, outsider=outsider,
                other=other, other_teacher=other_teacher)


def base(space):
    """Where the space's pages live, under its own parent."""
    return f"{parents.of(space).blueprint.url_prefix}/{space.id}"


def url(space, rest=""):
    return f"{base(space)}/live{rest}"


def as_user(client, login, user):
    client.post("/auth/logout")
    login(user)


def ask(space, teacher, question="Best day?", options=("Monday", "Friday")):
    return chat.create_poll(space.id, teacher.id, question, list(options))


# --- The page and the no-JS forms ---------------------------------------------------------------

def test_the_room_is_for_members_only(client, login, cast):
    space = cast["space"]
    message = ask(space, cast["teacher"])
    option = PollOption.get(PollOption.poll == message.poll_id)
    assert client.get(url(space)).status_code in (302, 303)  # anonymous: log in first
    login(cast["outsider"])
    assert client.get(url(space)).status_code == 404
    assert client.post(url(space, "/messages"), data={"body": "hi"}).status_code == 404
    assert client.post(url(space, "/polls"), data={
        "question": "Q", "option_1": "a", "option_2": "b"}).status_code == 404
    assert client.post(url(space, f"/polls/{message.poll_id}/vote"),
                       data={"option": option.id}).status_code == 404
    assert ChatMessage.select().count() == 1 and PollVote.select().count() == 0
    assert client.get(url(cast["other"])).status_code == 200


def test_member_reads_history_escaped_and_pages_back_to_the_start(client, login, cast):
    space, pupil = cast["space"], cast["pupil"]
    first = chat.post_message(space.id, cast["teacher"].id, XSS[0])
    for n in range(1, 60):
        chat.post_message(space.id, pupil.id, f"line {n}")
    chat.post_message(cast["other"].id, cast["other_teacher"].id, "secret of another space")
    login(pupil)
    html = client.get(url(space)).get_data(as_text=True)
    assert "line 59" in html and "line 10" in html and "line 9<" not in html
    assert "secret of another space" not in html
    assert html.count('class="chat-msg') == 50
    assert "Load older messages" in html and 'role="log"' in html
    assert "spaces/_call.html" not in html and "js/chat.js" in html and "js/call.js" in html
    assert html.index("js/chat.js") < html.index("js/call.js")
    oldest_shown = ChatMessage.select().where(ChatMessage.body == "line 10").get()
    html = client.get(url(space, f"?before={oldest_shown.id}")).get_data(as_text=True)
    assert "line 9<" in html and "line 1<" in html and "line 10<" not in html
    assert XSS[0] not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'id="msg-{first.id}"' in html
    assert "Back to the latest messages" in html
    assert 'data-chat-older-box hidden' in html  # nothing older than the first message


def test_a_big_room_names_the_first_people_and_counts_the_others(client, login, cast, app,
                                                                  monkeypatch):
    from services import realtime
    space = cast["space"]
    monkeypatch.setattr(realtime, "PRESENCE_SHOWN", 1)
    login(cast["pupil"])
    html = client.get(url(space)).get_data(as_text=True)
    assert "Nobody is connected right now." in html and "<p data-chat-more hidden></p>" in html
    people = realtime.Presence("chat", app)
    people.add(space.id, "one", cast["teacher"].id, cast["teacher"].name)
    people.add(space.id, "two", cast["pupil"].id, cast["pupil"].name)
    people.add(space.id, "three", cast["guest"].id, cast["guest"].name)
    html = client.get(url(space)).get_data(as_text=True)
    shown = min((u.name for u in (cast["teacher"], cast["pupil"], cast["guest"])), key=str.casefold)
    assert f"<li>{shown}</li>" in html and "<p data-chat-more>and 2 more people</p>" in html
    people.remove(space.id, "three")
    html = client.get(url(space)).get_data(as_text=True)
    assert "<p data-chat-more>and 1 more person</p>" in html


def test_posting_without_javascript(client, login, cast):
    space = cast["space"]
    login(cast["guest"])
    response = client.post(url(space, "/messages"), data={"body": "  Hello <b>all</b>\r\n  "})
    assert response.status_code == 303
    message = ChatMessage.get()
    assert message.body == "Hello <b>all</b>" and message.author_id == cast["guest"].id
    assert response.headers["Location"].endswith(f"/live#msg-{message.id}")
    html = client.get(url(space)).get_data(as_text=True)
    assert "Hello &lt;b&gt;all&lt;/b&gt;" in html


def test_bad_messages_are_refused_next_to_the_field(client, login, cast, app):
    space = cast["space"]
    login(cast["pupil"])
    assert client.post(url(space, "/messages"), data={"body": "x"}, csrf=False).status_code == 400
    response = client.post(url(space, "/messages"), data={"body": "   "})
    assert response.status_code == 422 and "Write a message" in response.get_data(as_text=True)
    long = "é" * (app.config["CHAT_MAX_CHARS"] + 1)
    response = client.post(url(space, "/messages"), data={"body": long})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at most 2000 characters" in html and 'id="body-error"' in html and long in html
    assert ChatMessage.select().count() == 0


def test_a_flood_without_javascript_gets_a_polite_refusal(client, login, cast, app):
    space = cast["space"]
    login(cast["pupil"])
    limit = app.config["CHAT_RATE"][0]
    codes = [client.post(url(space, "/messages"), data={"body": f"m{n}"}).status_code
             for n in range(limit + 1)]
    assert codes == [303] * limit + [429]
    assert ChatMessage.select().count() == limit


def test_teacher_asks_a_question_and_pupils_cannot(client, login, cast):
    space = cast["space"]
    login(cast["pupil"])
    assert client.post(url(space, "/polls"), data={
        "question": "Q", "option_1": "a", "option_2": "b"}).status_code == 404
    html = client.get(url(space)).get_data(as_text=True)
    assert "Ask a question" not in html
    as_user(client, login, cast["teacher"])
    assert "Ask a question" in client.get(url(space)).get_data(as_text=True)
    response = client.post(url(space, "/polls"), data={"question": "Which river?",
                                                       "option_1": "Arno", "option_2": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give at least two options" in html and 'id="option_2-error"' in html
    assert 'value="Which river?"' in html
    response = client.post(url(space, "/polls"), data={"question": "Q" * 301,
                                                       "option_1": "a", "option_2": "b"})
    assert response.status_code == 422 and "at most 300 characters" in response.get_data(
        as_text=True)
    response = client.post(url(space, "/polls"), data={
        "question": "Which river?", "option_1": "Arno", "option_3": "Ebro", "option_6": "Tajo"})
    assert response.status_code == 303
    poll = Poll.get()
    assert [o.text for o in poll.options.order_by(PollOption.position)] == ["Arno", "Ebro",
                                                                            "Tajo"]
    assert ChatMessage.get(ChatMessage.poll == poll).space_id == space.id
    html = client.get(url(space)).get_data(as_text=True)
    assert "Which river?" in html and "Vote:" in html and "0 votes" in html


def test_vote_once_change_it_and_never_across_polls_or_spaces(client, login, cast):
    space, other = cast["space"], cast["other"]
    poll_a = ask(space, cast["teacher"]).poll
    poll_b = ask(space, cast["teacher"], "Other?", ("Yes", "No")).poll
    foreign = ask(other, cast["other_teacher"], "Theirs?", ("x", "y")).poll
    a1, a2 = list(poll_a.options.order_by(PollOption.position))
    b1 = poll_b.options.order_by(PollOption.position).first()
    f1 = foreign.options.order_by(PollOption.position).first()
    login(cast["pupil"])
    vote = url(space, f"/polls/{poll_a.id}/vote")
    assert client.post(vote, data={"option": a1.id}).status_code == 303
    assert client.post(vote, data={"option": a2.id}).status_code == 303
    assert [(v.option_id, v.user_id) for v in PollVote.select()] == [(a2.id, cast["pupil"].id)]
    html = client.get(url(space)).get_data(as_text=True)
    assert "1 vote" in html and "(your vote)" in html
    assert client.post(vote, data={"option": b1.id}).status_code == 404       # other poll
    assert client.post(vote, data={"option": f1.id}).status_code == 404       # other space
    assert client.post(url(space, f"/polls/{foreign.id}/vote"),
                       data={"option": f1.id}).status_code == 404
    assert client.post(url(other, f"/polls/{foreign.id}/vote"),
                       data={"option": f1.id}).status_code == 404             # not a member
    assert client.post(vote, data={"option": "abc"}).status_code == 400
    assert client.post(vote, data={"option": str(10 ** 30)}).status_code == 400
    assert client.post(vote, data={"option": a1.id}, csrf=False).status_code == 400
    assert PollVote.select().count() == 1 and PollVote.get().option_id == a2.id


def test_votes_over_the_form_share_the_sockets_rate_limit(client, login, cast):
    from blueprints.spaces.live_socket import VOTE_RATE
    space = cast["space"]
    poll = ask(space, cast["teacher"]).poll
    option = poll.options.order_by(PollOption.position).first()
    login(cast["pupil"])
    vote = url(space, f"/polls/{poll.id}/vote")
    codes = [client.post(vote, data={"option": option.id}).status_code
             for _ in range(VOTE_RATE[0] + 1)]
    assert codes[:-1] == [303] * VOTE_RATE[0] and codes[-1] == 429


def test_maintenance_deletes_only_what_is_older_than_three_months(app, cast):
    space, teacher = cast["space"], cast["teacher"]
    now = utcnow()
    old = chat.post_message(space.id, teacher.id, "old")
    old.created_at = now - datetime.timedelta(days=91)
    old.save()
    old_poll_message = ask(space, teacher, "Old question?")
    PollVote.create(poll=old_poll_message.poll_id, user=cast["pupil"],
                    option=PollOption.get(PollOption.poll == old_poll_message.poll_id))
    Poll.update(created_at=now - datetime.timedelta(days=100)).where(
        Poll.id == old_poll_message.poll_id).execute()
    ChatMessage.update(created_at=now - datetime.timedelta(days=100)).where(
        ChatMessage.id == old_poll_message.id).execute()
    recent = chat.post_message(space.id, teacher.id, "recent")
    recent.created_at = now - datetime.timedelta(days=89)
    recent.save()
    new_poll = ask(space, teacher, "New question?")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["maintenance"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 chat messages and 1 polls older than 90 days." in result.output
    assert {m.id for m in ChatMessage.select()} == {recent.id, new_poll.id}
    assert [p.id for p in Poll.select()] == [new_poll.poll_id]
    assert PollVote.select().count() == 0
    assert PollOption.select().where(PollOption.poll == old_poll_message.poll_id).count() == 0
    result = runner.invoke(args=["maintenance"])
    assert "Deleted 0 chat messages and 0 polls" in result.output
    assert ChatMessage.select().count() == 2


def test_seed_chat_makes_lines_and_a_poll_with_votes(cast):
    message = chat.seed_chat(cast["space"], [cast["teacher"], cast["pupil"], cast["guest"]])
    assert ChatMessage.select().where(ChatMessage.space == cast["space"]).count() == 5
    assert message.poll.votes.count() == 2


# --- The WebSocket, against a real server --------------------------------------------------------

class PortClient(Client):
    """simple_websocket's client, fixed for tests on a busy machine:
    - it sends Host without the port; browsers send it with;
    - its handshake reads the server's answer and takes only the first event from it: when
      the server's first frame ("hello") arrived in the same read as the 101 response — which
      a loaded machine makes likely — that frame stayed in the protocol buffer until more data
      came, so the test waited in vain. Frames already read are handed on at once here."""

    def handshake(self):
        self.host = f"{self.host}:{self.port}"
        super().handshake()
        if self.connected:
            self.connected = self._handle_events()


class Socket:
    def __init__(self, base, path, cookie=None, origin="same"):
        headers = {}
        if origin == "same":
            origin = "http://" + base
        if origin:
            headers["Origin"] = origin
        if cookie:
            headers["Cookie"] = cookie
        self.ws = PortClient(f"ws://{base}{path}", headers=headers)
        self.seen = []

    def send(self, frame):
        try:
            self.ws.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))
        except OSError as exc:
            # The client's reader thread may close the socket on the server's close frame a
            # moment before it marks itself closed: a send then meets a closed descriptor.
            raise ConnectionClosed() from exc

    def next(self, timeout=20):
        data = self.ws.receive(timeout)
        assert data is not None, f"no frame within {timeout} s; seen {self.seen}"
        frame = json.loads(data)
        self.seen.append(frame)
        return frame

    def wait_for(self, kind, timeout=20, where=lambda f: True):
        while True:
            frame = self.next(timeout)
            if frame["type"] == kind and where(frame):
                return frame

    def closed_within(self, seconds):
        """True if the server closes the socket within `seconds` (frames meanwhile are read)."""
        try:
            while True:
                if self.ws.receive(seconds) is None:
                    return False
        except ConnectionClosed:
            return True

    def close(self):
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass


def session_cookie(app, user):
    """The cookie a browser of `user` carries (as after logging in)."""
    signer = app.session_interface.get_signing_serializer(app)
    value = signer.dumps({"_user_id": user.session_token, "_fresh": True})
    return f"{app.config.get('SESSION_COOKIE_NAME', 'session')}={value}"


@pytest.fixture
def server(app):
    with serving(app) as address:
        yield address


@pytest.fixture
def connect(app, server):
    sockets = []

    def _connect(user, space, origin="same", path=None):
        socket = Socket(server, path or f"{base(space)}/live/socket",
                        session_cookie(app, user) if user else None, origin)
        sockets.append(socket)
        return socket
    yield _connect
    for socket in sockets:
        socket.close()


def refused(connect, *args, **kwargs):
    with pytest.raises(HandshakeRefused) as info:
        connect(*args, **kwargs)
    return info.value.status_code


def test_socket_refuses_other_sites_strangers_and_other_spaces(connect, cast):
    space = cast["space"]
    assert refused(connect, cast["pupil"], space, origin="http://evil.example") == 403
    assert refused(connect, cast["pupil"], space, origin=None) == 403
    assert refused(connect, None, space) == 403
    assert refused(connect, cast["outsider"], space) == 404
    assert refused(connect, cast["pupil"], cast["other"]) == 404
    assert refused(connect, cast["pupil"], None, path=f"{parents.of(space).blueprint.url_prefix}/999999/live/socket") == 404
    hello = connect(cast["pupil"], space).wait_for("hello")
    assert hello["me"] == {"id": cast["pupil"].id, "name": cast["pupil"].name}
    assert hello["space_id"] == space.id


def test_chat_reaches_everybody_in_the_room_and_presence_follows(connect, cast):
    space = cast["space"]
    ana = connect(cast["teacher"], space)
    ana.wait_for("hello")
    ana.wait_for("presence")
    lucia = connect(cast["pupil"], space)
    lucia.wait_for("hello")
    names = [cast["teacher"].name, cast["pupil"].name]
    seen = ana.wait_for("presence", where=lambda f: len(f["people"]) == 2)
    assert sorted(p["name"] for p in seen["people"]) == sorted(names)
    assert seen["total"] == 2
    stranger = connect(cast["outsider"], cast["other"])
    stranger.wait_for("hello")
    lucia.send({"type": "chat", "body": "<b>Hola</b> a todos"})
    for socket in (ana, lucia):
        message = socket.wait_for("message")
        assert message["body"] == "<b>Hola</b> a todos"
        assert message["author"] == {"id": cast["pupil"].id, "name": cast["pupil"].name}
    assert ChatMessage.get().space_id == space.id
    lucia.close()
    left = ana.wait_for("presence", where=lambda f: len(f["people"]) == 1)
    assert left["people"] == [{"id": cast["teacher"].id, "name": cast["teacher"].name}]
    # Nothing of this room reached the other space's socket.
    assert stranger.closed_within(0.3) is False
    assert all(f["type"] in ("hello", "presence") for f in stranger.seen)
    assert all(p["id"] == cast["outsider"].id for f in stranger.seen if f["type"] == "presence"
               for p in f["people"])


def test_bad_frames_get_error_frames_and_the_socket_lives_on(connect, cast, app):
    socket = connect(cast["pupil"], cast["space"])
    socket.wait_for("hello")
    cases = [("x" * (app.config["LIVE_MAX_FRAME"] + 1), "too_big"),
             ("{not json", "bad_json"),
             ("[1, 2]", "bad_frame"),
             (b"\x00\x01binary", "bad_frame"),
             ({"type": "launch_missiles"}, "unknown_type"),
             ({"type": "chat", "body": 42}, "invalid"),
             ({"type": "chat", "body": "y" * (app.config["CHAT_MAX_CHARS"] + 1)}, "invalid"),
             ({"type": "vote", "poll_id": "1", "option_id": None}, "invalid"),
             ({"type": "history", "before_id": "drop table"}, None)]
    for frame, code in cases:
        socket.send(frame)
        if code:
            error = socket.wait_for("error")
            assert error["code"] == code and error["text"]
    assert socket.wait_for("history")["messages"] == []
    socket.send({"type": "ping"})
    assert socket.wait_for("pong")
    assert ChatMessage.select().count() == 0


def test_a_flood_is_refused_politely_and_others_still_talk(connect, cast, app):
    space = cast["space"]
    flooder, other = connect(cast["pupil"], space), connect(cast["guest"], space)
    flooder.wait_for("hello")
    other.wait_for("hello")
    limit = app.config["CHAT_RATE"][0]
    for n in range(limit + 3):
        flooder.send({"type": "chat", "body": f"spam {n}", "ref": "chat"})
    error = flooder.wait_for("error")
    assert error["code"] == "rate_limited" and error["ref"] == "chat" and "fast" in error["text"]
    assert ChatMessage.select().count() == limit
    other.send({"type": "chat", "body": "I can still talk"})
    assert other.wait_for("message", where=lambda f: f["body"] == "I can still talk")
    flooder.send({"type": "ping"})
    assert flooder.wait_for("pong")  # refused, not disconnected


def test_a_removed_member_is_disconnected_at_the_next_frame(connect, cast, app):
    app.config["LIVE_RECHECK_SECONDS"] = 60  # no idle check in between: the frame finds out
    space = cast["space"]
    socket = connect(cast["pupil"], space)
    socket.wait_for("hello")
    spaces.leave(space, cast["pupil"])
    socket.send({"type": "chat", "body": "still here?"})
    error = socket.wait_for("error")
    assert error["code"] == "gone"
    assert socket.closed_within(15)
    assert ChatMessage.select().count() == 0


def test_an_idle_removed_member_and_a_logged_out_session_are_disconnected(connect, cast):
    space = cast["space"]
    idle, logged_out = connect(cast["pupil"], space), connect(cast["guest"], space)
    idle.wait_for("hello")
    logged_out.wait_for("hello")
    spaces.leave(space, cast["pupil"])
    assert idle.closed_within(15)  # LIVE_RECHECK_SECONDS is 0.5 here
    guest = cast["guest"]
    guest.rotate_session_token()  # what logging out (anywhere) does
    guest.save()
    assert logged_out.closed_within(15)


def test_polls_over_the_socket(connect, cast):
    space = cast["space"]
    ana, lucia = connect(cast["teacher"], space), connect(cast["pupil"], space)
    ana.wait_for("hello")
    lucia.wait_for("hello")
    lucia.send({"type": "poll", "question": "Mine?", "options": ["a", "b"], "ref": "poll"})
    assert lucia.wait_for("error")["code"] == "forbidden"
    ana.send({"type": "poll", "question": "Only one?", "options": ["a", ""], "ref": "poll"})
    assert ana.wait_for("error")["code"] == "invalid"
    ana.send({"type": "poll", "question": "Which river?", "options": ["Arno", "Ebro", " "]})
    asked = lucia.wait_for("message", where=lambda f: "poll" in f)
    poll = asked["poll"]
    assert poll["question"] == "Which river?" and poll["total"] == 0
    assert [o["text"] for o in poll["options"]] == ["Arno", "Ebro"]
    arno, ebro = poll["options"]
    lucia.send({"type": "vote", "poll_id": poll["id"], "option_id": arno["id"]})
    assert lucia.wait_for("voted") == {"type": "voted", "poll_id": poll["id"],
                                       "option_id": arno["id"]}
    update = ana.wait_for("poll_update")["poll"]
    assert [(o["text"], o["votes"]) for o in update["options"]] == [("Arno", 1), ("Ebro", 0)]
    lucia.send({"type": "vote", "poll_id": poll["id"], "option_id": ebro["id"]})
    update = ana.wait_for("poll_update")["poll"]
    assert [(o["text"], o["votes"]) for o in update["options"]] == [("Arno", 0), ("Ebro", 1)]
    other = ask(space, cast["teacher"], "Other?", ("x", "y")).poll
    foreign = ask(cast["other"], cast["other_teacher"], "Theirs?", ("p", "q")).poll
    for poll_id, option in ((poll["id"], other.options.first()),
                            (foreign.id, foreign.options.first()),
                            (poll["id"], foreign.options.first())):
        lucia.send({"type": "vote", "poll_id": poll_id, "option_id": option.id})
        assert lucia.wait_for("error")["code"] == "not_found"
    assert PollVote.select().count() == 1 and PollVote.get().option_id == ebro["id"]


def test_history_over_the_socket_pages_back(connect, cast):
    space = cast["space"]
    ids = [chat.post_message(space.id, cast["teacher"].id, f"n{n}").id for n in range(70)]
    socket = connect(cast["pupil"], space)
    socket.wait_for("hello")
    socket.send({"type": "history"})
    latest = socket.wait_for("history")
    assert [m["id"] for m in latest["messages"]] == ids[20:] and latest["has_more"]
    socket.send({"type": "history", "before_id": ids[20]})
    page = socket.wait_for("history")
    assert [m["id"] for m in page["messages"]] == ids[:20] and not page["has_more"]
    assert page["before_id"] == ids[20]


def test_a_socket_holds_no_database_connection_between_units_of_work(connect, cast):
    from blueprints.spaces import live_socket
    from models import db

    @live_socket.ROOM.frame("test_db_state")
    def report(ctx, frame):
        ctx.send({"type": "db_state", "closed": db.is_closed()})

    try:
        socket = connect(cast["pupil"], cast["space"])
        socket.wait_for("hello")
        socket.send({"type": "chat", "body": "a unit of work"})
        socket.wait_for("message")
        socket.send({"type": "test_db_state"})
        assert socket.wait_for("db_state")["closed"] is True
    finally:
        live_socket.ROOM.frames.pop("test_db_state")


def test_a_megabyte_frame_closes_only_that_socket(connect, cast):
    space = cast["space"]
    huge = connect(cast["pupil"], space)
    huge.wait_for("hello")
    huge.send("x" * (2 * 1024 * 1024))
    assert huge.closed_within(15)
    again = connect(cast["pupil"], space)
    again.wait_for("hello")
    again.send({"type": "chat", "body": "the server is fine"})
    assert again.wait_for("message")["body"] == "the server is fine"


# --- A client that misbehaves harms only itself (second review) -------------------------------

def test_an_event_for_a_full_socket_is_queued_never_written_by_another_thread():
    """The thread that fans an event out writes to a socket only when the kernel buffer has
    room for the whole frame; a client that stopped reading gets it queued instead, for its
    own thread (which gives up after SEND_TIMEOUT), so the room's other sockets never wait."""
    import select
    import socket as net
    import threading as th
    from types import SimpleNamespace
    from services.socketroom import Socket
    listener = net.create_server(("127.0.0.1", 0))
    client = net.create_connection(listener.getsockname())
    server_side, _ = listener.accept()
    server_side.setblocking(False)
    try:
        while True:  # fill the server side's send buffer: the client never reads
            server_side.send(b"x" * 65536)
    except BlockingIOError:
        pass
    server_side.setblocking(True)
    poller = select.poll()
    poller.register(server_side, select.POLLOUT)
    while not poller.poll(0):  # the client reads a little: the socket looks writable again
        client.recv(4096)
    big = "y" * server_side.getsockopt(net.SOL_SOCKET, net.SO_SNDBUF)  # more than it can hold
    sent = []
    ws = SimpleNamespace(sock=server_side, event=th.Event(),
                         send=lambda text: (server_side.sendall(text.encode()), sent.append(text)))
    conn = Socket(ws)
    assert not conn.has_room(len(big))
    worker = th.Thread(target=conn.push, args=(big,), daemon=True)
    worker.start()
    worker.join(2)
    assert not worker.is_alive(), "push() blocked on a full socket"
    assert sent == [] and conn.queued() == [big] and ws.event.is_set()
    # An empty socket takes the frame at once, from any thread.
    fresh_client = net.create_connection(listener.getsockname())
    fresh, _ = listener.accept()
    ws2 = SimpleNamespace(sock=fresh, event=th.Event(),
                          send=lambda text: (fresh.sendall(text.encode()), sent.append(text)))
    conn2 = Socket(ws2)
    worker = th.Thread(target=conn2.push, args=("z" * 1000,), daemon=True)
    worker.start()
    worker.join(2)
    assert sent == ["z" * 1000] and not conn2.queued()
    for sock in (client, server_side, fresh_client, fresh, listener):
        sock.close()


def test_one_person_may_open_only_a_few_sockets(connect, cast, app):
    from blueprints.spaces.live_socket import MAX_SOCKETS_PER_USER
    space, pupil = cast["space"], cast["pupil"]
    sockets = [connect(pupil, space) for _ in range(MAX_SOCKETS_PER_USER)]
    for sock in sockets:
        sock.wait_for("hello")
    with pytest.raises(HandshakeRefused) as refused:
        connect(pupil, space)
    assert refused.value.status_code == 429
    sockets.append(connect(cast["teacher"], space))
    sockets[-1].wait_for("hello")  # others are not affected
    sockets[0].close()
    # The server frees the closed socket's place once it has noticed the close: wait for that.
    deadline = time.monotonic() + 30
    while True:
        try:
            sockets.append(connect(pupil, space))
            break
        except HandshakeRefused:
            assert time.monotonic() < deadline, "a closed socket's place was never freed"
            time.sleep(0.05)
    sockets[-1].wait_for("hello")
    # Leave no socket behind for the next test's room (rooms are per process).
    from services import socketroom
    for sock in sockets:
        sock.close()
    deadline = time.monotonic() + 30
    while socketroom.open_sockets(app).count() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_socket_is_served_by_flask_sock_and_refusals_take_no_place(connect, cast, app):
    """flask-sock accepts the socket; the checks still answer before the handshake, and only
    an accepted socket counts against its person's limit, until it closes."""
    from urllib.parse import urlsplit

    from blueprints.spaces import parents
    from services import socketroom
    space, pupil = cast["space"], cast["pupil"]
    with app.test_request_context():  # url_for gives ws://host/...: the path is what we need
        path = urlsplit(parents.url_for_space(space, "live_socket")).path
        other_path = urlsplit(parents.url_for_space(cast["other"], "live_socket")).path
    endpoint = parents.of(space).endpoint("live_socket")
    view = app.view_functions[endpoint]
    assert "flask_sock" in view.__code__.co_filename and view.__wrapped__.__name__ == "live_socket"
    counts = socketroom.open_sockets(app)
    assert refused(connect, pupil, space, path=path, origin="http://evil.example") == 403
    assert refused(connect, None, space, path=path) == 403
    assert refused(connect, pupil, None, path=other_path) == 404
    assert counts.count() == 0
    socket = connect(pupil, space, path=path)
    socket.wait_for("hello")
    assert counts.count(pupil.id) == 1
    socket.close()
    deadline = time.monotonic() + 30
    while counts.count() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert counts.count() == 0


def test_junk_frames_count_against_the_frame_limit(connect, cast):
    """Unreadable frames are limited like any other: past the limit they are refused, and a
    socket that goes on flooding is closed."""
    from services.socketroom import FRAME_RATE
    space = cast["space"]
    flooder = connect(cast["pupil"], space)
    flooder.wait_for("hello")
    for _ in range(FRAME_RATE[0] + 1):
        flooder.send("not json")
    flooder.wait_for("error", where=lambda f: f["code"] == "rate_limited")
    for _ in range(FRAME_RATE[0] + 5):
        try:
            flooder.send("not json")
        except ConnectionClosed:
            break
    assert flooder.closed_within(15)
