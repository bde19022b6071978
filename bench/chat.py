"""Chat fan-out: N WebSocket clients in one live room, one sends, all receive (T-11).

With REDIS_URL set: two gunicorn processes (gthread, deploy/gunicorn.conf.py) on two ports,
the clients split between them, events shared through Redis pub/sub. Without it: one process
with the in-process broker. Both use a temporary SQLite database seeded with one space and
N members (each client is its own member, with the session cookie the app would give it).

Prints the connect time, fan-out latency (median and p95 over every message × client), the
messages per second when the sender sends back-to-back, and the servers' memory (RSS from
/proc). DESIGN.md's goal: p95 ≤ 200 ms at 1,000 clients. The last line is exactly
`chat p95: N ms at C clients`.
Noise: the machine's other work lands on some moments and not others, so the latency is
measured in rounds (3 by default, on the same sockets, a second apart); the p95 reported is the
median of the rounds' p95, with their spread. While a round runs the bench itself only counts
frames (one reader thread, a selector over every client's socket, stamps frames as they
arrive); it decodes them after.
Run: `python -m bench.chat [--clients 1000] [--messages 20] [--rounds 3] [--burst 50]`.
"""
import argparse
import json
import os
import queue
import resource
import selectors
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from wsproto import ConnectionType, WSConnection
from wsproto.events import (AcceptConnection, CloseConnection, Message, Ping, RejectConnection,
                            Request, TextMessage)

from bench import serving

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "bench-chat-secret"


def bench_app():
    """The app the bench's servers run: the real one, with the per-user chat rate limit
    lifted (one sender sends fast on purpose) and no idle timeout (clients do not ping)."""
    from app import create_app
    return create_app({"CHAT_RATE": (10**9, 1), "LIVE_IDLE_SECONDS": 3600,
                       "RATELIMIT_ENABLED": False})


class BenchClient:
    """A WebSocket client (wsproto over a plain socket) whose frames one Reader thread reads
    and timestamps as they arrive: 1,000 clients cost one thread, not 1,000."""

    def __init__(self, port, path, headers):
        self.frames = []
        self.bursts = 0  # cheap counts, checked while the messages are still arriving
        self.latency = 0
        self.closed = False
        self._partial = []
        self._lock = threading.Lock()
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        try:
            self.sock.sendall(self.ws.send(Request(
                host=f"127.0.0.1:{port}", target=path,  # as browsers send Host
                extra_headers=[(k.lower().encode(), v.encode()) for k, v in headers.items()])))
            while True:
                data = self.sock.recv(65536)
                if not data:
                    raise ConnectionError("closed during the handshake")
                self.ws.receive_data(data)
                events = list(self.ws.events())
                if any(isinstance(e, RejectConnection) for e in events):
                    raise ConnectionError("the server refused the socket")
                if any(isinstance(e, AcceptConnection) for e in events):
                    break
            self._handle(events, time.perf_counter())  # frames that came with the answer
            self.sock.settimeout(None)
        except BaseException:
            self.sock.close()
            raise

    def fileno(self):
        return self.sock.fileno()

    def send(self, text):
        with self._lock:
            data = self.ws.send(Message(data=text))
        self.sock.sendall(data)

    def feed(self, data, now):
        """Bytes the Reader got (b"" when the server closed)."""
        if not data:
            self.closed = True
            return
        with self._lock:
            self.ws.receive_data(data)
            events = list(self.ws.events())
        self._handle(events, now)

    def _handle(self, events, now):
        for event in events:
            if isinstance(event, TextMessage):
                self._partial.append(event.data)
                if event.message_finished:
                    text, self._partial = "".join(self._partial), []
                    self.bursts += '"burst ' in text
                    self.latency += '"latency' in text
                    self.frames.append((now, text))
            elif isinstance(event, Ping):
                with self._lock:
                    out = self.ws.send(event.response())
                self.sock.sendall(out)
            elif isinstance(event, CloseConnection):
                self.closed = True

    def close(self):
        try:
            with self._lock:
                out = self.ws.send(CloseConnection(code=1000))
            self.sock.sendall(out)
        except Exception:  # noqa: BLE001 - already closed on either side
            pass
        self.sock.close()


