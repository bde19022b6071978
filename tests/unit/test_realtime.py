"""services/realtime.py on its own: the in-process broker, and — when REDIS_URL is set (CI's
second pass) — Redis pub/sub between two Realtime objects as two server processes would hold
them; presence with expiry; rate limits; refusing to run on an unreachable Redis. The socket
module's handler registry (live_socket.ROOM) as the contract with the call says."""
import json
import os
import threading
import time
import uuid

import pytest

from services import realtime

REDIS_URL = os.environ.get("REDIS_URL")
BACKENDS = ["memory"] + (["redis"] if REDIS_URL else [])


class Fake:
    """A socket as the broker sees it: ids and an outbox."""

    def __init__(self, space_id, user_id):
        self.conn_id, self.space_id, self.user_id = uuid.uuid4().hex, space_id, user_id
        self.got = []
        self.arrived = threading.Event()

    def push(self, text):
        self.got.append(json.loads(text))
        self.arrived.set()

    def wait(self, n=1, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.got) < n and time.monotonic() < deadline:
            self.arrived.wait(0.05)
            self.arrived.clear()
        return self.got


@pytest.fixture
def make_rt():
    made = []
    prefix = f"test:{uuid.uuid4().hex[:12]}:"

    def _make(backend):
        rt = realtime.Realtime(REDIS_URL if backend == "redis" else None, prefix)
        made.append(rt)
        return rt
    yield _make
    for rt in made:
        rt.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_publish_reaches_the_room_and_only_the_room(make_rt, backend):
    rt = make_rt(backend)
    ana, lucia, elsewhere = Fake(1, 10), Fake(1, 11), Fake(2, 12)
    for fake in (ana, lucia, elsewhere):
        rt.attach(fake)
    rt.publish(1, {"type": "message", "body": "hola"})
    assert ana.wait() == [{"type": "message", "body": "hola"}]
    assert lucia.wait() == [{"type": "message", "body": "hola"}]
    rt.publish(1, {"type": "signal", "data": 1}, to_user=11)
    assert lucia.wait(2)[1] == {"type": "signal", "data": 1}
    rt.detach(lucia)
    rt.publish(1, {"type": "last"})
    assert ana.wait(2)[1] == {"type": "last"}
    # A frame published after the others arrives after them: once it is here, nothing else is
    # still on its way (no waiting for a time).
    rt.publish(2, {"type": "sentinel"})
    assert elsewhere.wait() == [{"type": "sentinel"}]
    rt.publish(1, {"type": "sentinel"})
    assert ana.wait(3)[2] == {"type": "sentinel"}
    assert len(ana.got) == 3 and len(lucia.got) == 2
    assert rt.local_count(1) == 1 and rt.local_count() == 2


def two_processes_share_rooms_and_presence_through_redis(make_rt):
    """Defined as a test only when REDIS_URL is set (CI's second pass), never skipped."""
    one, two = make_rt("redis"), make_rt("redis")
    here, there = Fake(7, 1), Fake(7, 2)
    one.attach(here)
    two.attach(there)
    one.publish(7, {"type": "message", "body": "from one"})
    two.publish(7, {"type": "message", "body": "from two"})
    for fake in (here, there):
        assert sorted(f["body"] for f in fake.wait(2)) == ["from one", "from two"]
    p_one, p_two = realtime.Presence("chat", _app_for(one)), realtime.Presence("chat", _app_for(two))
    p_one.add(7, "c1", 1, "Ana")
    p_two.add(7, "c2", 2, "Lucía")
    p_two.add(7, "c3", 2, "Lucía")  # a second tab
    assert p_one.people(7) == [{"id": 1, "name": "Ana"}, {"id": 2, "name": "Lucía"}]
    # An entry whose heartbeat stopped (its process died) is dropped when read.
    key = one._presence_key("chat", 7)
    one.redis.hset(key, "ghost", json.dumps([3, "Ghost", time.time() - 1]))
    assert [p["name"] for p in p_two.people(7)] == ["Ana", "Lucía"]
    assert not one.redis.hexists(key, "ghost")
    assert one.redis.ttl(key) > 0
    key_count = one.redis.hlen(key)
    p_two.remove(7, "c2")
    assert one.redis.hlen(key) == key_count - 1


