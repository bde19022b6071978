"""The live room's WebSocket (T-11): /twinspaces/<id>/live/socket.

Before accepting: the Origin must be this site (403), the session a logged-in user (403), a
member of the space (404). Then one loop per socket, in the gthread thread that serves it:
- it holds no database connection: each unit of work opens one (`db.connection_context()`);
- every frame re-checks membership and the session (a log-out elsewhere rotates the user's
  session token), and so does a check every LIVE_RECHECK_SECONDS while the socket is idle:
  a removed member or an ended session is disconnected (close code 1008); the same check
  notes whether the space is still open (permissions.space_is_writable): in a closed space
  the room can be read, but messages, questions and votes get a "read_only" error;
- frames are JSON objects with a "type"; larger than LIVE_MAX_FRAME, not JSON, of an unknown
  type or over the rate limits, they get an "error" frame and are otherwise ignored;
- events for the room arrive from services.realtime (another thread, maybe another process)
  in this connection's outbox; only this thread writes to the socket.

Handlers: `@frame_handler("type")` registers `fn(ctx, frame)`; `@on_disconnect` registers
`fn(ctx)`, called when a socket closes. The call (F2) adds its own in blueprints/spaces/call.py.
"""
import fcntl
import json
import logging
import select
import socket
import struct
import termios
import threading
import time
import uuid
from collections import deque
from urllib.parse import urlsplit

from flask import Response, abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from simple_websocket import ConnectionClosed, Server

from blueprints.spaces import bp
from models import Membership, Space, SpaceRole, User, db
from services import chat, permissions, realtime

log = logging.getLogger(__name__)

HANDLERS = {}
DISCONNECT_HANDLERS = []
PRESENCE = "chat"
HARD_MAX_FRAME = 1024 * 1024   # past this simple_websocket closes the socket (1009)
OUTBOX_MAX = 2000              # a client this far behind is dropped, not buffered forever
FRAME_RATE = (300, 10)         # any frames per connection per 10 s (call signalling included)
VOTE_RATE = (20, 10)           # votes per user
SEND_TIMEOUT = 10              # seconds a write to one client may take
MAX_SOCKETS_PER_USER = 8       # open sockets of one person in one server process

_open_sockets = {}             # (app, user id) -> sockets open in this process
_open_lock = threading.Lock()


def frame_handler(kind):
    """Register `fn(ctx, frame)` for frames of type `kind` (runs after membership check)."""
    def decorator(fn):
        HANDLERS[kind] = fn
        return fn
    return decorator


def on_disconnect(fn):
    """Register `fn(ctx)`, called once when a socket of the room closes."""
    DISCONNECT_HANDLERS.append(fn)
    return fn


class Gone(Exception):
    """The user may no longer be in this room (removed, logged out, disabled)."""


