"""nginx in front of test app hosts, as a child of the test: its own prefix, config, pid, logs
and temp folders in a temporary folder, `daemon off`, stopped at the end. Each named server
listens on its own port of 127.0.0.1 and proxies to one upstream group (one app host, or
several, round robin), with the WebSocket upgrade headers of deploy/nginx.conf. Every answer
says which app host made it in X-Served-By (nginx's $upstream_addr)."""
import grp
import os
import pwd
import shutil
import socket
import subprocess

import pytest

from tests.processes import free_port, wait_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

LOCATION = """
        location / {{
            proxy_pass http://{upstream};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_connect_timeout 5s;
            proxy_read_timeout 120s;
            proxy_send_timeout 120s;
            add_header X-Served-By $upstream_addr always;
        }}"""


def nginx_binary():
    """The nginx to run; missing fails in CI (`make test` installs it) and skips elsewhere."""
    if os.access(NGINX, os.X_OK):
        return NGINX
    message = "nginx is not installed (`make test` installs it: apt-get install nginx)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Nginx:
    """nginx with one server per entry of `routes` ({name: [app "host:port", ...]});
    `port[name]` is where that server listens."""

    def __init__(self, folder, routes):
        binary = nginx_binary()
        self.folder = str(folder)
        os.makedirs(self.folder, exist_ok=True)
        self.port = {name: free_port() for name in routes}
        self.address = {name: f"127.0.0.1:{port}" for name, port in self.port.items()}
        conf = os.path.join(self.folder, "nginx.conf")
        with open(conf, "w") as fh:
            fh.write(self._config(routes))
        self.error_log = os.path.join(self.folder, "error.log")
        self.process = subprocess.Popen(
            [binary, "-p", self.folder + "/", "-c", conf, "-e", self.error_log],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        for name in routes:
            wait_for(lambda: self._listening(name), 20, f"nginx to listen for {name}")

    def _config(self, routes):
        tmp = self.folder
        user = ""
        if os.geteuid() == 0:  # workers would otherwise be "nobody", shut out of this folder
            user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} "
                    f"{grp.getgrgid(os.getegid()).gr_name};")
        upstreams = "\n".join(
            f"    upstream {name} {{ {' '.join(f'server {h};' for h in hosts)} }}"
            for name, hosts in routes.items())
        servers = "\n".join(
            f"    server {{\n        listen 127.0.0.1:{self.port[name]};\n"
            f"        client_max_body_size 55m;{LOCATION.format(upstream=name)}\n    }}"
            for name in routes)
        return f"""{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
{upstreams}
{servers}
}}
"""

    def _listening(self, name):
        assert self.process.poll() is None, self.log()
        try:
            with socket.create_connection(("127.0.0.1", self.port[name]), timeout=1):
                return True
        except OSError:
            return False

    def log(self):
        try:
            with open(self.error_log) as fh:
                return fh.read()
        except FileNotFoundError:
            return "(no error log)"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown, open sockets included
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