class Reader(threading.Thread):
    """The one thread that reads every client's socket (a selector over all of them)."""

    def __init__(self):
        super().__init__(daemon=True, name="bench-chat-reader")
        self.selector = selectors.DefaultSelector()
        self.pending = queue.SimpleQueue()
        self.running = True

    def add(self, client):
        self.pending.put(client)

    def run(self):
        while self.running:
            while not self.pending.empty():
                self.selector.register(self.pending.get(), selectors.EVENT_READ)
            for key, _mask in self.selector.select(0.05):
                client = key.fileobj
                try:
                    data = client.sock.recv(262144)
                except OSError:
                    data = b""
                client.feed(data, time.perf_counter())
                if client.closed:
                    self.selector.unregister(client)

    def stop(self):
        self.running = False
        self.join(5)


def seed(database_url, clients):
    """One space, one teacher, clients-1 pupils; return (space_id, [session cookies])."""
    from app import create_app
    from commands import migrate
    from models import Membership, Project, Space, SpaceRole, User, db
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET})
    migrate(db.obj)
    tokens = [uuid.uuid4().hex for _ in range(clients)]
    with db.atomic():
        User.insert_many([dict(role="teacher" if i == 0 else "student",
                               email=f"t{i}@bench.example" if i == 0 else None,
                               username=None if i == 0 else f"bench.pupil.{i}",
                               name=f"Bench person {i:04d}", password_hash="x",
                               session_token=token)
                          for i, token in enumerate(tokens)]).execute()
        users = list(User.select().order_by(User.id))
        project = Project.create(title="Bench", description="b", founder=users[0])
        space = Space.create(kind="twinspace", title="Bench room", project=project)
        Membership.insert_many([dict(space=space.id, user=u.id,
                                     role=SpaceRole.ADMIN if i == 0 else SpaceRole.STUDENT)
                                for i, u in enumerate(users)]).execute()
    signer = app.session_interface.get_signing_serializer(app)
    cookies = [f"session={signer.dumps({'_user_id': t, '_fresh': True})}" for t in tokens]
    db.close()
    return space.id, cookies


def start_server(env, port, threads, log):
    return serving.gunicorn(env, log, "bench.chat:bench_app()", port=port,
                            probe="/auth/login", WEB_CONCURRENCY=1, THREADS=threads)[0]


def rss_mb(pids):
    """Resident memory of these processes and their children, in MB."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, list(pids)
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def messages_of(client, prefix):
    """[(arrival, seq)] of the bench's chat messages this client received."""
    found = []
    for arrival, data in list(client.frames):
        if '"message"' in data and prefix in data:
            frame = json.loads(data)
            if frame.get("type") == "message" and frame["body"].startswith(prefix):
                found.append((arrival, int(frame["body"].split()[-1])))
    return found


