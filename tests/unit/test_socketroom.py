"""services/socketroom.py on its own, without a server: the handler registry, the frame limits
and the loop of one socket (on a fake simple_websocket Server over a real socket pair, so the
back-pressure code runs on a real kernel buffer), and the count of sockets per person. The
socket through a real server is tested in tests/views/test_live_chat.py."""
import ast
import json
import os
import socket as net
import threading

import pytest

from services import socketroom


class FakeServer:
    """What Socket uses of simple_websocket's Server: sock, event, send, receive, close."""

    def __init__(self, frames=()):
        self.sock, self.peer = net.socketpair()
        self.event = threading.Event()
        self.incoming = list(frames)
        self.sent, self.closed = [], None

    def send(self, text):
        self.sent.append(json.loads(text))

    def receive(self, timeout=None):
        return self.incoming.pop(0) if self.incoming else None

    def close(self, code=None, reason=None):
        self.closed = (code, reason)

    def errors(self):
        return [f["code"] for f in self.sent if f["type"] == "error"]

    def shut(self):
        self.sock.close()
        self.peer.close()


class FakeRealtime:
    def __init__(self):
        self.attached, self.published = [], []

    def attach(self, conn):
        self.attached.append(conn)

    def detach(self, conn):
        self.attached.remove(conn)

    def publish(self, space_id, frame, to_user=None):
        self.published.append((space_id, frame, to_user))

    def rate_ok(self, key, limit, seconds):
        return True


class Room(socketroom.Connection):
    """A room that records its hooks; `leave_at` makes check() raise Gone on that call."""

    def __init__(self, ws, rt, leave_at=None):
        super().__init__(ws, rt, user_id=7, user_name="Ana", space_id=3)
        self.calls, self.leave_at = [], leave_at

    def opened(self):
        self.calls.append("opened")
        self.send({"type": "hello"})

    def check(self):
        self.calls.append("check")
        if self.leave_at is not None and self.calls.count("check") >= self.leave_at:
            raise socketroom.Gone("You are no longer a member of this space.")

    def closed(self):
        self.calls.append("closed")


@pytest.fixture
def ctx(app):
    with app.test_request_context():  # error texts are translated
        yield


def test_the_registry_holds_frame_types_and_closing_handlers():
    def echo(ctx, frame):
        pass

    def bye(ctx):
        pass

    handlers = socketroom.Handlers({"echo": echo}, on_close=[bye])
    assert handlers.get("echo") is echo and handlers.get("missing") is None
    assert handlers.closing == [bye]

    @handlers.frame("shout")
    def shout(ctx, frame):
        pass

    @handlers.on_close
    def later(ctx):
        pass

    assert handlers.get("shout") is shout and handlers.closing == [bye, later]


def test_bad_frames_get_error_frames_and_good_ones_reach_their_handler_after_the_check(ctx):
    got = []
    handlers = socketroom.Handlers({"echo": lambda c, frame: got.append((list(c.calls), frame))})
    ws = FakeServer()
    room = Room(ws, FakeRealtime())
    try:
        for data, code in ((b"\x00bin", "bad_frame"), ("x" * 101, "too_big"),
                           ("{oops", "bad_json"), ("[1]", "bad_frame"),
                           ('{"type": 3}', "bad_frame"), ('{"type": "nope"}', "unknown_type")):
            room.handle(handlers, data, max_frame=100)
            assert ws.errors()[-1] == code
        assert got == [] and "check" not in room.calls  # refused before any check
        room.handle(handlers, '{"type": "echo", "n": 1}', max_frame=100)
        assert got == [(["check"], {"type": "echo", "n": 1})]
    finally:
        ws.shut()


