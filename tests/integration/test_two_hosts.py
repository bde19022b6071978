"""Issue 15, "Two hosts, for real": two app hosts (gunicorn processes on two ports) behind one
nginx, sharing PostgreSQL, Redis and the uploads folder, with the settings of the README's
"More than one server" (the same SECRET_KEY, DATABASE_URL, REDIS_URL and UPLOAD_DIR, and
PROXY_FIX=1). nginx (tests/integration/nginx.py, run here as a child of the test) listens on
three ports: "one" proxies to the first host only, "two" to the second only, and "both" to
the two in turn (round robin, no sticky sessions). Ana, a teacher, goes through "one"; Giulia,
her partner, through "two" — every answer says which host made it, and the test checks it —
and they live one story: they edit the same page (the second save is a conflict, nothing is
overwritten), each uploads a file the other sees and downloads, they chat in the space's room,
and Giulia's forum reply made on the second host is a notification Ana reads on the first.

PostgreSQL and Redis are needed on both passes: on the PostgreSQL pass the test's database
and REDIS_URL; on the SQLite pass a scratch database on the machine's PostgreSQL
(tests/pg_scratch.py) and TEST_REDIS_URL (default redis://127.0.0.1:6379/0). Either one
unreachable fails the test in CI and on the PostgreSQL pass (it is skipped, with the reason,
only on a machine without them outside CI); so does a missing nginx (`make test` installs it)."""
import os
import re
from urllib.parse import urlsplit

import pytest
from simple_websocket import ConnectionError as HandshakeRefused

import commands
from app import open_database
from models import Folder, Forum, Material, Notification, Page, SpaceRole
from services import pages as page_service
from services import spaces
from tests.conftest import USE_PG
from tests.factories import PASSWORD, make_school, make_space, make_user
from tests.integration.nginx import Nginx
from tests.integration.visitor import Visitor, csrf_token, form_fields
from tests.pg_scratch import PG_SERVER, scratch_database
from tests.processes import Server
from tests.views.test_live_chat import Socket

REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL",
                                                          "redis://127.0.0.1:6379/0")


def redis_or_fail():
    """A client of the Redis the hosts share; unreachable fails (in CI, on the PostgreSQL
    pass, or when REDIS_URL is set) or skips (elsewhere)."""
    import redis
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        if USE_PG or os.environ.get("REDIS_URL") or os.environ.get("CI") == "true":
            pytest.fail(f"Redis is needed for this test and unreachable: {exc}")
        pytest.skip(f"Redis is not reachable here (not CI): {exc}")
    return client


@pytest.fixture
def app(make_app):
    """The test's app (also behind `url` and `space_url`) on PostgreSQL: its own database on
    the PostgreSQL pass, a scratch database on the machine's server (migrated here) on the
    SQLite pass."""
    if USE_PG:
        yield make_app()
        return
    base = PG_SERVER.rsplit("/", 1)[1].split("?", 1)[0]
    name = f"{base if base != 'postgres' else 'opentwin'}_hosts_{os.getpid()}"
    with scratch_database(PG_SERVER, name) as url:
        target = open_database(url)
        commands.migrate(target)
        target.close()
        yield make_app(DATABASE_URL=url)


@pytest.fixture
def hosts(app, tmp_path):
    """Two app hosts with the same settings, and nginx in front: yields (nginx, [host1,
    host2]). Their Redis keys (live rooms, rate limits, job queue) have a prefix of their
    own, removed at the end."""
    client = redis_or_fail()
    mark = f"test-hosts-{os.urandom(6).hex()}"
    settings = {"PROXY_FIX": "1", "REALTIME_PREFIX": f"{mark}:rt:",
                "RATELIMIT_KEY_PREFIX": f"{mark}-rl", "JOBS_NAME": mark}
    servers, proxy = [], None
    try:
        for _ in range(2):
            servers.append(Server(app, settings, redis_url=REDIS_URL, threads=16))
        one, two = (s.address for s in servers)
        proxy = Nginx(tmp_path / "nginx", {"one": [one], "two": [two], "both": [one, two]})
        yield proxy, servers
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()
        for key in client.scan_iter(f"*{mark}*"):
            client.delete(key)
        client.close()


def log_in(visitor, user, url):
    answer = visitor.submit(url("auth.login"), url("auth.login"),
                            {"identifier": user.email, "password": PASSWORD})
    assert answer.status in (302, 303), re.findall(r"(?s)error-summary.*?</div>", answer.text)
    assert "session" in visitor.cookies


