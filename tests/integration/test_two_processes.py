"""T-11 across server processes: two real gunicorn processes (gthread workers) on two ports
share one database (the test's SQLite file, or the PostgreSQL of DATABASE_URL) and Redis
(REDIS_URL); a WebSocket client on each proves that a chat message, a vote and presence
sent through one reach the other. Without REDIS_URL the in-process broker is proved the same
way: two clients on ONE process. With REDIS_URL set but Redis unreachable the test fails."""
import os

import pytest

from models import PollOption, SpaceRole
from services import chat, spaces
from tests.factories import make_user
from tests.processes import Server
from tests.views.test_live_chat import Socket, session_cookie
from tests.views.test_twinspace import make_space

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture
def app(make_app):
    return make_app(REALTIME_PREFIX=f"test:{os.urandom(6).hex()}:")


@pytest.fixture
def start_server(app):
    servers = []

    def _start():
        server = Server(app, {"REALTIME_PREFIX": app.config["REALTIME_PREFIX"]},
                        redis_url=REDIS_URL, threads=16)
        servers.append(server)
        return server.address
    yield _start
    for server in servers:
        server.stop()


def test_a_message_sent_on_one_server_reaches_the_other(app, start_server):
    if REDIS_URL:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()  # unreachable: FAIL
    teacher, pupil = make_user(), make_user("student")
    space = make_space(teacher)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    poll = chat.create_poll(space.id, teacher.id, "Which river?", ["Arno", "Ebro"]).poll
    arno = PollOption.get((PollOption.poll == poll) & (PollOption.text == "Arno"))
    first = start_server()
    second = start_server() if REDIS_URL else first
    assert (first != second) == bool(REDIS_URL)
    path = f"/twinspaces/{space.id}/live/socket"
    ana = Socket(first, path, session_cookie(app, teacher))
    lucia = None
    try:
        ana.wait_for("hello")
        lucia = Socket(second, path, session_cookie(app, pupil))
        lucia.wait_for("hello")
        # Presence is shared: the first server's client sees the second's arrive.
        both = ana.wait_for("presence", where=lambda f: len(f["people"]) == 2)
        assert {p["id"] for p in both["people"]} == {teacher.id, pupil.id}
        lucia.send({"type": "chat", "body": "Hola from the second server"})
        message = ana.wait_for("message")
        assert message["body"] == "Hola from the second server"
        assert message["author"]["id"] == pupil.id
        ana.send({"type": "chat", "body": "Hello back"})
        assert lucia.wait_for("message", where=lambda f: f["body"] == "Hello back")
        lucia.send({"type": "vote", "poll_id": poll.id, "option_id": arno.id})
        update = ana.wait_for("poll_update")["poll"]
        assert [(o["text"], o["votes"]) for o in update["options"]] == [("Arno", 1), ("Ebro", 0)]
        lucia.close()
        alone = ana.wait_for("presence", where=lambda f: len(f["people"]) == 1)
        assert alone["people"][0]["id"] == teacher.id
    finally:
        ana.close()
        if lucia is not None:
            lucia.close()
