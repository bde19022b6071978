"""gunicorn settings for OpenTwin, used by `make run` and as a start for a real server.

gthread workers, because WebSockets need a thread each (the sync worker blocks on one).
Without REDIS_URL, live events are shared only inside one process: one worker then.
Start: gunicorn -c deploy/gunicorn.conf.py --no-control-socket
"""
import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:5000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if os.environ.get("REDIS_URL") else 1))
threads = int(os.environ.get("THREADS", 64))
timeout = 60
graceful_timeout = 20
accesslog = "-"