def test_a_failing_handler_is_an_error_frame_and_gone_is_not_swallowed(ctx):
    def broken(c, frame):
        raise RuntimeError("bug")

    handlers = socketroom.Handlers({"broken": broken})
    ws = FakeServer()
    room = Room(ws, FakeRealtime(), leave_at=2)
    try:
        room.handle(handlers, '{"type": "broken", "ref": "form"}', max_frame=100)
        assert ws.sent[-1]["code"] == "server_error" and ws.sent[-1]["ref"] == "form"
        with pytest.raises(socketroom.Gone):
            room.handle(handlers, '{"type": "broken"}', max_frame=100)
    finally:
        ws.shut()


def test_a_flood_is_refused_then_closed(ctx):
    limit = socketroom.FRAME_RATE[0]
    handlers = socketroom.Handlers({"ping": lambda c, f: None})
    ws = FakeServer()
    room = Room(ws, FakeRealtime())
    try:
        for _ in range(limit):
            room.handle(handlers, '{"type": "ping"}', max_frame=100)
        assert ws.errors() == []
        room.handle(handlers, '{"type": "ping"}', max_frame=100)
        assert ws.errors() == ["rate_limited"] and ws.closed is None
        with pytest.raises(socketroom.ConnectionClosed):
            for _ in range(limit + 1):
                room.handle(handlers, '{"type": "ping"}', max_frame=100)
        assert ws.closed == (1008, "too many frames")
    finally:
        ws.shut()


def test_the_loop_greets_serves_and_on_gone_says_so_closes_and_cleans_up(ctx):
    rt = FakeRealtime()
    seen, left = [], []
    handlers = socketroom.Handlers({"echo": lambda c, frame: seen.append(frame["n"])},
                                   on_close=[left.append])
    ws = FakeServer(['{"type": "echo", "n": 1}', '{"type": "echo", "n": 2}'])
    room = Room(ws, rt, leave_at=2)
    ws.event.set()
    try:
        room.serve(handlers, recheck_every=30, idle_limit=60, max_frame=100)
    finally:
        ws.shut()
    assert seen == [1]  # the second frame found the person gone
    assert ws.sent[0] == {"type": "hello"}
    assert ws.sent[-1]["code"] == "gone" and "no longer a member" in ws.sent[-1]["text"]
    assert ws.closed == (1008, "not a member")
    assert room.calls == ["opened", "check", "check", "closed"]
    assert left == [room] and rt.attached == []


def test_events_for_a_full_socket_wait_in_its_outbox_and_an_overflow_drops_it():
    ws = FakeServer()
    sock = socketroom.Socket(ws, outbox_max=2)
    try:
        sock.push('{"n": 0}')  # room in the kernel buffer: written at once
        assert ws.sent == [{"n": 0}] and sock.queued() == []
        ws.sock.setblocking(False)
        try:
            while True:  # the client stops reading: the kernel buffer fills up
                ws.sock.send(b"x" * 65536)
        except BlockingIOError:
            pass
        for n in (1, 2, 3):
            sock.push(f'{{"n": {n}}}')
        assert ws.sent == [{"n": 0}] and sock.queued() == ['{"n": 1}', '{"n": 2}']
        assert sock.overflow and ws.event.is_set()  # its own thread will drop it
        sock.flush()
        assert ws.sent == [{"n": 0}, {"n": 1}, {"n": 2}] and sock.queued() == []
    finally:
        ws.shut()


def test_sockets_per_person_are_counted_and_limited():
    counts = socketroom.OpenSockets()
    assert counts.take(1, 2) and counts.take(1, 2) and not counts.take(1, 2)
    assert counts.take(2, 2) and counts.count(1) == 2 and counts.count() == 3
    counts.release(1)
    assert counts.take(1, 2)
    for user_id in (1, 1, 2):
        counts.release(user_id)
    assert counts.count() == 0


def test_the_call_imports_nothing_of_the_socket_module():
    """One registry (live_socket.ROOM) lists the call's handlers: no import cycle."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "blueprints", "spaces", "call.py")
    with open(path) as fh:
        tree = ast.parse(fh.read())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names]
    assert not any("live_socket" in name for name in imported)
