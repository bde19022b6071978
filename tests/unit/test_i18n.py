"""services/i18n.py gives what Flask-Babel gives, to the letter: translations (also under
force_locale, as e-mails use it) and the named date-and-time formats, in every language and a
few time zones."""
import datetime

import flask_babel
import pytest
import pytz
from flask import render_template_string

from services import i18n
from services.reference import LANGUAGES

MOMENTS = [datetime.datetime(2026, 1, 5, 7, 3), datetime.datetime(2026, 7, 30, 23, 59, 59),
           datetime.datetime(2026, 3, 29, 1, 30, tzinfo=pytz.UTC)]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Madrid", "America/Bogota", "Asia/Kolkata"])
def test_named_formats_match_flask_babel(app, monkeypatch, zone):
    monkeypatch.setattr(flask_babel, "get_timezone", lambda: pytz.timezone(zone))
    with app.test_request_context("/"):
        for language in LANGUAGES:
            with flask_babel.force_locale(language):
                for moment in MOMENTS:
                    for name in ("short", "medium", "long", "full"):
                        assert (i18n.format_datetime(moment, name)
                                == flask_babel.format_datetime(moment, name)), (language, name)
                assert i18n.format_datetime(MOMENTS[0], "yyyy-MM") == "2026-01"


def test_translations_follow_the_locale_within_a_request(app):
    with app.test_request_context("/"):
        with flask_babel.force_locale("es"):
            spanish = render_template_string("{{ _('Report') }}|{{ ngettext('%(num)d member', "
                                             "'%(num)d members', 3) }}")
            assert spanish == (f"{flask_babel.gettext('Report')}|"
                               f"{flask_babel.ngettext('%(num)d member', '%(num)d members', 3)}")
            assert spanish.split("|")[0] != "Report"
        with flask_babel.force_locale("en"):
            assert render_template_string("{{ _('Report') }}") == "Report"
        with flask_babel.force_locale("es"):  # and back: the kept catalogue is not stale
            assert render_template_string("{{ _('Report') }}") == spanish.split("|")[0]
    assert i18n.gettext("Report") == "Report"  # outside a request: the untranslated text
