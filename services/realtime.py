"""Live events between the people of a space's room (T-11), in one process or many.

One `Realtime` per app (`realtime.get()`), holding:
- a broker: in-process by default; Redis pub/sub when REDIS_URL is set, so every server process
  sees what any of them publishes. One subscriber thread per process (never per socket) reads
  the pattern `<prefix>room:*` and fans each event out to the sockets of this process, each of
  which has its own outbox (`push(text)`, services/socketroom.py), drained by its own thread;
- presence (`Presence(name)`): who is connected to each space's room — a Redis hash per space
  whose entries carry an expiry refreshed by a heartbeat (a crashed process leaves no ghosts
  for long), else a dict in this process;
- rate counters (`rate_ok`), in Redis when configured so a limit holds across processes.

Channel and key names start with REALTIME_PREFIX (tests use one per test, so parallel runs on
one Redis do not hear each other).
"""
import json
import logging
import os
import threading
import time
import uuid
from collections import defaultdict, deque

from flask import current_app

log = logging.getLogger(__name__)

EXTENSION = "opentwin_realtime"
PRESENCE_TTL = 45          # seconds an entry lives without a heartbeat (sockets beat every ~15 s)
PRESENCE_SHOWN = 50        # names a presence frame lists; beyond them it gives the total only
_create_lock = threading.Lock()


def get(app=None):
    """The app's Realtime, made on first use (no thread starts until a socket attaches)."""
    app = app or current_app._get_current_object()
    realtime = app.extensions.get(EXTENSION)
    if realtime is None:
        with _create_lock:
            realtime = app.extensions.get(EXTENSION)
            if realtime is None:
                realtime = Realtime(app.config.get("REDIS_URL"),
                                    app.config.get("REALTIME_PREFIX") or "opentwin:rt:")
                app.extensions[EXTENSION] = realtime
    return realtime


def publish(space_id, frame, to_user=None, app=None):
    """Send `frame` (a dict) to every socket in the space's room, in every process."""
    get(app).publish(space_id, frame, to_user)