if REDIS_URL:
    test_two_processes_share_rooms_and_presence_through_redis = \
        two_processes_share_rooms_and_presence_through_redis


def _app_for(rt):
    """Presence finds its Realtime through an app; a stand-in app holding `rt`."""
    class App:
        extensions = {realtime.EXTENSION: rt}
    return App()


@pytest.mark.parametrize("backend", BACKENDS)
def test_presence_is_per_space_and_per_person(make_rt, backend):
    rt = make_rt(backend)
    chat, call = realtime.Presence("chat", _app_for(rt)), realtime.Presence("call", _app_for(rt))
    chat.add(1, "a", 5, "Zoe")
    chat.add(1, "b", 5, "Zoe")
    chat.add(1, "c", 6, "adam")
    chat.add(2, "d", 7, "Other space")
    call.add(1, "e", 6, "adam")
    assert chat.people(1) == [{"id": 6, "name": "adam"}, {"id": 5, "name": "Zoe"}]
    assert call.people(1) == [{"id": 6, "name": "adam"}]
    chat.remove(1, "a")
    assert [p["id"] for p in chat.people(1)] == [6, 5]  # Zoe's other tab is still there
    chat.remove(1, "b")
    chat.remove(1, "nonexistent")
    assert chat.people(1) == [{"id": 6, "name": "adam"}]
    assert chat.people(2) == [{"id": 7, "name": "Other space"}]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_big_room_lists_the_first_names_and_counts_the_rest(make_rt, backend):
    rt = make_rt(backend)
    chat = realtime.Presence("chat", _app_for(rt))
    for n in range(realtime.PRESENCE_SHOWN + 10):
        chat.add(1, f"c{n}", n + 1, f"Person {n:03d}")
    chat.add(1, "again", 1, "Person 000")  # a second tab is one person
    frame = chat.frame(1)
    assert frame["type"] == "presence" and frame["total"] == realtime.PRESENCE_SHOWN + 10
    assert [p["name"] for p in frame["people"]] == [f"Person {n:03d}"
                                                    for n in range(realtime.PRESENCE_SHOWN)]
    assert chat.frame(2) == {"type": "presence", "people": [], "total": 0}


@pytest.mark.parametrize("backend", BACKENDS)
def test_rate_limit_is_a_sliding_window_per_key(make_rt, backend):
    rt = make_rt(backend)
    # A window long enough that a busy machine never stretches the first four calls past it.
    window = 3.0
    started = time.monotonic()
    assert all(rt.rate_ok("chat:1", 3, window) for _ in range(3))
    assert not rt.rate_ok("chat:1", 3, window)
    assert rt.rate_ok("chat:2", 3, window)  # another user is not affected
    assert time.monotonic() - started < window
    time.sleep(window + 0.1)  # the window itself must pass: this waits for time on purpose
    assert rt.rate_ok("chat:1", 3, window)


def test_an_unreachable_redis_is_an_error_not_a_silent_local_broker():
    rt = realtime.Realtime("redis://127.0.0.1:1/0", "test:")
    try:
        with pytest.raises(Exception):
            rt.attach(Fake(1, 1))
    finally:
        rt.close()


def test_the_socket_module_offers_what_the_contract_promises(app):
    from blueprints.spaces import live_socket
    for kind in ("chat", "history", "poll", "vote", "ping"):
        assert kind in live_socket.ROOM.frames
    seen = []

    @live_socket.ROOM.frame("test_kind")
    def handler(ctx, frame):
        seen.append(frame)

    @live_socket.ROOM.on_close
    def gone(ctx):
        pass

    try:
        assert live_socket.ROOM.get("test_kind") is handler
        assert gone in live_socket.ROOM.closing
    finally:
        live_socket.ROOM.frames.pop("test_kind")
        live_socket.ROOM.closing.remove(gone)
