"""What is unsafe or missing before a server goes live: `flask check-config` (commands_check.py).

problems(config, env) looks at the app's configuration and the process environment and returns
findings as (level, key, message): ERROR for what is unsafe or broken, WARNING for what is
missing and worth a decision (mail, backups, a TURN server...). Everything it touches outside
its arguments — /proc/mounts, the database, Redis — goes through a Probes object, so tests can
feed it a fake mounts text or a database that does not answer.
"""
import os
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import urlsplit

ERROR = "ERROR"
WARNING = "WARNING"

# Secrets seen in examples, tutorials and our own tests: never good enough for a server.
KNOWN_SECRETS = {"dev", "development", "secret", "secret-key", "secret_key", "changeme",
                 "change-me", "change_me", "test", "test-secret", "testing", "opentwin",
                 "please-change-me", "replace-me", "your-secret-key", "default"}
MIN_SECRET_LENGTH = 32

# File systems on which SQLite's locking (and WAL's shared memory) cannot be trusted.
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "glusterfs", "ceph",
                       "afs", "lustre", "gfs2", "ocfs2", "davfs", "fuse.sshfs", "sshfs",
                       "fuse.glusterfs", "fuse.ceph", "fuse.cephfs", "fuse.s3fs",
                       "fuse.rclone", "fuse.davfs2", "fuse.gcsfuse", "fuse.juicefs"}

TRUE = ("1", "true", "yes", "on")


def _read_mounts():
    with open("/proc/mounts") as fh:
        return fh.read()


def _one_line(exc):
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def _database_problem(url, migrations_dir):
    """None if the database answers and has every migration, else what is wrong."""
    from playhouse.migrations import Runner

    from app import open_database
    if url.startswith("postgres") and "connect_timeout" not in url:
        # A server that does not answer must not hang the check.
        url += ("&" if "?" in url else "?") + "connect_timeout=5"
    database = open_database(url)
    try:
        database.connect()
        pending = [m.name for m in Runner(database, migrations_dir).status() if not m.applied]
    except Exception as exc:  # any driver error means: not usable
        return f"the database does not answer ({_one_line(exc)})"
    finally:
        if not database.is_closed():
            database.close()
    if pending:
        return (f"{len(pending)} migration(s) pending ({', '.join(pending[:3])}"
                f"{', ...' if len(pending) > 3 else ''}): run `flask db upgrade`")
    return None


def _redis_problem(url):
    """None if Redis answers a PING within two seconds, else what is wrong."""
    import redis
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        return _one_line(exc)
    return None


@dataclass
class Probes:
    """The outside world, replaceable in tests."""
    read_mounts: Callable[[], str] = _read_mounts
    database: Callable[[str, str], Optional[str]] = _database_problem
    redis: Callable[[str], Optional[str]] = _redis_problem
    migrations_dir: str = os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "migrations")


def problems(config, env, probes=None):
    """Return the findings for an app `config` (a mapping) and the environment `env`."""
    probes = probes or Probes()
    found = []

    def add(level, key, message):
        found.append((level, key, message))

    _check_secret(config, env, add)
    _check_debug(config, env, add)
    if config.get("JOBS_IMMEDIATE"):
        add(ERROR, "JOBS_IMMEDIATE", "on: jobs run inside the web process (for tests), so "
            "scheduled jobs never run and failed mail is never tried again; unset it and run "
            "`flask worker`")
    _check_https(config, add)
    _check_mail(config, add)
    _check_writable_dir(config.get("UPLOAD_DIR"), "UPLOAD_DIR", "uploads", add)
    _check_database(config, probes, add)
    _check_backups(config, env, add)
    _check_processes(config, env, probes, add)
    _check_calls(config, add)
    return found


# --- The checks -----------------------------------------------------------------------------