def wait_until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20,
                        help="messages sent 250 ms apart, for the latency")
    parser.add_argument("--rounds", type=int, default=3,
                        help="latency rounds; the p95 is the median of theirs")
    parser.add_argument("--burst", type=int, default=50,
                        help="messages sent back-to-back, for messages per second")
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    redis_url = os.environ.get("REDIS_URL")
    processes = 2 if redis_url else 1
    work = tempfile.mkdtemp(prefix="opentwin-bench-chat-")
    database_url = "sqlite:///" + os.path.join(work, "bench.db")
    space_id, cookies = seed(database_url, args.clients)
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET,
               REALTIME_PREFIX=f"bench:{uuid.uuid4().hex[:8]}:",
               UPLOAD_DIR=os.path.join(work, "uploads"))
    per_process = -(-args.clients // processes)
    threads = per_process + 64
    log = open(os.path.join(work, "gunicorn.log"), "w")
    servers = []
    clients = []
    reader = Reader()
    reader.start()
    try:
        for _ in range(processes):
            port = serving.free_port()
            servers.append((port, start_server(env, port, threads, log)))
        broker = "Redis pub/sub" if redis_url else "the in-process broker"
        print(f"{args.clients} clients, {processes} gunicorn process(es) with gthread "
              f"({threads} threads each), {broker}; logs in {work}")
        base_rss = rss_mb([p.pid for _port, p in servers])
        path = f"/twinspaces/{space_id}/live/socket"

        failures = []

        def connect(i):
            port = servers[i % processes][0]
            for _attempt in range(3):
                started = time.perf_counter()
                try:
                    client = BenchClient(port, path, {
                        "Cookie": cookies[i], "Origin": f"http://127.0.0.1:{port}"})
                    reader.add(client)
                    return client, time.perf_counter() - started
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    failures.append(repr(exc))
                    time.sleep(0.5)
            raise SystemExit(f"client {i} could not connect: {failures[-1]}")

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=32) as pool:
            results = list(pool.map(connect, range(args.clients)))
        clients = [c for c, _t in results]
        connect_times = [t * 1000 for _c, t in results]
        greeted = wait_until(lambda: all(any('"hello"' in d for _t, d in c.frames)
                                         for c in clients), 60)
        connect_total = time.perf_counter() - started
        assert greeted, "not every client was greeted"
        print(f"connect: all {args.clients} in {connect_total:.1f} s; handshake median "
              f"{statistics.median(connect_times):.0f} ms, p95 {percentile(connect_times, 95):.0f} ms"
              f"; {len(failures)} attempts failed and were retried"
              + (f" (first: {failures[0]})" if failures else ""))
        # Let the "who is here" lists of the arrivals settle before measuring.
        def quiet():
            counts = sum(len(c.frames) for c in clients)
            time.sleep(1.0)
            return sum(len(c.frames) for c in clients) == counts
        wait_until(quiet, 60)
        connected_rss = rss_mb([p.pid for _port, p in servers])

        sender = clients[0]
        rounds = []  # (median, p95, max, deliveries, missing) of each round
        watched = clients[:: max(1, args.clients // 50)]
        for round_ in range(args.rounds):
            prefix, sent = f"latency{round_} ", {}
            for seq in range(args.messages):
                sent[seq] = time.perf_counter()
                sender.send(json.dumps({"type": "chat", "body": f"{prefix}{seq}"}))
                time.sleep(0.25)
            expected = (round_ + 1) * args.messages
            wait_until(lambda: all(c.latency >= expected for c in watched), 30)
            time.sleep(0.5)
            latencies, missing = [], 0
            for client in clients:
                got = dict((seq, arrival) for arrival, seq in messages_of(client, prefix))
                missing += args.messages - len(got)
                latencies.extend((arrival - sent[seq]) * 1000 for seq, arrival in got.items())
            if not latencies:
                raise SystemExit(f"round {round_ + 1}: no message reached any client")
            rounds.append((statistics.median(latencies), percentile(latencies, 95),
                           max(latencies), len(latencies), missing))
            print(f"round {round_ + 1}: fan-out latency over {len(latencies)} deliveries "
                  f"({args.messages} messages × {args.clients} clients): median "
                  f"{rounds[-1][0]:.1f} ms, p95 {rounds[-1][1]:.1f} ms, max {rounds[-1][2]:.1f} "
                  f"ms; missing {missing}")
            time.sleep(1.0)

        burst_start = time.perf_counter()
        for seq in range(args.burst):
            sender.send(json.dumps({"type": "chat", "body": f"burst {seq}"}))
        done = wait_until(lambda: all(c.bursts >= args.burst for c in clients), 120)
        last = max((max(a for a, _s in messages_of(c, "burst")) for c in clients
                    if messages_of(c, "burst")), default=burst_start)
        burst_time = last - burst_start
        end_rss = rss_mb([p.pid for _port, p in servers])

        p95s = [r[1] for r in rounds]
        p95 = statistics.median(p95s)
        print(f"fan-out latency, median of {len(rounds)} rounds: median "
              f"{statistics.median(r[0] for r in rounds):.1f} ms, p95 {p95:.1f} ms (rounds' p95 "
              f"{min(p95s):.0f}–{max(p95s):.0f} ms); missing {sum(r[4] for r in rounds)}")
        print(f"burst: {args.burst} messages to {args.clients} clients in {burst_time:.2f} s = "
              f"{args.burst / burst_time:.1f} messages/s ({args.burst * args.clients / burst_time:,.0f} "
              f"deliveries/s){'' if done else ' (INCOMPLETE: not every client got every message)'}")
        print(f"server memory (RSS, all gunicorn processes): {base_rss:.0f} MB idle, "
              f"{connected_rss:.0f} MB with {args.clients} sockets, {end_rss:.0f} MB at the end")
        print(f"chat p95: {p95:.0f} ms at {args.clients} clients")
        lost = sum(r[4] for r in rounds)
        if lost or not done:  # a latency over what arrived would flatter: the run fails
            raise SystemExit(f"{lost} message(s) never arrived"
                             + ("" if done else "; the burst did not reach every client"))
    finally:
        reader.stop()
        for client in clients:
            client.close()
        for _port, process in servers:
            process.terminate()
        for _port, process in servers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


if __name__ == "__main__":
    main()
