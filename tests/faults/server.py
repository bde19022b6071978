"""What the fault tests need around a real OpenTwin under gunicorn (tests/processes.py): a
logged-in client with a CSRF token, and "has the server read what I sent?" from the kernel's
socket queues (a condition, never a sleep)."""
import os

from itsdangerous import URLSafeTimedSerializer

from tests.processes import wait_for


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