def _check_secret(config, env, add):
    secret = config.get("SECRET_KEY")
    if not secret:
        add(ERROR, "SECRET_KEY", "no secret key: sessions and links cannot be signed")
        return
    secret = str(secret)
    if secret.strip().lower() in KNOWN_SECRETS:
        add(ERROR, "SECRET_KEY", "a well-known example value: anyone could forge sessions; "
            "make one with `python3 -c 'import secrets; print(secrets.token_hex(32))'`")
    elif len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 10:
        add(ERROR, "SECRET_KEY", f"too weak ({len(secret)} characters, {len(set(secret))} "
            f"different): use at least {MIN_SECRET_LENGTH} random characters, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`")
    elif not env.get("SECRET_KEY"):
        add(WARNING, "SECRET_KEY", "not in the environment: the random key generated in "
            "instance/secret_key is used. That is safe on one host, but every host and a "
            "restored server need the same key (or everybody is logged out): set SECRET_KEY "
            "in the environment file")


def _check_debug(config, env, add):
    if config.get("DEBUG") or str(env.get("FLASK_DEBUG", "")).lower() in TRUE:
        add(ERROR, "DEBUG", "debug mode is on (FLASK_DEBUG): error pages would show code and "
            "settings; unset FLASK_DEBUG")


def _check_https(config, add):
    base = config.get("BASE_URL")
    https = False
    if not base:
        add(ERROR, "BASE_URL", "not set: links in mails cannot be built and any Host header "
            "is answered; set the public address, e.g. https://opentwin.example.org")
    else:
        parts = urlsplit(base)
        if parts.scheme != "https" or not parts.hostname:
            add(ERROR, "BASE_URL", f"{base!r} is not an https:// address: passwords and "
                "sessions would cross the network readable")
        else:
            https = True
    if https and not config.get("SESSION_COOKIE_SECURE"):
        add(ERROR, "SESSION_COOKIE_SECURE", "off while the site is on HTTPS: the session "
            "cookie may leak over plain HTTP and no HSTS header is sent; set it to 1")
    if https and not config.get("PROXY_FIX"):
        add(WARNING, "PROXY_FIX", "0 with an https BASE_URL: behind nginx every visitor "
            "seems to come from 127.0.0.1, so one person's failed log-ins block everybody; "
            "set PROXY_FIX=1 (unless gunicorn itself serves HTTPS)")


def _check_mail(config, add):
    if not config.get("MAIL_SERVER"):
        add(WARNING, "MAIL_SERVER", "not set: no mail leaves the server (confirmation and "
            "password-reset links only land in Admin → Mail outbox)")
    elif "@localhost" in str(config.get("MAIL_FROM") or ""):
        add(WARNING, "MAIL_FROM", f"{config.get('MAIL_FROM')!r}: receiving servers reject or "
            "bin mail from @localhost; use an address of your domain")


def _check_writable_dir(path, key, what, add):
    """ERROR unless `path` (or, if missing, the folder that would hold it) takes a new file."""
    if not path:
        add(ERROR, key, f"not set: {what} have nowhere to go")
        return False
    path = os.path.abspath(path)
    probe = path
    while not os.path.isdir(probe):
        if os.path.exists(probe):
            add(ERROR, key, f"{probe} is a file, not a folder ({what} cannot go in {path})")
            return False
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    try:
        fd, name = tempfile.mkstemp(prefix=".check-config-", dir=probe)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        where = path if probe == path else f"{probe} (which would hold {path})"
        add(ERROR, key, f"{what}: cannot write in {where} ({exc.strerror}); give the "
            "service's user write access")
        return False
    return True


def _mount_of(path, mounts_text):
    """The (mount point, fs type) holding `path`, from a /proc/mounts text."""
    best = ("/", "")
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts escapes spaces and the like as octal (\040).
        point = fields[1].encode().decode("unicode_escape")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):
            best = (point, fields[2])
    return best