class Connection:
    """One socket of a room: the `ctx` every handler gets."""

    def __init__(self, ws, rt, user, role, space_id):
        self.conn_id = uuid.uuid4().hex
        self.user_id, self.user_name, self.space_id = user.id, user.name, space_id
        self.role = role
        self.writable = True  # set by recheck(), before every frame's handler
        self.state = {}
        self._token = user.session_token
        self._ws, self._rt = ws, rt
        self._outbox = deque()
        self._send_lock = threading.Lock()
        # A client that stops reading pins at most its own thread, and not for long: a
        # write that cannot finish in SEND_TIMEOUT seconds ends the socket.
        ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                           struct.pack("ll", SEND_TIMEOUT, 0))
        self._writable = select.poll()
        self._writable.register(ws.sock, select.POLLOUT)
        self._owner = threading.get_ident()
        self.overflow = False

    @property
    def is_teacher(self):
        return self.role in SpaceRole.TEACHERS

    def send(self, frame):
        """To this socket only."""
        text = json.dumps(frame, separators=(",", ":"))
        if threading.get_ident() == self._owner:
            with self._send_lock:
                self._ws.send(text)
        else:
            self.push(text)

    def publish(self, frame, to_user=None):
        """To every socket of this room, in every process (only `to_user`'s, if given)."""
        self._rt.publish(self.space_id, frame, to_user)

    def error(self, code, text, ref=None):
        frame = {"type": "error", "code": code, "text": str(text)}
        if ref is not None:
            frame["ref"] = ref
        self.send(frame)

    def push(self, text):
        """An event of the room for this socket (from the thread that fans it out). Sent at
        once when the kernel's send buffer has room for the whole frame, so the write cannot
        block — one thread writing to many sockets is much cheaper than waking one thread per
        socket — else queued for the socket's own thread, so a client that stops reading
        delays only itself (and is dropped when its outbox overflows)."""
        if not self._outbox and self._send_lock.acquire(blocking=False):
            try:
                if self._has_room(len(text)):
                    self._ws.send(text)
                    return
            except (ConnectionClosed, OSError):
                self._ws.event.set()  # its own thread finds out and ends
                return
            finally:
                self._send_lock.release()
        if len(self._outbox) >= OUTBOX_MAX:
            self.overflow = True
        else:
            self._outbox.append(text)
        self._ws.event.set()

    def _has_room(self, size):
        """Whether `size` bytes (plus the frame header) fit in the socket's free send buffer
        now: the buffer's usable half (Linux reports SO_SNDBUF doubled) minus what is still
        queued in it (SIOCOUTQ). A full write then returns at once."""
        if not self._writable.poll(0):
            return False
        try:
            sock = self._ws.sock
            queued = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ,
                                                    b"\0\0\0\0"))[0]
            usable = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2
        except OSError:
            return False
        return size + 64 <= usable - queued

    def flush(self):
        """Send what was queued (this socket's own thread)."""
        with self._send_lock:
            while self._outbox:
                self._ws.send(self._outbox.popleft())

    def recheck(self):
        """Still a member, still logged in? Refreshes the role and whether the space is still
        open (one query, own connection)."""
        with db.connection_context():
            row = (Membership.select(Membership.role, Space.id, Space.closed_at)
                   .join(User).switch(Membership).join(Space)
                   .where(Membership.space == self.space_id, Membership.user == self.user_id,
                          User.session_token == self._token,
                          User.disabled == False)  # noqa: E712
                   .first())
        if row is None:
            raise Gone()
        self.role = row.role
        self.writable = permissions.space_is_writable(row.space)

    def refuse_if_read_only(self, ref):
        """Whether the space is closed: then say so to this socket (and write nothing)."""
        if self.writable:
            return False
        self.error("read_only", _("This space is closed: it is read-only now."), ref)
        return True


# --- Accepting a socket -----------------------------------------------------------------------