class Realtime:
    def __init__(self, redis_url=None, prefix="opentwin:rt:"):
        self.prefix = prefix
        self.redis = None
        if redis_url:
            import redis
            # Every socket's thread may talk to Redis at once (presence, rate limits): with
            # hundreds of sockets per process a plain pool runs out (MaxConnectionsError, and
            # a socket then gets no hello). A blocking pool makes a thread wait its turn.
            pool = redis.BlockingConnectionPool.from_url(
                redis_url, max_connections=int(os.environ.get("REDIS_MAX_CONNECTIONS", 64)),
                timeout=10, socket_timeout=10, socket_connect_timeout=5,
                health_check_interval=30)
            self.redis = redis.Redis(connection_pool=pool)
        self._lock = threading.Lock()
        self._rooms = defaultdict(dict)      # space_id -> {conn_id: connection}
        self._presence = defaultdict(dict)   # (name, space_id) -> {conn_id: (user_id, name)}
        self._counters = {}                  # key -> deque of attempt times
        self._announced, self._announcing = {}, set()
        self._thread = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._failure = None

    # --- Publishing and fan-out --------------------------------------------------------------

    def channel(self, space_id):
        return f"{self.prefix}room:{space_id}"

    def publish(self, space_id, frame, to_user=None):
        text = frame if isinstance(frame, str) else json.dumps(frame, separators=(",", ":"))
        if self.redis is not None:
            # One header line (the addressee, if any), then the frame exactly as sockets get it.
            self.redis.publish(self.channel(space_id), f"{to_user or ''}\n{text}")
        else:
            self._dispatch(int(space_id), to_user, text)

    def _dispatch(self, space_id, to_user, text):
        with self._lock:
            connections = list(self._rooms.get(space_id, {}).values())
        for connection in connections:
            if to_user is None or connection.user_id == to_user:
                connection.push(text)

    def attach(self, connection):
        """Let `connection` (with conn_id, space_id, user_id and push(text)) hear its room."""
        if self.redis is not None:
            self._start_subscriber()
        with self._lock:
            self._rooms[connection.space_id][connection.conn_id] = connection

    def detach(self, connection):
        with self._lock:
            room = self._rooms.get(connection.space_id)
            if room is not None:
                room.pop(connection.conn_id, None)
                if not room:
                    del self._rooms[connection.space_id]

    def local_count(self, space_id=None):
        with self._lock:
            if space_id is not None:
                return len(self._rooms.get(space_id, {}))
            return sum(len(room) for room in self._rooms.values())

    def _start_subscriber(self):
        if self._thread is None:
            self.redis.ping()  # fail now, loudly, rather than fall silent later
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._ready.clear()
                self._failure = None
                self._thread = threading.Thread(target=self._subscribe_loop, daemon=True,
                                                name="opentwin-realtime-subscriber")
                self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"Redis pub/sub is not answering: {self._failure}")

    def _subscribe_loop(self):
        """Read every room's events from Redis and hand each to the local sockets; reconnect
        with a growing pause when Redis goes away."""
        pause = 0.5
        pattern = f"{self.prefix}room:*"
        skip = len(self.prefix) + len("room:")
        while not self._stop.is_set():
            pubsub = self.redis.pubsub()
            try:
                pubsub.psubscribe(pattern)
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "psubscribe":
                        self._ready.set()
                        pause = 0.5
                        continue
                    if message["type"] != "pmessage":
                        continue
                    channel, data = message["channel"], message["data"]
                    if isinstance(channel, bytes):
                        channel = channel.decode()
                    if isinstance(data, bytes):
                        data = data.decode()
                    header, _sep, text = data.partition("\n")
                    try:
                        space_id = int(channel[skip:])
                        to_user = int(header) if header else None
                    except ValueError:
                        continue
                    self._dispatch(space_id, to_user, text)
            except Exception as exc:  # noqa: BLE001 - keep the one subscriber alive
                self._failure = exc
                if not self._stop.is_set():
                    log.warning("realtime subscriber: %s; retrying in %.1f s", exc, pause)
                    self._stop.wait(pause)
                    pause = min(pause * 2, 10)
            finally:
                try:
                    pubsub.close()
                except Exception:  # noqa: BLE001
                    pass

    def close(self):
        """Stop the subscriber thread (tests; a process that ends needs nothing)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if self.redis is not None:
            self.redis.close()

    # --- Rate limits -------------------------------------------------------------------------

    def rate_ok(self, key, limit, seconds):
        """Count one attempt for `key`; True while at most `limit` attempts happened in the
        last `seconds` (a sliding window; in Redis when configured, so all processes share
        it). Refused attempts count too: who keeps flooding stays refused until they pause."""
        now = time.time()
        if self.redis is not None:
            name = f"{self.prefix}rate:{key}"
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(name, 0, now - seconds)
            pipe.zadd(name, {uuid.uuid4().hex: now})
            pipe.zcard(name)
            pipe.expire(name, int(seconds) + 1)
            return pipe.execute()[2] <= limit
        with self._lock:
            if len(self._counters) > 10_000:
                self._counters = {k: v for k, v in self._counters.items()
                                  if v and v[-1] > now - seconds}
            times = self._counters.setdefault(key, deque())
            while times and times[0] <= now - seconds:
                times.popleft()
            times.append(now)
            return len(times) <= limit

    def announce_presence(self, name, space_id, app, delay=1.0):
        """Publish a "presence" frame for the room: at once if none went out in the last
        `delay` seconds, else once at the end of that time for all changes meanwhile."""
        with self._lock:
            if (name, space_id) in self._announcing:
                return
            self._announcing.add((name, space_id))
            last = self._announced.get((name, space_id))
            wait = 0 if last is None else last + delay - time.monotonic()
        if wait <= 0:
            self._announce(name, space_id, app)
        else:
            timer = threading.Timer(wait, self._announce, (name, space_id, app))
            timer.daemon = True
            timer.start()

    def _announce(self, name, space_id, app):
        with self._lock:
            self._announcing.discard((name, space_id))
            self._announced[(name, space_id)] = time.monotonic()
        try:
            self.publish(space_id, Presence(name, app).frame(space_id))
        except Exception:  # noqa: BLE001 - Redis away: the next change tries again
            log.exception("presence broadcast failed")

    # --- Presence storage (see Presence) -------------------------------------------------------

    def _presence_key(self, name, space_id):
        return f"{self.prefix}presence:{name}:{space_id}"

    def presence_add(self, name, space_id, conn_id, user_id, user_name):
        if self.redis is not None:
            key = self._presence_key(name, space_id)
            value = json.dumps([user_id, user_name, time.time() + PRESENCE_TTL])
            pipe = self.redis.pipeline()
            pipe.hset(key, conn_id, value)
            pipe.expire(key, PRESENCE_TTL * 2)
            pipe.execute()
            return
        with self._lock:
            self._presence[(name, int(space_id))][conn_id] = (user_id, user_name)

    def presence_remove(self, name, space_id, conn_id):
        if self.redis is not None:
            self.redis.hdel(self._presence_key(name, space_id), conn_id)
            return
        with self._lock:
            entries = self._presence.get((name, int(space_id)))
            if entries is not None:
                entries.pop(conn_id, None)
                if not entries:
                    del self._presence[(name, int(space_id))]

    def presence_people(self, name, space_id):
        """{user_id: user_name} of the live entries (stale Redis entries are dropped)."""
        found = {}
        if self.redis is not None:
            key = self._presence_key(name, space_id)
            now, stale = time.time(), []
            for conn_id, raw in self.redis.hgetall(key).items():
                try:
                    user_id, user_name, expires = json.loads(raw)
                except (ValueError, TypeError):
                    stale.append(conn_id)
                    continue
                if expires < now:
                    stale.append(conn_id)
                    continue
                found[user_id] = user_name
            if stale:
                self.redis.hdel(key, *stale)
        else:
            with self._lock:
                for user_id, user_name in self._presence.get((name, int(space_id)),
                                                             {}).values():
                    found[user_id] = user_name
        return found


class Presence:
    """Who is connected to each space, under a name ("chat", "call", ...): entries per
    connection, people() deduplicated per user. Call add() again to refresh an entry (the
    heartbeat); with Redis an entry not refreshed within PRESENCE_TTL seconds is dropped."""

    def __init__(self, name, app=None):
        self.name = name
        self._app = app

    def add(self, space_id, conn_id, user_id, user_name):
        get(self._app).presence_add(self.name, space_id, conn_id, user_id, user_name)

    heartbeat = add

    def remove(self, space_id, conn_id):
        get(self._app).presence_remove(self.name, space_id, conn_id)

    def people(self, space_id):
        """[{id, name}] of the people connected, one entry per person, sorted by name."""
        found = get(self._app).presence_people(self.name, space_id)
        people = [{"id": user_id, "name": user_name} for user_id, user_name in found.items()]
        return sorted(people, key=lambda p: (p["name"].casefold(), p["id"]))

    def frame(self, space_id):
        """The "presence" frame: the first PRESENCE_SHOWN people by name and how many there
        are (a room of 1,000 sends 1,000 sockets a short list, not 1,000 names each)."""
        people = self.people(space_id)
        return {"type": "presence", "people": people[:PRESENCE_SHOWN], "total": len(people)}


class SlidingWindow:
    """A counter of events in the last `seconds`, for one connection (no shared state)."""

    def __init__(self, limit, seconds):
        self.limit, self.seconds, self.times = limit, seconds, deque()

    def hit(self):
        """Count one event; False (and not counted) when `limit` were already reached."""
        now = time.monotonic()
        while self.times and now - self.times[0] > self.seconds:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True
