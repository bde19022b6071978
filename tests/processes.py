"""Real OpenTwin processes for the tests that need more than the test client: gunicorn (one
gthread worker) serving app:create_app() for a test app's database and upload folder, a free
port, and waiting for a condition (never for a time). Used by tests/faults (a worker killed,
PostgreSQL restarted) and tests/integration (two processes, two hosts behind nginx)."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    """gunicorn serving app:create_app() for `app`'s database, secret and upload folder.
    REDIS_URL reaches it only as `redis_url` (None: the in-process broker, one process);
    `extra_env` adds settings (REALTIME_PREFIX, PROXY_FIX...)."""

    def __init__(self, app, extra_env=None, redis_url=None, threads=4):
        self.app = app
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"],
                   SECRET_KEY=app.config["SECRET_KEY"], UPLOAD_DIR=app.config["UPLOAD_DIR"])
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        env.update(extra_env or {})
        self.log = open(os.path.join(os.path.dirname(app.config["UPLOAD_DIR"]),
                                     f"gunicorn-{self.port}.log"), "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", str(threads),
             "-w", "1", "--timeout", "60", "-b", f"127.0.0.1:{self.port}",
             "--no-control-socket", "app:create_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.address = f"127.0.0.1:{self.port}"
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