def origin_allowed():
    """The page that opens the socket must be ours: the request's own scheme and host, or
    BASE_URL's. Browsers always send Origin on a WebSocket; no Origin, no socket."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    if not origin:
        return False
    allowed = {request.host_url.rstrip("/").lower()}
    base = current_app.config.get("BASE_URL")
    if base:
        parts = urlsplit(base)
        allowed.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origin in allowed


class _SocketResponse(Response):
    """What the view returns once the socket has closed (as flask-sock does it)."""

    def __init__(self, ws):
        super().__init__()
        self._ws_mode = ws.mode

    def __call__(self, *args, **kwargs):
        if self._ws_mode == "gunicorn":
            raise StopIteration()
        if self._ws_mode == "werkzeug":
            return super().__call__(*args, **kwargs)
        return []


@bp.route("/live/socket", websocket=True)
def live_socket():
    if not origin_allowed():
        abort(403)
    if not current_user.is_authenticated:
        abort(403)
    if not permissions.can_use_space_chat(current_user, g.space, g.membership):
        abort(404)
    user = current_user._get_current_object()
    role, space_id = g.membership.role, g.space.id
    key = (id(current_app._get_current_object()), user.id)  # one app per process in use
    with _open_lock:
        if _open_sockets.get(key, 0) >= MAX_SOCKETS_PER_USER:
            abort(429)  # a few tabs are fine; hundreds would take every thread
        _open_sockets[key] = _open_sockets.get(key, 0) + 1
    try:
        return _serve_socket(user, role, space_id)
    finally:
        with _open_lock:
            _open_sockets[key] -= 1
            if not _open_sockets[key]:
                del _open_sockets[key]


def _serve_socket(user, role, space_id):
    rt = realtime.get()
    # The request's database connection is not kept for the socket's life.
    if not db.is_closed():
        db.close()
    ws = Server(request.environ, max_message_size=HARD_MAX_FRAME)
    connection = Connection(ws, rt, user, role, space_id)
    try:
        serve(connection)
    except (ConnectionClosed, OSError):  # closed, or a write timed out (SEND_TIMEOUT)
        pass
    finally:
        try:
            ws.close()
        except Exception:  # noqa: BLE001 - already closed
            pass
    return _SocketResponse(ws)


# --- The loop ---------------------------------------------------------------------------------

def serve(conn):
    config = current_app.config
    recheck_every = float(config.get("LIVE_RECHECK_SECONDS", 15))
    presence = realtime.Presence(PRESENCE)
    conn._rt.attach(conn)
    try:
        presence.add(conn.space_id, conn.conn_id, conn.user_id, conn.user_name)
        conn.send({"type": "hello", "me": {"id": conn.user_id, "name": conn.user_name},
                   "space_id": conn.space_id})
        conn.send({"type": "presence", "people": presence.people(conn.space_id)})
        _publish_presence(conn, presence)
        ws = conn._ws
        idle_limit = float(config.get("LIVE_IDLE_SECONDS", 90))
        next_check = time.monotonic() + recheck_every
        conn.last_seen = time.monotonic()
        while True:
            ws.event.wait(max(0.0, next_check - time.monotonic()))
            ws.event.clear()
            # Frames from the client first (receive() may clear the event again), then the
            # room's events: an event queued meanwhile was queued before its set(), so the
            # outbox drained after the frames still holds it.
            while True:
                data = ws.receive(timeout=0)
                if data is None:
                    break
                conn.last_seen = time.monotonic()
                handle(conn, data)
            conn.flush()
            if conn.overflow:
                ws.close(1008, "too slow")
                return
            if time.monotonic() >= next_check:
                if time.monotonic() - conn.last_seen > idle_limit:
                    # Silent for too long (chat.js pings every 25 s): a vanished client.
                    ws.close(1001, "idle")
                    return
                next_check = time.monotonic() + recheck_every
                try:
                    conn.recheck()
                    presence.heartbeat(conn.space_id, conn.conn_id, conn.user_id,
                                       conn.user_name)
                except Gone:
                    raise
                except Exception:  # noqa: BLE001 - busy database, Redis blip: next time
                    log.exception("periodic check failed")
    except Gone:
        try:
            conn.error("gone", _("You are no longer a member of this space."))
            conn._ws.close(1008, "not a member")
        except ConnectionClosed:
            pass
    finally:
        conn._rt.detach(conn)
        try:
            presence.remove(conn.space_id, conn.conn_id)
            _publish_presence(conn, presence)
        except Exception:  # noqa: BLE001 - Redis away: the entry expires by itself
            log.exception("presence update failed")
        for fn in DISCONNECT_HANDLERS:
            try:
                fn(conn)
            except Exception:  # noqa: BLE001
                log.exception("on_disconnect handler %r failed", fn)


def _publish_presence(conn, presence):
    """Tell the room who is in it now: at once, then at most once per LIVE_PRESENCE_DELAY
    (1,000 people arriving must not cause 1,000 lists to 1,000 sockets)."""
    app = current_app._get_current_object()
    conn._rt.announce_presence(PRESENCE, conn.space_id, app,
                               float(app.config.get("LIVE_PRESENCE_DELAY", 1.0)))


def handle(conn, data):
    """One frame from the client: refuse politely or run its handler; never raise, except
    Gone (the member must leave) and ConnectionClosed."""
    config = current_app.config
    ref = None
    if not conn.state.setdefault("_frames", realtime.SlidingWindow(*FRAME_RATE)).hit():
        conn.state["_floods"] = conn.state.get("_floods", 0) + 1
        if conn.state["_floods"] > FRAME_RATE[0]:
            # Still flooding long after being told: this socket is closed.
            conn._ws.close(1008, "too many frames")
            raise ConnectionClosed()
        return conn.error("rate_limited", _("You are sending very fast. Wait a few seconds."))
    if isinstance(data, bytes):
        return conn.error("bad_frame", _("Send text frames with JSON."))
    if len(data) > config.get("LIVE_MAX_FRAME", 65536):
        return conn.error("too_big", _("That was too long to send."))
    try:
        frame = json.loads(data)
    except ValueError:
        return conn.error("bad_json", _("That message could not be read."))
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return conn.error("bad_frame", _("That message could not be read."))
    ref = _ref(frame, None)
    handler = HANDLERS.get(frame["type"])
    if handler is None:
        return conn.error("unknown_type", _("That kind of message is not known."), ref)
    try:
        conn.recheck()
    except Gone:
        raise
    except Exception:  # noqa: BLE001 - the database is busy: refuse this frame, keep the socket
        log.exception("membership check failed")
        return conn.error("server_error", _("Something went wrong. Try again."), ref)
    try:
        handler(conn, frame)
    except (Gone, ConnectionClosed):
        raise
    except Exception:  # noqa: BLE001 - one bad frame never ends the worker
        log.exception("frame handler %s failed", frame["type"])
        conn.error("server_error", _("Something went wrong. Try again."), ref)


def _ref(frame, default):
    """The client's own label for a request, echoed in error frames (chat.js: which form)."""
    ref = frame.get("ref")
    return ref if isinstance(ref, str) and len(ref) <= 40 else default


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else None


