"""A real OpenTwin under gunicorn (one gthread worker) for the fault tests, and what they need
around it: a logged-in client with a CSRF token, the worker's pid, and "has the server read
what I sent?" from the kernel's socket queues (a condition, never a sleep)."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time

from itsdangerous import URLSafeTimedSerializer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds=20, what="the condition"):
    """Poll `condition` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except FileNotFoundError:
        return []


class Server:
    """gunicorn serving app:create_app() for `app`'s database and upload folder."""

    def __init__(self, app, extra_env=None):
        self.app = app
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"],
                   SECRET_KEY=app.config["SECRET_KEY"], UPLOAD_DIR=app.config["UPLOAD_DIR"],
                   **(extra_env or {}))
        env.pop("REDIS_URL", None)
        self.log = open(os.path.join(os.path.dirname(app.config["UPLOAD_DIR"]),
                                     f"gunicorn-{self.port}.log"), "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "4", "-w", "1",
             "--timeout", "60", "-b", f"127.0.0.1:{self.port}", "--no-control-socket",
             "app:create_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.worker = self.wait_for_worker()

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_for_worker(self, not_this=None):
        """The pid of a worker that answers (not `not_this`, the one killed)."""
        def ready():
            assert self.process.poll() is None, self.output()
            pids = [p for p in children(self.process.pid) if p != not_this]
            if not pids:
                return None
            try:
                if self.request("GET", "/auth/login", timeout=5).status == 200:
                    return pids[0]
            except OSError:
                return None
        return wait_for(ready, 40, "a gunicorn worker to answer")

    def kill_worker(self):
        os.kill(self.worker, signal.SIGKILL)
        killed, self.worker = self.worker, None
        self.worker = self.wait_for_worker(not_this=killed)
        return killed

    def connection(self, timeout=20):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=20):
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            response.body = response.read()
            return response
        finally:
            conn.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def logged_in(app, user):
    """(Cookie header, CSRF token) of a browser where `user` has logged in."""
    raw = os.urandom(20).hex()
    session = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.session_token, "_fresh": True, "csrf_token": raw})
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    return f"session={session}", token


def _tcp_queues(local_port, remote_port):
    """(tx_queue, rx_queue) of the IPv4 socket local_port -> remote_port, or None."""
    want = f":{local_port:04X}", f":{remote_port:04X}"
    with open("/proc/net/tcp") as fh:
        next(fh)
        for line in fh:
            fields = line.split()
            if fields[1].endswith(want[0]) and fields[2].endswith(want[1]):
                tx, rx = fields[4].split(":")
                return int(tx, 16), int(rx, 16)
    return None


def server_has_read_all(server, conn):
    """True when everything `conn` sent has left our side and the server process has read it
    from its socket (its receive queue is empty): it is inside the request, waiting for more."""
    client_port = conn.sock.getsockname()[1]
    ours = _tcp_queues(client_port, server.port)
    theirs = _tcp_queues(server.port, client_port)
    return ours is not None and theirs is not None and ours[0] == 0 and theirs[1] == 0


def send_part_then_wait(server, path, headers, body, sent_bytes):
    """Start a POST of `body` but send only its first `sent_bytes`; return the connection once
    the server has read them (the worker is then mid-request, waiting for the rest)."""
    conn = server.connection()
    conn.putrequest("POST", path)
    for name, value in dict(headers, **{"Content-Length": str(len(body))}).items():
        conn.putheader(name, value)
    conn.endheaders()
    conn.send(body[:sent_bytes])
    wait_for(lambda: server_has_read_all(server, conn), 20,
             "the server to read the first half of the request")
    return conn
