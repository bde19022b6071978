"""Request/response helpers every blueprint shares: rendering pages or htmx partials,
redirects that work for htmx, access decorators, pagination and safe `next` URLs."""
import time
from functools import wraps
from urllib.parse import urlsplit

from flask import (abort, current_app, flash, g, make_response, redirect, render_template,
                   request, session, url_for)
from flask_login import current_user
from flask_wtf import FlaskForm

from extensions import htmx


class EmptyForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that post (log out, resend)."""


def render(template, partials=None, status=None, **context):
    """Render a whole page, or only the partial whose region htmx asked for.

    `partials` maps the id of a region on the page (what htmx sends as HX-Target) to the
    template that renders just that region. A page with a form that failed validation
    answers 422, so tests and proxies can see it, and its title starts with "Error: ".
    """
    forms = [v for v in context.values() if isinstance(v, FlaskForm)]
    has_errors = any(form.errors for form in forms)
    if htmx and partials and htmx.target in partials:
        template = partials[htmx.target]
    body = render_template(template, has_errors=has_errors, **context)
    if status is None:
        status = 422 if has_errors else 200
    return body, status


def go(url, message=None, category="success"):
    """Redirect after a successful POST (post/redirect/get); htmx gets HX-Redirect."""
    if message:
        flash(message, category)
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def is_safe_next(target):
    """Allow only local paths as a place to return to after log-in or a language change."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def same_origin():
    """False when the browser says the request comes from another site (its Origin)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def page_cache_control(response):
    """Cache-Control and Vary of an HTML page the view left to us. `public` for a short while
    when nothing in it is anybody's own: an anonymous GET that answered 200, rendered no CSRF
    token and sets no cookie (the public portal), so a proxy may keep it; it varies with what
    picks the language (the session cookie, the browser's Accept-Language). Anything else is
    `no-store`: pages may be private and school computers are shared."""
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    if "Cache-Control" in response.headers:
        return
    if (request.method in ("GET", "HEAD") and response.status_code == 200
            and not current_user.is_authenticated and "csrf_token" not in g
            and not session.modified and "Set-Cookie" not in response.headers):
        seconds = current_app.config["PUBLIC_PAGE_MAX_AGE"]
        response.headers["Cache-Control"] = f"public, max-age={seconds}"
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    else:
        response.headers["Cache-Control"] = "no-store"


def next_or(default):
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def here_for_return():
    """This page's address to come back to, if it can be reached again with a GET."""
    rule = request.url_rule
    if request.method == "GET" or (rule is not None and "GET" in (rule.methods or ())):
        return request.full_path.rstrip("?") if request.method == "GET" else request.path
    return None


def redirect_to_login():
    """Send an anonymous visitor to the log-in page, coming back here afterwards."""
    from flask_babel import gettext as _
    flash(_("Log in to see this page."), "info")
    back = here_for_return()
    return go(url_for("auth.login", next=back) if back else url_for("auth.login"), None)


def external_url(endpoint, **values):
    """An absolute link for a mail: from BASE_URL when set, never from the request's Host."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def require(rule):
    """Let the view run only for a logged-in user for whom `rule(user)` holds; else 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect_to_login()
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def page_arg():
    """The `page` query argument as a positive int; anything else is page 1."""
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


def cached(key, seconds, compute):
    """A value worth a few minutes' staleness (platform-wide counts), kept per process and
    per app; every process computes its own, so nothing is shared that must agree."""
    store = current_app.extensions.setdefault("opentwin_cache", {})
    now = time.monotonic()
    hit = store.get(key)
    if hit is None or now - hit[0] > seconds:
        hit = (now, compute())
        store[key] = hit
    return hit[1]
