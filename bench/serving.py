"""gunicorn for the benches (bench/load.py, bench/chat.py): the deploy settings
(deploy/gunicorn.conf.py) on a free port of 127.0.0.1, started and waited for."""
import http.client
import os
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(env, log, app_spec=None, port=None, probe="/", **settings):
    """(process, port): gunicorn serving `app_spec` (the app by default) with `settings` as
    environment (WEB_CONCURRENCY, THREADS...), once `probe` answers below 500."""
    port = port or free_port()
    env = dict(env, BIND=f"127.0.0.1:{port}", **{k: str(v) for k, v in settings.items()})
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
         "--no-control-socket"] + ([app_spec] if app_spec else []),
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped; see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", probe)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not start; see {log.name}")
