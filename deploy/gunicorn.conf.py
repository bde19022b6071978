"""gunicorn settings for OpenTwin, used by `make run` and as a start for a real server.

gthread workers, because each open WebSocket (the Live room, T-11) holds one worker thread for
its whole life (the sync worker would block on the first socket). So:
- THREADS per worker >= the sockets one worker is expected to hold, plus ~30 for pages. A
  thread is only created when needed; an idle socket costs ~0.3 MB (1,000 sockets ≈ 284 MB of
  worker RSS, TOOLCHAIN.md). Past THREADS, new clients wait silently and pages stall too.
  Keep <= 2,000 sockets per worker: add workers (with Redis) instead.
- WORKER_CONNECTIONS (accepted connections per worker) larger still: 2 × THREADS.
- Without REDIS_URL, live events are shared only inside one process: one worker then. With
  Redis, WEB_CONCURRENCY workers (default 2) share rooms through Redis pub/sub.
Example for 1,000 people in live rooms on one host: REDIS_URL=... WEB_CONCURRENCY=2 THREADS=600.
Start: gunicorn -c deploy/gunicorn.conf.py --no-control-socket
"""
import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:5000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if os.environ.get("REDIS_URL") else 1))
threads = int(os.environ.get("THREADS", 256))
worker_connections = int(os.environ.get("WORKER_CONNECTIONS") or 2 * threads)
# A WebSocket is a long request; gthread workers heartbeat from their main thread, so this only
# ends a worker that is truly stuck.
timeout = 60
graceful_timeout = 20
accesslog = "-"
