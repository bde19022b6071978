"""The plumbing of a space's live-room WebSocket (T-11), under the view in
blueprints/spaces/live_socket.py: what a socket is made of, not what the room says.

flask-sock accepts the socket (handshake, routing) and hands the view a simple_websocket
`Server`. What it does not give, and a room of 1,000 sockets needs, is here:
- **Back-pressure** (`Socket`). simple_websocket's `send()` blocks until the kernel has taken the
  whole frame. The thread that fans a room's event out to every socket (services/realtime.py)
  must never block on one client that stopped reading, yet waking 1,000 socket threads per
  event costs far more than writing 1,000 frames from one thread. So `push()` writes at once
  only when the kernel's send buffer has room for the whole frame (poll + SIOCOUTQ: Linux
  only), else queues the frame in the socket's own outbox for its own thread, which also gives
  up on a write after SEND_TIMEOUT seconds (SO_SNDTIMEO); a client whose outbox overflows is
  dropped, not buffered forever.
- **The loop** (`Connection.serve`): one per socket, in the (gthread) thread that serves it;
  frames from the client, then the room's queued events, then a periodic check. A subclass
  says what its room does on opening, on closing, before each frame (`check()`, e.g. "still
  a member?") and periodically (`tick()`); raising `Gone` from those ends the socket (1008).
- **Frames and limits** (`Connection.handle`): JSON objects with a "type"; more than
  FRAME_RATE frames of any kind, larger than `max_frame`, not JSON or of an unknown type get
  an "error" frame and are otherwise ignored; one who goes on flooding is disconnected.
- **Handlers** (`Handlers`): the one registry of a room's frame types, `fn(ctx, frame)`, and of
  what runs when a socket closes, `fn(ctx)`.
- **Sockets per person** (`open_sockets()`): a per-process count, so a few tabs are fine and
  hundreds cannot take every thread.

Nothing here knows Flask requests or the database.
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

from flask import current_app
from flask_babel import gettext as _
from simple_websocket import ConnectionClosed

from services.realtime import SlidingWindow

log = logging.getLogger(__name__)

OUTBOX_MAX = 2000              # a client this far behind is dropped, not buffered forever
FRAME_RATE = (300, 10)         # any frames per connection per 10 s (call signalling included)
SEND_TIMEOUT = 10              # seconds a write to one client may take
EXTENSION = "opentwin_open_sockets"


class Gone(Exception):
    """The person may no longer be in this room (removed, logged out, disabled): the text is
    what their socket is told before it closes."""


class Handlers:
    """A room's frame types, `fn(ctx, frame)` each, and what runs when one of its sockets
    closes, `fn(ctx)`: registered in one place, by whoever builds the room."""

    def __init__(self, frames=None, on_close=()):
        self.frames = dict(frames or {})
        self.closing = list(on_close)

    def frame(self, kind):
        """Decorator: register `fn(ctx, frame)` for frames of type `kind`."""
        def decorator(fn):
            self.frames[kind] = fn
            return fn
        return decorator

    def on_close(self, fn):
        """Decorator: register `fn(ctx)`, called once when a socket of the room closes."""
        self.closing.append(fn)
        return fn

    def get(self, kind):
        return self.frames.get(kind)


class Socket:
    """One accepted WebSocket (a simple_websocket Server: `sock`, `event`, `send`, `receive`,
    `close`), written to by its own thread (`send`) or by any other (`push`)."""

    def __init__(self, ws, send_timeout=SEND_TIMEOUT, outbox_max=OUTBOX_MAX):
        self.ws = ws
        self.overflow = False
        self._outbox = deque()
        self._outbox_max = outbox_max
        self._lock = threading.Lock()
        self._owner = threading.get_ident()
        # A client that stops reading pins at most its own thread, and not for long: a
        # write that cannot finish in `send_timeout` seconds ends the socket.
        ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                           struct.pack("ll", send_timeout, 0))
        self._writable = select.poll()
        self._writable.register(ws.sock, select.POLLOUT)

    def send(self, text):
        """Write `text` now from the socket's own thread; from another, push() it."""
        if threading.get_ident() == self._owner:
            with self._lock:
                self.ws.send(text)
        else:
            self.push(text)

    def push(self, text):
        """An event for this socket, from the thread that fans it out. Sent at once when the
        kernel's send buffer has room for the whole frame, so the write cannot block, else
        queued for the socket's own thread, so a client that stops reading delays only
        itself (and is dropped when its outbox overflows)."""
        if not self._outbox and self._lock.acquire(blocking=False):
            try:
                if self.has_room(len(text)):
                    self.ws.send(text)
                    return
            except (ConnectionClosed, OSError):
                self.ws.event.set()  # its own thread finds out and ends
                return
            finally:
                self._lock.release()
        if len(self._outbox) >= self._outbox_max:
            self.overflow = True
        else:
            self._outbox.append(text)
        self.ws.event.set()

    def has_room(self, size):
        """Whether `size` bytes (plus the frame header) fit in the socket's free send buffer
        now: the buffer's usable half (Linux reports SO_SNDBUF doubled) minus what is still
        queued in it (SIOCOUTQ). A full write then returns at once."""
        if not self._writable.poll(0):
            return False
        try:
            sock = self.ws.sock
            queued = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ,
                                                    b"\0\0\0\0"))[0]
            usable = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2
        except OSError:
            return False
        return size + 64 <= usable - queued

    def queued(self):
        """The frames waiting for the socket's own thread."""
        return list(self._outbox)

    def flush(self):
        """Send what was queued (the socket's own thread)."""
        with self._lock:
            while self._outbox:
                self.ws.send(self._outbox.popleft())

    def wait(self, timeout):
        """Sleep until a frame or an event arrives, or `timeout` seconds pass."""
        self.ws.event.wait(timeout)
        self.ws.event.clear()

    def received(self):
        """The client's frames that have arrived, without waiting."""
        while True:
            data = self.ws.receive(timeout=0)
            if data is None:
                return
            yield data

    def close(self, code, reason):
        self.ws.close(code, reason)


