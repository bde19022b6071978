"""OpenTwin: create_app() builds the Flask application from configuration and blueprints."""
import glob
import hashlib
import json
import os
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, request, session
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import commands
from database import drop_connection, open_database  # noqa: F401 - app.open_database is used
from web import here_for_return, page_cache_control
from extensions import babel, compress, csrf, htmx, limiter, login_manager, sock
from models import User, db
from services import i18n, jobs, permissions
from services.reference import (AGE_RANGES, DEFAULT_LANGUAGE, LANGUAGES, ROLE_NAMES, SUBJECTS,
                                COMMUNITY_ROLES, EVENT_KINDS, SPACE_ROLES, SPACE_THEMES,
                                TESTIMONIAL_ROLES,
                                country_name, language_name)
from services.storage import download_name, image_size, remove_stale_parts

HERE = os.path.dirname(os.path.abspath(__file__))

# The strict policy DESIGN.md asks for: no inline or eval script, no inline style, no framing.
# Frames only from the privacy-enhanced video hosts, and only after a click (T-5).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; "
       "font-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def _env_bool(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


def _ice_servers():
    """STUN/TURN servers for the video call (T-11), as RTCPeerConnection takes them: a JSON list
    in ICE_SERVERS_JSON, e.g. [{"urls": "turn:turn.example.org:3478", "username": "u",
    "credential": "p"}]. None by default: calls then work between people on the same network."""
    raw = os.environ.get("ICE_SERVERS_JSON") or "[]"
    try:
        servers = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"ICE_SERVERS_JSON is not valid JSON: {exc}") from None
    if not isinstance(servers, list) or not all(isinstance(s, dict) and s.get("urls")
                                                for s in servers):
        raise ValueError('ICE_SERVERS_JSON must be a JSON list like [{"urls": "stun:host:3478"}]')
    return servers


