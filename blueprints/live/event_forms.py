"""The form for creating and editing an event (L-5), and the time zones it offers."""
import datetime
import zoneinfo
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (DateField, RadioField, SelectField, StringField, TextAreaField, TimeField,
                     ValidationError)
from wtforms.validators import DataRequired, Length, StopValidation

from blueprints.auth.forms import single_line
from models import EventKind, utcnow
from services.reference import COUNTRY_CODES, country_name

# The capital's zone of each country taking part (services.reference.COUNTRY_CODES): a short
# list a teacher recognises, instead of the ~600 IANA names.
COUNTRY_ZONES = {
    "AL": "Europe/Tirane", "AM": "Asia/Yerevan", "AT": "Europe/Vienna", "AZ": "Asia/Baku",
    "BA": "Europe/Sarajevo", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GE": "Asia/Tbilisi", "GR": "Europe/Athens",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
    "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "JO": "Asia/Amman", "LB": "Asia/Beirut",
    "LI": "Europe/Vaduz", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga",
    "MD": "Europe/Chisinau", "MK": "Europe/Skopje", "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "SE": "Europe/Stockholm",
    "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "TN": "Africa/Tunis",
    "TR": "Europe/Istanbul", "UA": "Europe/Kyiv",
}
DEFAULT_ZONE = "UTC"


def _available():
    names = zoneinfo.available_timezones()
    return {code: zone for code, zone in COUNTRY_ZONES.items()
            if code in COUNTRY_CODES and zone in names}


ZONES = _available()
ZONE_NAMES = frozenset(ZONES.values()) | {DEFAULT_ZONE}


def zone_choices(locale="en"):
    """(zone, "Country — Europe/City") pairs sorted by country name, then UTC."""
    pairs = sorted(((zone, f"{country_name(code, locale)} — {zone}")
                    for code, zone in ZONES.items()), key=lambda p: p[1].casefold())
    return pairs + [(DEFAULT_ZONE, "UTC")]


def zone_of_country(country):
    return ZONES.get(country or "", DEFAULT_ZONE)


def to_utc(day, time, zone):
    """A wall-clock date and time in `zone` as a naive UTC datetime (what we store)."""
    local = datetime.datetime.combine(day, time).replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def from_utc(moment, zone):
    """A stored naive UTC datetime as a naive wall-clock datetime in `zone` (UTC if the
    zone is unknown here)."""
    try:
        tz = zoneinfo.ZoneInfo(zone or DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.timezone.utc
    return moment.replace(tzinfo=datetime.timezone.utc).astimezone(tz).replace(tzinfo=None)


def value_required(message):
    """Like DataRequired, but also replaces WTForms' own "Not a valid … value" message."""
    def _check(form, field):
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation(message)
    return _check


def is_web_link(value):
    """An absolute http(s) address with a host and no spaces or control characters."""
    if not value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


ONLINE, IN_PERSON = "online", "in_person"


class EventForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title for the event")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Describe the event in a few sentences")),
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])
    kind = RadioField(_l("What kind of event is it?"), validate_choice=False,
                      choices=[(EventKind.TRAINING, _l("Training")),
                               (EventKind.PROJECT, _l("Part of one of my projects"))],
                      default=EventKind.TRAINING)
    project = SelectField(_l("Project"), validate_choice=False)
    online = RadioField(_l("Where does it take place?"), validate_choice=False,
                        choices=[(ONLINE, _l("Online")), (IN_PERSON, _l("In person"))],
                        default=ONLINE)
    link = StringField(_l("Link to join"), filters=[lambda v: v.strip() if v else v])
    place = StringField(_l("Place"), filters=[single_line])
    date = DateField(_l("Date"), validators=[
        value_required(_l("Enter the date of the event, like 2027-03-15"))])
    start_time = TimeField(_l("Start time"), format=["%H:%M", "%H:%M:%S"], validators=[
        value_required(_l("Enter the time it starts, like 14:00"))])
    end_time = TimeField(_l("End time"), format=["%H:%M", "%H:%M:%S"], validators=[
        value_required(_l("Enter the time it ends, like 15:30"))])
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    seats = StringField(_l("Seats"), filters=[lambda v: v.strip() if v else v])

    def __init__(self, *args, project_choices=(), zones=(), registered=0, event=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.project.choices = [("", _l("Choose a project"))] + list(project_choices)
        self.timezone.choices = list(zones)
        self.registered = registered
        self.event = event
        self.starts_at = self.ends_at = None
        self.seats_value = None

    def validate_kind(self, field):
        if field.data not in EventKind.ALL:
            raise ValidationError(_l("Choose training or one of your projects"))

    def validate_project(self, field):
        if self.kind.data != EventKind.PROJECT:
            return
        mine = {value for value, _label in self.project.choices if value}
        if not field.data or field.data not in mine:
            raise ValidationError(_l("Choose one of your projects"))

    def validate_online(self, field):
        if field.data not in (ONLINE, IN_PERSON):
            raise ValidationError(_l("Choose online or in person"))

    def validate_link(self, field):
        if self.online.data != ONLINE:
            return
        if not field.data:
            raise ValidationError(_l("Enter the link to join, like https://meet.example.org/abc"))
        if len(field.data) > 500:
            raise ValidationError(_l("Enter a link of at most 500 characters"))
        if not is_web_link(field.data):
            raise ValidationError(_l("Enter a link that starts with https:// or http://, "
                                     "like https://meet.example.org/abc"))

    def validate_place(self, field):
        if self.online.data != IN_PERSON:
            return
        if not field.data:
            raise ValidationError(_l("Enter the place, like the school's name and town"))
        if len(field.data) > 200:
            raise ValidationError(_l("Enter a place of at most 200 characters"))

    def validate_timezone(self, field):
        if field.data not in {value for value, _label in self.timezone.choices}:
            raise ValidationError(_l("Choose a time zone from the list"))

    def validate_seats(self, field):
        if not field.data:
            return
        if not (field.data.isascii() and field.data.isdigit()) or not (
                1 <= int(field.data) <= 10000):
            raise ValidationError(_l("Enter a number of seats from 1 to 10000, or leave it "
                                     "empty for no limit"))
        seats = int(field.data)
        if seats < self.registered:
            raise ValidationError(ngettext(
                "%(num)d person is registered: enter at least %(num)d seat",
                "%(num)d people are registered: enter at least %(num)d seats",
                self.registered))
        self.seats_value = seats

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.date.errors or self.start_time.errors or self.end_time.errors \
                or self.timezone.errors:
            return ok
        zone = self.timezone.data
        try:
            self.starts_at = to_utc(self.date.data, self.start_time.data, zone)
            self.ends_at = to_utc(self.date.data, self.end_time.data, zone)
        except OverflowError:  # a date at the very edge of the calendar, like 0001-01-01
            self.date.errors.append(_l("Enter a start in the future"))
            return False
        if self.ends_at <= self.starts_at:
            self.end_time.errors.append(_l("Enter an end after the start"))
            ok = False
        unchanged = self.event is not None and self.event.starts_at == self.starts_at
        if self.starts_at < utcnow() and not unchanged:
            self.date.errors.append(_l("Enter a start in the future"))
            ok = False
        return ok