def _sqlite_path(url):
    """The file of a sqlite:/// URL, or None for another database (or in-memory SQLite)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    return None if path in ("", ":memory:") else path


def _check_database(config, probes, add):
    url = config.get("DATABASE_URL") or ""
    path = _sqlite_path(url)
    if path is not None:
        folder = os.path.dirname(os.path.realpath(path))
        try:
            mounts = probes.read_mounts()
        except OSError:
            mounts = ""
        point, fstype = _mount_of(folder, mounts)
        if fstype.lower() in NETWORK_FILESYSTEMS:
            add(ERROR, "DATABASE_URL", f"the SQLite file is on a network disk ({fstype} at "
                f"{point}): its locks are unreliable there and the database can be corrupted; "
                "keep it on a local disk or use PostgreSQL")
        if not os.path.exists(path):
            add(ERROR, "DATABASE_URL", f"{path} does not exist: run `flask db upgrade`")
            return
        # WAL writes its -wal and -shm files next to the database.
        if not _check_writable_dir(folder, "DATABASE_URL", "the SQLite database", add):
            return
    problem = probes.database(url, probes.migrations_dir)
    if problem:
        add(ERROR, "DATABASE_URL", problem)


def _positive_int(value, key, add, default):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        add(ERROR, key, f"{value!r} is not a whole number")
        return None
    if number < 1:
        add(ERROR, key, f"{number} must be at least 1")
        return None
    return number


def _setting(config, env, key):
    value = config.get(key)
    return env.get(key) if value is None else value


def _check_backups(config, env, add):
    folder = _setting(config, env, "BACKUP_DIR")
    if not folder:
        add(WARNING, "BACKUP_DIR", "not set: no daily backup is made; set a folder (better on "
            "another disk, copied off the machine) or back up by other means")
    else:
        _check_writable_dir(folder, "BACKUP_DIR", "backups", add)
    _positive_int(_setting(config, env, "BACKUP_KEEP"), "BACKUP_KEEP", add, 7)


def _check_processes(config, env, probes, add):
    redis_url = config.get("REDIS_URL")
    workers = _positive_int(env.get("WEB_CONCURRENCY"), "WEB_CONCURRENCY", add, 1)
    _positive_int(_setting(config, env, "WORKER_THREADS"), "WORKER_THREADS", add, 2)
    _positive_int(env.get("THREADS"), "THREADS", add, 256)
    if not redis_url:
        if workers and workers > 1:
            add(ERROR, "REDIS_URL", f"not set with WEB_CONCURRENCY={workers}: each worker "
                "would keep its own chat rooms, presence and rate limits; set REDIS_URL "
                "(also needed for several hosts) or use one worker")
        return
    problem = probes.redis(redis_url)
    if problem:
        add(ERROR, "REDIS_URL", f"set but Redis does not answer ({problem})")


def _check_calls(config, add):
    if not config.get("ICE_SERVERS"):
        add(WARNING, "ICE_SERVERS_JSON", "no STUN/TURN server: video calls connect only "
            "between people whose browsers reach each other directly (rarely across schools); "
            "see README \"Video calls\"")


# --- Output ---------------------------------------------------------------------------------

def report(findings, allowed=()):
    """The lines `flask check-config` prints and whether the check failed."""
    allowed = {key.upper() for key in allowed}
    lines, counted, skipped = [], [], 0
    for level, key, message in sorted(findings, key=lambda f: (f[0] != ERROR, f[1])):
        if key in allowed:
            skipped += 1
            lines.append(f"allowed {level} {key}: {message}")
        else:
            counted.append(level)
            lines.append(f"{level} {key}: {message}")
    errors, warnings = counted.count(ERROR), counted.count(WARNING)
    note = f" ({skipped} allowed)" if skipped else ""
    if counted:
        lines.append(f"{errors} error(s), {warnings} warning(s){note}: not ready for "
                     "production. Fix them, or accept a known one with --allow KEY.")
    else:
        lines.append(f"No problems found{note}: ready for production.")
    return lines, bool(counted)