class DatabaseInt(IntegerConverter):
    """An id in a URL: at most what a database integer holds (bigger ones are 404s)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def default_config(instance_path):
    """Return settings from the environment, with defaults that are safe for one machine."""
    redis_url = os.environ.get("REDIS_URL") or None
    return dict(
        SECRET_KEY=os.environ.get("SECRET_KEY") or None,
        # The address people use, e.g. https://opentwin.example.org: links in mails use it.
        BASE_URL=os.environ.get("BASE_URL") or None,
        # Number of reverse proxies (nginx) in front that set X-Forwarded-For/-Proto/-Host.
        PROXY_FIX=int(os.environ.get("PROXY_FIX") or 0),
        DATABASE_URL=(os.environ.get("DATABASE_URL")
                      or "sqlite:///" + os.path.join(instance_path, "opentwin.db")),
        REDIS_URL=redis_url,
        UPLOAD_DIR=os.environ.get("UPLOAD_DIR") or os.path.join(instance_path, "uploads"),
        # `flask backup` and the daily job write here (without it: instance/backups/ for the
        # command, no daily backup); the daily job keeps the newest BACKUP_KEEP archives.
        BACKUP_DIR=os.environ.get("BACKUP_DIR") or None,
        BACKUP_KEEP=int(os.environ.get("BACKUP_KEEP") or 7),
        MAIL_SERVER=os.environ.get("MAIL_SERVER") or None,
        MAIL_PORT=int(os.environ.get("MAIL_PORT") or 587),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME") or None,
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD") or None,
        MAIL_USE_TLS=_env_bool("MAIL_USE_TLS", True),
        MAIL_FROM=os.environ.get("MAIL_FROM") or "OpenTwin <no-reply@localhost>",
        # The largest file a member may upload to a space (materials, mail attachments).
        MAX_UPLOAD_MB=int(os.environ.get("MAX_UPLOAD_MB") or 50),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_env_bool("SESSION_COOKIE_SECURE"),
        # A form stays valid as long as the session: a teacher who writes slowly loses nothing.
        WTF_CSRF_TIME_LIMIT=None,
        # How long a proxy may keep an anonymous visitor's public page (web.page_cache_control).
        PUBLIC_PAGE_MAX_AGE=int(os.environ.get("PUBLIC_PAGE_MAX_AGE") or 60),
        # Database connections kept open between requests (database.py), at most
        # DATABASE_POOL_MAX a process (0: as many as its threads use at once).
        DATABASE_POOL=_env_bool("DATABASE_POOL", True),
        DATABASE_POOL_MAX=int(os.environ.get("DATABASE_POOL_MAX") or 0),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
        # Rate-limit counters in Redis start with this (one site per prefix, as REALTIME_PREFIX).
        RATELIMIT_KEY_PREFIX=os.environ.get("RATELIMIT_KEY_PREFIX") or "opentwin",
        # Failed log-ins (blueprints/auth/attempts.py): of one account from one address, and
        # from one address for any account (a school network shares one address).
        LOGIN_FAILURES_PER_ACCOUNT="10 per 15 minutes",
        LOGIN_FAILURES_PER_ADDRESS="100 per 15 minutes",
        COMPRESS_ALGORITHM=["br", "gzip"],
        # Static files are streamed; Flask-Compress leaves gzip out of streams unless asked.
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/plain", "application/javascript",
                            "text/javascript", "application/json", "image/svg+xml"],
        COMPRESS_MIN_SIZE=500,
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=os.path.join(HERE, "translations"),
        STATIC_MAX_AGE=365 * 24 * 3600,
        # The live room (T-11): Redis channels and keys start with this (one site per prefix).
        REALTIME_PREFIX=os.environ.get("REALTIME_PREFIX") or "opentwin:rt:",
        CHAT_MAX_CHARS=2000,          # characters in one chat message
        CHAT_RATE=(10, 10),           # chat messages (and polls) per user per N seconds
        LIVE_MAX_FRAME=64 * 1024,     # a larger WebSocket frame gets an error frame (SDPs fit)
        LIVE_RECHECK_SECONDS=15,      # an idle socket re-checks membership this often
        LIVE_IDLE_SECONDS=90,         # a socket silent this long is closed (chat.js pings)
        LIVE_PRESENCE_DELAY=1.0,      # at most one "who is here" list per room per N seconds
        # flask-sock's WebSocket server: a frame past 1 MB closes its socket (1009); below that,
        # a frame larger than LIVE_MAX_FRAME gets an error frame and the socket lives on.
        SOCK_SERVER_OPTIONS={"max_message_size": 1024 * 1024},
        ICE_SERVERS=_ice_servers(),
        # The job worker (services/jobs.py, `flask worker`): JOBS_IMMEDIATE runs jobs inline
        # instead (tests); JOBS_DB is the queue's file when neither PostgreSQL nor Redis is
        # used (default: beside the SQLite database).
        JOBS_IMMEDIATE=_env_bool("JOBS_IMMEDIATE"),
        JOBS_DB=os.environ.get("JOBS_DB") or None,
        JOBS_NAME=os.environ.get("JOBS_NAME") or "opentwin",  # one queue per name
        WORKER_THREADS=int(os.environ.get("WORKER_THREADS") or 2),
        # The mail queue: tries in all, and the wait after the first failed one (it doubles).
        MAIL_MAX_ATTEMPTS=int(os.environ.get("MAIL_MAX_ATTEMPTS") or 8),
        MAIL_RETRY_SECONDS=int(os.environ.get("MAIL_RETRY_SECONDS") or 60),
        # A mail held longer than this by a worker was lost with it: it is queued again.
        MAIL_CLAIM_SECONDS=int(os.environ.get("MAIL_CLAIM_SECONDS") or 600),
        CHAT_RETENTION_DAYS=90,
    )


def _jobs_db(database_url, instance_path):
    """The queue's SQLite file: beside a SQLite database, else in instance/."""
    if database_url.startswith("sqlite:///"):
        root, _ext = os.path.splitext(database_url[len("sqlite:///"):])
        return root + "-jobs.db"
    return os.path.join(instance_path, "jobs.db")


def create_app(test_config=None):
    """Create and configure an instance of the OpenTwin application."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseInt
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(default_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    # A request may carry one file of the largest size plus its form: above that limit the
    # form itself can still say "too large" next to the field.
    if app.config["TESTING"] and "JOBS_IMMEDIATE" not in (test_config or {}):
        app.config["JOBS_IMMEDIATE"] = True
    if not app.config["JOBS_DB"]:
        app.config["JOBS_DB"] = _jobs_db(app.config["DATABASE_URL"], app.instance_path)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = (max(app.config["MAX_UPLOAD_MB"], 20) + 5) * 1024 * 1024
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    _trust_hosts(app)
    if app.config["PROXY_FIX"]:
        # Behind nginx the client address is in X-Forwarded-For: rate limits need it.
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # A process killed while writing an upload may have left a `.part` (never served).
    remove_stale_parts(app.config["UPLOAD_DIR"])
    init_database(app)
    jobs.configure(app)
    init_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    commands.register(app)
    return app


def _trust_hosts(app):
    """Answer only to our own host names, so a forged Host header cannot shape links."""
    if app.config.get("TRUSTED_HOSTS") is not None:
        return
    hosts = os.environ.get("TRUSTED_HOSTS")
    if hosts:
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    elif app.config.get("BASE_URL"):
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["BASE_URL"]).hostname]


def _instance_secret(instance_path):
    """Read the secret key kept in instance/, making one on first start."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    with open(path) as fh:
        return fh.read().strip()