class Connection:
    """One socket of a room, as its handlers see it (`ctx`): who is there, a dict of `state`
    for the handlers, and what they may do — `send()` to this socket, `publish()` to the room
    in every process, `error()`, `rate_ok()`. `serve()` runs it; a room subclasses it for
    opened(), check(), tick() and closed()."""

    def __init__(self, ws, rt, user_id, user_name, space_id, send_timeout=SEND_TIMEOUT):
        self.conn_id = uuid.uuid4().hex
        self.user_id, self.user_name, self.space_id = user_id, user_name, space_id
        self.state = {}
        self.socket = Socket(ws, send_timeout)
        self.push = self.socket.push  # what the broker calls, once per event (the hot path)
        self._rt = rt
        self._frames = SlidingWindow(*FRAME_RATE)
        self._floods = 0

    # --- What handlers do --------------------------------------------------------------------

    def send(self, frame):
        """To this socket only."""
        self.socket.send(json.dumps(frame, separators=(",", ":")))

    def publish(self, frame, to_user=None):
        """To every socket of this room, in every process (only `to_user`'s, if given)."""
        self._rt.publish(self.space_id, frame, to_user)

    def error(self, code, text, ref=None):
        frame = {"type": "error", "code": code, "text": str(text)}
        if ref is not None:
            frame["ref"] = ref
        self.send(frame)

    def rate_ok(self, key, limit, seconds):
        """One more attempt at `key` (shared by every process): within `limit` per `seconds`?"""
        return self._rt.rate_ok(key, limit, seconds)

    # --- What a room adds (subclasses) -------------------------------------------------------

    def opened(self):
        """The socket is in the room (it hears the room's events): greet it."""

    def check(self):
        """Before each frame's handler: raise Gone if the person may no longer be here."""

    def tick(self):
        """Every `recheck_every` seconds while the socket is open; may raise Gone."""
        self.check()

    def closed(self):
        """The socket has left the room (before the handlers' on_close)."""

    # --- The loop ----------------------------------------------------------------------------

    def serve(self, handlers, recheck_every=15.0, idle_limit=90.0, max_frame=65536):
        """Run the socket until it closes: the client's frames through `handlers` (a
        Handlers), the room's events from its outbox, `tick()` every `recheck_every` seconds,
        and a close after `idle_limit` seconds without a frame (a vanished client). Returns
        when the socket has closed, for whatever reason."""
        try:
            self._serve(handlers, recheck_every, idle_limit, max_frame)
        except (ConnectionClosed, OSError):  # closed, or a write timed out (SEND_TIMEOUT)
            pass

    def _serve(self, handlers, recheck_every, idle_limit, max_frame):
        sock = self.socket
        self._rt.attach(self)
        try:
            self.opened()
            next_check = time.monotonic() + recheck_every
            last_seen = time.monotonic()
            while True:
                sock.wait(max(0.0, next_check - time.monotonic()))
                # Frames from the client first (receive() may clear the event again), then the
                # room's events: an event queued meanwhile was queued before its set(), so the
                # outbox drained after the frames still holds it.
                for data in sock.received():
                    last_seen = time.monotonic()
                    self.handle(handlers, data, max_frame)
                sock.flush()
                if sock.overflow:
                    sock.close(1008, "too slow")
                    return
                if time.monotonic() >= next_check:
                    if time.monotonic() - last_seen > idle_limit:
                        sock.close(1001, "idle")
                        return
                    next_check = time.monotonic() + recheck_every
                    try:
                        self.tick()
                    except Gone:
                        raise
                    except Exception:  # noqa: BLE001 - busy database, Redis blip: next time
                        log.exception("periodic check failed")
        except Gone as gone:
            try:
                self.error("gone", gone)
                sock.close(1008, "not a member")
            except ConnectionClosed:
                pass
        finally:
            self._rt.detach(self)
            try:
                self.closed()
            except Exception:  # noqa: BLE001 - Redis away: presence entries expire by themselves
                log.exception("closing the socket's room failed")
            for fn in handlers.closing:
                try:
                    fn(self)
                except Exception:  # noqa: BLE001
                    log.exception("on_close handler %r failed", fn)

    def handle(self, handlers, data, max_frame):
        """One frame from the client: refuse it politely or run its handler; never raise,
        except Gone (the person must leave) and ConnectionClosed."""
        if not self._frames.hit():
            self._floods += 1
            if self._floods > FRAME_RATE[0]:
                # Still flooding long after being told: this socket is closed.
                self.socket.close(1008, "too many frames")
                raise ConnectionClosed()
            return self.error("rate_limited", _("You are sending very fast. Wait a few seconds."))
        if isinstance(data, bytes):
            return self.error("bad_frame", _("Send text frames with JSON."))
        if len(data) > max_frame:
            return self.error("too_big", _("That was too long to send."))
        try:
            frame = json.loads(data)
        except ValueError:
            return self.error("bad_json", _("That message could not be read."))
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return self.error("bad_frame", _("That message could not be read."))
        ref = frame_ref(frame, None)
        handler = handlers.get(frame["type"])
        if handler is None:
            return self.error("unknown_type", _("That kind of message is not known."), ref)
        try:
            self.check()
        except Gone:
            raise
        except Exception:  # noqa: BLE001 - the database is busy: refuse this frame, keep the socket
            log.exception("check before a frame failed")
            return self.error("server_error", _("Something went wrong. Try again."), ref)
        try:
            handler(self, frame)
        except (Gone, ConnectionClosed):
            raise
        except Exception:  # noqa: BLE001 - one bad frame never ends the worker
            log.exception("frame handler %s failed", frame["type"])
            self.error("server_error", _("Something went wrong. Try again."), ref)


def frame_ref(frame, default):
    """The client's own label for a request, echoed in error frames (chat.js: which form)."""
    ref = frame.get("ref")
    return ref if isinstance(ref, str) and len(ref) <= 40 else default


# --- Sockets per person -----------------------------------------------------------------------

class OpenSockets:
    """How many sockets each person has open in this process (a limit per process: each
    process has its own threads to protect)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}

    def take(self, user_id, limit):
        """Count one more socket for `user_id`; False (and not counted) at `limit`."""
        with self._lock:
            if self._counts.get(user_id, 0) >= limit:
                return False
            self._counts[user_id] = self._counts.get(user_id, 0) + 1
            return True

    def release(self, user_id):
        with self._lock:
            self._counts[user_id] -= 1
            if not self._counts[user_id]:
                del self._counts[user_id]

    def count(self, user_id=None):
        with self._lock:
            if user_id is not None:
                return self._counts.get(user_id, 0)
            return sum(self._counts.values())


def open_sockets(app=None):
    """The app's OpenSockets (one per app, in app.extensions)."""
    app = app or current_app._get_current_object()
    return app.extensions.setdefault(EXTENSION, OpenSockets())