def test_a_teacher_and_her_partner_on_two_hosts_behind_nginx(app, hosts, url, space_url):
    proxy, (first, second) = hosts
    ana = make_user(name="Ana Founder", country="ES", school=make_school("ES"))
    giulia = make_user(name="Giulia Partner", country="IT", school=make_school("IT"))
    space = make_space(ana)
    spaces.join(space, giulia, SpaceRole.TEACHER)
    page = page_service.create(space, ana.id, "Plan", "<p>Start</p>")
    worksheets = Folder.create(space=space, kind="document", title="Worksheets",
                               created_by=ana)
    forum = Forum.create(space=space, title="Planning", created_by=ana)

    on_one, on_two = Visitor(proxy.address["one"]), Visitor(proxy.address["two"])
    log_in(on_one, ana, url)
    log_in(on_two, giulia, url)

    # The same page, opened by both at version 1: Ana saves first, Giulia's save is refused.
    edit = space_url(space, "page_edit", page_id=page.id)
    ana_form, giulia_form = on_one.get(edit), on_two.get(edit)
    assert ana_form.status == giulia_form.status == 200
    mine = form_fields(ana_form.text, edit)
    theirs = form_fields(giulia_form.text, edit)
    assert mine["version"] == theirs["version"] == "1"
    saved = on_one.post(edit, dict(mine, body="Ana walks the Ebro"))
    assert saved.status == 303
    refused = on_two.post(edit, dict(theirs, body="Giulia walks the Arno"))
    assert refused.status == 409
    assert "Somebody saved this page while you were writing" in refused.text
    assert "Ana walks the Ebro" in refused.text and "Giulia walks the Arno" in refused.text
    assert Page.get_by_id(page.id).version == 2
    assert "Ana walks the Ebro" in Page.get_by_id(page.id).body
    assert "Ana walks the Ebro" in on_two.get(space_url(space, "page", page_id=page.id)).text

    # Each uploads a file on their own host; each sees and downloads the other's.
    folder_page = space_url(space, "folder", folder_id=worksheets.id)
    upload = space_url(space, "folder_upload", folder_id=worksheets.id)
    files = {on_one: ("ebro-worksheet.txt", b"Ebro: 910 km, from Cantabria to the sea.\n"),
             on_two: ("arno-worksheet.txt", b"Arno: 241 km, through Florence and Pisa.\n")}
    for visitor, (name, data) in files.items():
        answer = visitor.submit(folder_page, upload, files={"files": (name, data)})
        assert answer.status == 303, answer.text[:800]
    stored = {m.created_by_id: m for m in Material.select().where(Material.folder == worksheets)}
    assert set(stored) == {ana.id, giulia.id}
    for visitor, other in ((on_one, giulia), (on_two, ana)):
        material = stored[other.id]
        assert material.title in visitor.get(folder_page).text
        download = visitor.get(url("portal.file", file_id=material.file_id))
        assert download.status == 200
        assert download.body == files[on_two if other == giulia else on_one][1]

    # One room: Ana's socket on the first host, Giulia's on the second.
    room = urlsplit(space_url(space, "live_socket")).path  # url_for gives it as ws://...
    ana_socket = Socket(proxy.address["one"], room, on_one.cookie_header())
    giulia_socket = None
    try:
        ana_socket.wait_for("hello")
        giulia_socket = Socket(proxy.address["two"], room, on_two.cookie_header())
        giulia_socket.wait_for("hello")
        both = ana_socket.wait_for("presence", where=lambda f: len(f["people"]) == 2)
        assert {p["id"] for p in both["people"]} == {ana.id, giulia.id}
        giulia_socket.send({"type": "chat", "body": "Ciao from the second host"})
        heard = ana_socket.wait_for("message")
        assert (heard["body"], heard["author"]["id"]) == ("Ciao from the second host",
                                                          giulia.id)
        ana_socket.send({"type": "chat", "body": "Hola from the first"})
        assert giulia_socket.wait_for("message", where=lambda f: f["body"] ==
                                      "Hola from the first")
        # The Origin check behind the proxy: a page of another site gets no socket.
        with pytest.raises(HandshakeRefused):
            Socket(proxy.address["two"], room, on_two.cookie_header(),
                   origin="https://elsewhere.example")
    finally:
        ana_socket.close()
        if giulia_socket is not None:
            giulia_socket.close()

    # Ana starts a discussion on the first host, Giulia replies on the second: Ana's
    # notification, made by the second host, is read on the first.
    new = space_url(space, "discussion_new", forum_id=forum.id)
    assert on_one.submit(new, new, {"title": "Where shall we meet?",
                                    "body": "Ebro or Arno?"}).status == 303
    discussion = forum.discussions.get()
    reply = space_url(space, "discussion_reply", discussion_id=discussion.id)
    assert on_two.submit(space_url(space, "discussion", discussion_id=discussion.id), reply,
                         {"body": "Both, one after the other."}).status == 303
    notification = Notification.get(Notification.recipient == ana.id)
    assert notification.read_at is None
    # Giulia may not mark Ana's notification read, even with a valid token: 404; and a post
    # without a token is refused before anything (400).
    read = url("live.notification_read", notification_id=notification.id)
    token = csrf_token(on_two.get(url("live.notifications")).text)
    assert on_two.post(read, {"csrf_token": token}).status == 404
    assert on_one.post(read, {}).status == 400
    assert Notification.get_by_id(notification.id).read_at is None
    listed = on_one.get(url("live.notifications"))
    assert "Giulia Partner replied in “Where shall we meet?”" in listed.text
    assert on_one.submit(url("live.notifications"), read).status == 303
    assert Notification.get_by_id(notification.id).read_at is not None

    # Each person was served by their own host only, through nginx.
    assert set(on_one.served_by) == {first.address}
    assert set(on_two.served_by) == {second.address}

    # No sticky sessions: through the round-robin port, Giulia's session is good on both.
    shared = Visitor(proxy.address["both"])
    shared.cookies = dict(on_two.cookies)
    for _ in range(2):
        answer = shared.get(url("live.notifications"))
        assert answer.status == 200 and "Giulia Partner" in answer.text
    assert set(shared.served_by) == {first.address, second.address}