def init_database(app):
    db.initialize(open_database(app.config["DATABASE_URL"], app.config["DATABASE_POOL"],
                                app.config["DATABASE_POOL_MAX"]))

    @app.before_request
    def _connect():
        if request.endpoint != "ops.healthz":  # it checks the database itself
            db.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        # Every request gives its connection back to the pool; after an error it is closed
        # for good, so one that died (the database restarted) is not reused. The pool also
        # drops on check-out a connection its driver knows is closed.
        if exc is not None:
            drop_connection()
            return
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001
            drop_connection()


def init_extensions(app):
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.install(app)  # templates' _() and format_datetime, looked up once per request
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    sock.init_app(app)


@login_manager.user_loader
def load_user(session_token):
    return User.get_or_none((User.session_token == session_token) & (User.disabled == False))  # noqa: E712


@login_manager.unauthorized_handler
def unauthorized():
    from web import redirect_to_login
    return redirect_to_login()


def select_locale():
    """The session's choice first, then the account's preference, then the browser's."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def register_blueprints(app):
    from blueprints.account import bp as account_bp
    from blueprints.admin import bp as admin_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.errors import register_error_handlers
    from blueprints.live import bp as live_bp
    from blueprints.portal import bp as portal_bp
    from blueprints.groups import bp as groups_bp
    from blueprints.ops import bp as ops_bp
    from blueprints.twinspace import bp as twinspace_bp

    for bp in (portal_bp, auth_bp, account_bp, live_bp, admin_bp, twinspace_bp, groups_bp,
               ops_bp):
        app.register_blueprint(bp)
    register_error_handlers(app)


def _editor_bundle(app):
    """The vendored editor (docs/editor.md): the one static/vendor/editor-*.min.js, whose name
    carries its version; rich-text fields load it (templates/macros/forms.html, richtext)."""
    found = sorted(glob.glob(os.path.join(app.static_folder, "vendor", "editor-*.min.js")))
    return "vendor/" + os.path.basename(found[-1]) if found else None


def register_hooks(app):
    hashes = {}

    def static_hash(filename):
        if filename not in hashes:
            path = os.path.join(app.static_folder, filename)
            try:
                with open(path, "rb") as fh:
                    hashes[filename] = hashlib.sha256(fh.read()).hexdigest()[:10]
            except OSError:
                hashes[filename] = "0"
        return hashes[filename]

    @app.url_defaults
    def _hashed_static(endpoint, values):
        # Static URLs carry a content hash, so browsers may keep them for a year.
        if endpoint == "static" and "filename" in values:
            values.setdefault("v", static_hash(values["filename"]))

    @app.before_request
    def _refuse_nul():
        # No text field may hold a NUL byte (PostgreSQL refuses them): a clear 400, not a 500.
        for values in (request.args, request.form):
            if any("\x00" in v for _key, vs in values.lists() for v in vs):
                abort(400)

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "geolocation=(), payment=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint == "static" and request.args.get("v"):
            h["Cache-Control"] = f"public, max-age={app.config['STATIC_MAX_AGE']}, immutable"
        elif response.mimetype == "text/html":
            page_cache_control(response)  # no-store, but for the anonymous public portal
        return response

    # Plain functions that imported macros need too (imports do not see the context).
    from services import materials
    from services.sanitize import plain_text
    app.jinja_env.globals.update(format_date=format_date,  # format_datetime: i18n.install
                                 image_size=image_size, download_name=download_name,
                                 material_embed_src=materials.embed_src,
                                 material_watch_url=materials.watch_url,
                                 material_provider_name=lambda m: materials.PROVIDER_NAMES.get(
                                     m.embed_provider, ""),
                                 meta_text=lambda html: plain_text(html, 160),
                                 editor_bundle=_editor_bundle(app))
    # Inside a space, links go through the space's parent (blueprints/spaces/parents.py).
    from flask import g

    from blueprints.spaces import parents, reports
    app.jinja_env.globals.update(
        space_url=parents.space_url, report_link=reports.report_link,
        space_parents=parents.all_parents,
        space_navigation=lambda: parents.navigation(current_user, g.space, g.membership,
                                                    request.endpoint))

    @app.context_processor
    def _globals():
        locale = str(get_locale() or DEFAULT_LANGUAGE)
        return dict(
            current_locale=locale,
            LANGUAGES=LANGUAGES,
            ROLE_NAMES=ROLE_NAMES,
            SUBJECTS=SUBJECTS,
            TESTIMONIAL_ROLES=TESTIMONIAL_ROLES,
            EVENT_KINDS=EVENT_KINDS,
            COMMUNITY_ROLES=COMMUNITY_ROLES,
            SPACE_ROLES=SPACE_ROLES,
            AGE_RANGES=AGE_RANGES,
            can=permissions,
            country_label=lambda code: country_name(code, locale) if code else "",
            language_label=lambda code: language_name(code, locale) if code else "",
            return_here=here_for_return,
        )
