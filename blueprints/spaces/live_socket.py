"""The live room's WebSocket (T-11): <space>/live/socket, served through flask-sock.

Before the handshake (answered as HTTP statuses, in `admit_socket`): the Origin must be this
site (403), the session a logged-in user (403), a member of the space (404), with fewer than
MAX_SOCKETS_PER_USER sockets open in this process (429). Then the socket is a `Member` of the
room, run by services/socketroom.py (the loop, frame limits, the per-socket outbox):
- it holds no database connection: each unit of work opens one (`db.connection_context()`);
- every frame re-checks membership and the session (a log-out elsewhere rotates the user's
  session token), and so does a check every LIVE_RECHECK_SECONDS while the socket is idle:
  a removed member or an ended session is disconnected (close code 1008); the same check
  notes whether the space is still open (permissions.space_is_writable): in a closed space
  the room can be read, but messages, questions and votes get a "read_only" error;
- frames are JSON objects with a "type"; larger than LIVE_MAX_FRAME, not JSON, of an unknown
  type or over the rate limits, they get an "error" frame and are otherwise ignored;
- events for the room arrive from services.realtime (another thread, maybe another process).

Every frame type the room understands is registered once, in ROOM at the bottom: the chat's
below, the call's (F2) from blueprints/spaces/call.py.
"""
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.spaces import bp, call
from extensions import sock
from models import Membership, Space, SpaceRole, User, db
from services import chat, permissions, realtime, socketroom

PRESENCE = "chat"
VOTE_RATE = (20, 10)           # votes per user
MAX_SOCKETS_PER_USER = 8       # open sockets of one person in one server process


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


@bp.before_request
def admit_socket():
    """The socket's checks, as HTTP statuses before the handshake: flask-sock accepts the
    WebSocket before it calls the view, so they cannot wait for the view."""
    if g.space_parent.relative(request.endpoint) != "spaces.live_socket":
        return
    if not origin_allowed():
        abort(403)
    if not current_user.is_authenticated:
        abort(403)
    if not permissions.can_use_space_chat(current_user, g.space, g.membership):
        abort(404)
    if not socketroom.open_sockets().take(current_user.id, MAX_SOCKETS_PER_USER):
        abort(429)  # a few tabs are fine; hundreds would take every thread
    g.socket_taken_by = current_user.id


@bp.teardown_request
def release_socket(_exc):
    """The socket has closed (or never opened): its place is free again."""
    user_id = g.pop("socket_taken_by", None)
    if user_id is not None:
        socketroom.open_sockets().release(user_id)


@sock.route("/live/socket", bp=bp)
def live_socket(ws):
    member = Member(ws, current_user._get_current_object(), g.membership.role, g.space.id)
    # The request's database connection is not kept for the socket's life.
    if not db.is_closed():
        db.close()
    config = current_app.config
    member.serve(ROOM, recheck_every=float(config.get("LIVE_RECHECK_SECONDS", 15)),
                 idle_limit=float(config.get("LIVE_IDLE_SECONDS", 90)),
                 max_frame=config.get("LIVE_MAX_FRAME", 65536))


class Member(socketroom.Connection):
    """A member of the space in its live room: the `ctx` every handler gets."""

    def __init__(self, ws, user, role, space_id):
        super().__init__(ws, realtime.get(), user.id, user.name, space_id)
        self.role = role
        self.writable = True  # set by check(), before every frame's handler
        self._token = user.session_token
        self._presence = realtime.Presence(PRESENCE)

    @property
    def is_teacher(self):
        return self.role in SpaceRole.TEACHERS

    def check(self):
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
            raise socketroom.Gone(_("You are no longer a member of this space."))
        self.role = row.role
        self.writable = permissions.space_is_writable(row.space)

    def tick(self):
        self.check()
        self._presence.heartbeat(self.space_id, self.conn_id, self.user_id, self.user_name)

    def opened(self):
        self._presence.add(self.space_id, self.conn_id, self.user_id, self.user_name)
        self.send({"type": "hello", "me": {"id": self.user_id, "name": self.user_name},
                   "space_id": self.space_id})
        self.send(self._presence.frame(self.space_id))
        self._announce_presence()

    def closed(self):
        self._presence.remove(self.space_id, self.conn_id)
        self._announce_presence()

    def _announce_presence(self):
        """Tell the room who is in it now: at once, then at most once per LIVE_PRESENCE_DELAY
        (1,000 people arriving must not cause 1,000 lists to 1,000 sockets)."""
        app = current_app._get_current_object()
        realtime.get(app).announce_presence(PRESENCE, self.space_id, app,
                                            float(app.config.get("LIVE_PRESENCE_DELAY", 1.0)))

    def refuse_if_read_only(self, ref):
        """Whether the space is closed: then say so to this socket (and write nothing)."""
        if self.writable:
            return False
        self.error("read_only", _("This space is closed: it is read-only now."), ref)
        return True


# --- The chat's own frames --------------------------------------------------------------------

def on_ping(ctx, frame):
    realtime.Presence(PRESENCE).heartbeat(ctx.space_id, ctx.conn_id, ctx.user_id, ctx.user_name)
    ctx.send({"type": "pong"})


def on_chat(ctx, frame):
    ref = socketroom.frame_ref(frame, "chat")
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


def on_history(ctx, frame):
    before = _int(frame.get("before_id"))
    with db.connection_context():
        messages, has_more = chat.history(ctx.space_id, before_id=before)
        polls, mine = chat.messages_with_polls(messages, ctx.user_id)
        items = [chat.message_dict(m, polls, mine) for m in messages]
    ctx.send({"type": "history", "messages": items, "has_more": has_more, "before_id": before})


def on_poll(ctx, frame):
    ref = socketroom.frame_ref(frame, "poll")
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


def on_vote(ctx, frame):
    ref = socketroom.frame_ref(frame, "vote")
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
    return ctx.rate_ok(f"{what}:{ctx.user_id}", limit, seconds)


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else None


# --- Every frame the room understands, registered here and only here --------------------------

ROOM = socketroom.Handlers({
    "ping": on_ping,
    "chat": on_chat,
    "history": on_history,
    "poll": on_poll,
    "vote": on_vote,
    # The call (F2): who is in it, and signalling between its participants.
    "call_state": call.on_call_state,
    "call_join": call.on_call_join,
    "call_leave": call.on_call_leave,
    "signal": call.on_signal,
}, on_close=[call.on_call_disconnect])
