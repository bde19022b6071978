"""Translations and dates for templates, looked up once per request (issue 15).

Flask-Babel finds the catalogue anew on every call: about 11 µs for each `_()` and 35 µs for
each `format_datetime()`, and a page of 50 chat lines or forum posts makes hundreds of them.
Here the catalogue is kept on Flask-Babel's own request state beside the locale it belongs
to, so `force_locale()` (e-mails in the addressee's language) still switches it; date
patterns are compiled once per locale and format. The results are Flask-Babel's, to the letter
(tests/unit/test_i18n.py compares them).
"""
from functools import lru_cache

import flask_babel
from babel import dates
from flask import g
from markupsafe import Markup


def translations():
    """Flask-Babel's catalogue for the current request and locale."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # no app context, or Flask-Babel's first call
        return flask_babel.get_translations()
    kept = state.__dict__.get("opentwin_translations")
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    catalogue = flask_babel.get_translations()  # also settles state.babel_locale
    state.opentwin_translations = (state.babel_locale, catalogue)
    return catalogue


def gettext(string):
    return translations().ugettext(string)


def ngettext(singular, plural, num):
    return translations().ungettext(singular, plural, num)


def install(app):
    """Templates' `_()`, `gettext()` and `ngettext()` through the kept catalogue."""
    app.jinja_env.install_gettext_callables(
        gettext=gettext, ngettext=ngettext, newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n))
    app.jinja_env.globals.update(format_datetime=format_datetime, time_tag=time_tag)


@lru_cache(maxsize=256)
def _datetime_pattern(locale, format):
    """One babel pattern for a named date-and-time format: babel joins a date and a time
    pattern with a connector ("{1}, {0}"); here the connector's words are quoted."""
    connector = dates.get_datetime_format(format, locale=locale).replace("'", "")
    date = dates.get_date_format(format, locale=locale).pattern
    time = dates.get_time_format(format, locale=locale).pattern
    parts, rest = [], connector
    while rest:
        cut = min((i for i in (rest.find("{0}"), rest.find("{1}")) if i >= 0), default=-1)
        if cut < 0:
            parts.append(_quoted(rest))
            break
        if cut:
            parts.append(_quoted(rest[:cut]))
        parts.append(time if rest[cut + 1] == "0" else date)
        rest = rest[cut + 3:]
    return dates.parse_pattern("".join(parts))


def _quoted(text):
    return "'" + text.replace("'", "''") + "'" if text else ""


def time_tag(datetime, format="medium"):
    """A moment for templates: <time> with the UTC instant (the page's script shows it in the
    reader's zone) and the text in the reader's language, "… UTC"."""
    return Markup('<time datetime="{}Z" data-local-time>{} UTC</time>').format(
        datetime.strftime("%Y-%m-%dT%H:%M:%S"), format_datetime(datetime, format))


def format_datetime(datetime=None, format=None):
    """Flask-Babel's format_datetime (in the reader's time zone), faster for the named
    formats ("short", "medium", "long", "full"); anything else goes to Flask-Babel."""
    if datetime is None or format not in ("short", "medium", "long", "full"):
        return flask_babel.format_datetime(datetime, format)
    locale = flask_babel.get_locale()
    local = flask_babel.to_user_timezone(datetime)
    return _datetime_pattern(locale, format).apply(local, locale)