# --- The chat's own frames --------------------------------------------------------------------

@frame_handler("ping")
def on_ping(ctx, frame):
    realtime.Presence(PRESENCE).heartbeat(ctx.space_id, ctx.conn_id, ctx.user_id, ctx.user_name)
    ctx.send({"type": "pong"})


@frame_handler("chat")
def on_chat(ctx, frame):
    ref = _ref(frame, "chat")
    if ctx.refuse_if_read_only(ref):
        return
    body = chat.clean_text(frame.get("body") if isinstance(frame.get("body"), str) else "")
    problem = chat.body_problem(body, current_app.config.get("CHAT_MAX_CHARS",
                                                             chat.DEFAULT_MAX_CHARS))
    if problem:
        return ctx.error("invalid", problem, ref)
    if not _rate_ok(ctx, "chat"):
        return ctx.error("rate_limited", _("You are sending messages very fast. Wait a few "
                                           "seconds, then send it again."), ref)
    with db.connection_context():
        message = chat.post_message(ctx.space_id, ctx.user_id, body)
        data = chat.message_dict(message)
    ctx.publish({"type": "message", **data})


@frame_handler("history")
def on_history(ctx, frame):
    before = _int(frame.get("before_id"))
    with db.connection_context():
        messages, has_more = chat.history(ctx.space_id, before_id=before)
        polls, mine = chat.messages_with_polls(messages, ctx.user_id)
        items = [chat.message_dict(m, polls, mine) for m in messages]
    ctx.send({"type": "history", "messages": items, "has_more": has_more, "before_id": before})


@frame_handler("poll")
def on_poll(ctx, frame):
    ref = _ref(frame, "poll")
    if ctx.refuse_if_read_only(ref):
        return
    if ctx.role not in SpaceRole.TEACHERS:
        return ctx.error("forbidden", _("Only the space's teachers ask questions."), ref)
    question = frame.get("question") if isinstance(frame.get("question"), str) else ""
    options = frame.get("options") if isinstance(frame.get("options"), list) else []
    options = [o for o in options if isinstance(o, str)]
    problems = chat.poll_problems(question, options)
    if problems:
        return ctx.error("invalid", " ".join(str(p) for p in problems.values()), ref)
    if not _rate_ok(ctx, "chat"):
        return ctx.error("rate_limited", _("You are sending very fast. Wait a few seconds."), ref)
    with db.connection_context():
        message = chat.create_poll(ctx.space_id, ctx.user_id, question, options)
        data = chat.message_dict(message)
    ctx.publish({"type": "message", **data})


@frame_handler("vote")
def on_vote(ctx, frame):
    ref = _ref(frame, "vote")
    if ctx.refuse_if_read_only(ref):
        return
    poll_id, option_id = _int(frame.get("poll_id")), _int(frame.get("option_id"))
    if poll_id is None or option_id is None:
        return ctx.error("invalid", _("Choose an option of the question."), ref)
    if not _rate_ok(ctx, "vote", VOTE_RATE):
        return ctx.error("rate_limited", _("You are voting very fast. Wait a few seconds."), ref)
    try:
        with db.connection_context():
            results = chat.vote(ctx.space_id, poll_id, option_id, ctx.user_id)
    except chat.NotFound:
        return ctx.error("not_found", _("That option is not part of a question here."), ref)
    except chat.Closed:
        return ctx.error("closed", _("This question no longer takes votes."), ref)
    ctx.send({"type": "voted", "poll_id": poll_id, "option_id": option_id})
    ctx.publish({"type": "poll_update", "poll": results})


def _rate_ok(ctx, what, rate=None):
    limit, seconds = rate or current_app.config.get("CHAT_RATE", (10, 10))
    return ctx._rt.rate_ok(f"{what}:{ctx.user_id}", limit, seconds)


# The call (F2) registers its frame handlers on import.
from blueprints.spaces import call  # noqa: E402,F401
