"""A small SMTP server on 127.0.0.1 for tests: it accepts every mail and keeps it."""
import socketserver
import threading
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    """Speaks just enough SMTP for smtplib; a client gone mid-talk only ends its thread."""
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.server.connected.set()
        if self.server.hold:  # a server that hangs: the client waits for its greeting
            self.server.release.wait(60)
        self.reply("220 test SMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command == "DATA":
                self.reply("354 go on")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.mails.append(message_from_bytes(b"".join(lines)))
                self.server.received.set()
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self.reply("250 ok")


class SMTPServer(socketserver.ThreadingTCPServer):
    """with SMTPServer() as server: ... server.mails. hold=True makes it hang at the greeting
    until server.release is set (a worker can then be killed in the middle of sending)."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0, hold=False):
        super().__init__(("127.0.0.1", port), _Handler)
        self.mails = []
        self.received = threading.Event()
        self.connected = threading.Event()
        self.hold, self.release = hold, threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.shutdown()
        self.server_close()


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
