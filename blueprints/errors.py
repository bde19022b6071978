"""Styled error pages: a clear page with a way on, for every 4xx and 5xx."""
import logging

import peewee
from flask import g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError

log = logging.getLogger(__name__)

# The database is away (restarting, unreachable, locked too long): a friendly 503 instead of a
# traceback, and the next request connects afresh (app.init_database never reuses a dead one).
DATABASE_DOWN = [peewee.OperationalError, peewee.InterfaceError]
try:  # every pooled connection in use past DATABASE_POOL_MAX: busy, not broken
    from playhouse.pool import MaxConnectionsExceeded
    DATABASE_DOWN.append(MaxConnectionsExceeded)
except ImportError:  # pragma: no cover
    pass
try:
    import psycopg2
    DATABASE_DOWN += [psycopg2.OperationalError, psycopg2.InterfaceError]
except ImportError:  # pragma: no cover - SQLite-only installs
    pass
RETRY_AFTER_SECONDS = 30

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("Go back, check what you entered and try again.")),
    403: (_l("You do not have access to this page"),
          _l("If you think you should, ask the person who runs this space or your national "
             "support service.")),
    404: (_l("Page not found"),
          _l("If you typed the address, check it is correct. If you followed a link, it may "
             "be out of date.")),
    405: (_l("This page cannot be used that way"),
          _l("Go back and use the buttons on the page.")),
    413: (_l("The file is too large"),
          _l("Go back and choose a smaller file.")),
    429: (_l("Too many attempts"),
          _l("Wait a few minutes before you try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. What you saved before is safe.")),
    503: (_l("The service is busy for a moment"),
          _l("Try again in a minute. What you saved before is safe.")),
}


def error_page(code, title=None, detail=None):
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title or default_title,
                           detail=detail or default_detail), code


def register_error_handlers(app):
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: error_page(code))

    @app.errorhandler(SecurityError)
    def _untrusted_host(exc):
        # No page can be built for a host we do not serve (links would point there).
        return "Bad request: unknown host name.", 400, {"Content-Type": "text/plain"}

    for error_class in DATABASE_DOWN:
        app.register_error_handler(error_class, database_down)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(
            400, _l("The form could not be sent"),
            _l("The page was open for too long, or your browser blocked cookies. Go back, "
               "reload the page and send the form again."))


def database_down(exc):
    """503 with Retry-After when the database cannot answer. The page is built without the
    database: the visitor is shown as logged out (the layout would otherwise load them)."""
    from database import drop_connection
    from extensions import login_manager
    # With its traceback: on SQLite a programming error (no such column) is an
    # OperationalError too, and must not hide behind the "busy" page.
    log.warning("database unavailable: %s", exc, exc_info=True)
    drop_connection()  # it may be dead: not back to the pool
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    try:
        body, code = error_page(503)
    except Exception:  # noqa: BLE001 - never a traceback for this page
        log.exception("the 503 page could not be rendered")
        return ("The service is busy for a moment; try again in a minute. What you saved "
                "before is safe.", 503, dict(headers, **{"Content-Type": "text/plain"}))
    return body, code, headers
