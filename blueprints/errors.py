"""Styled error pages: a clear page with a way on, for every 4xx and 5xx."""
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError

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

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(
            400, _l("The form could not be sent"),
            _l("The page was open for too long, or your browser blocked cookies. Go back, "
               "reload the page and send the form again."))
