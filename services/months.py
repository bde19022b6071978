"""A month of events as a calendar (L-5, P-5): weeks from Monday to Sunday, each day with
its events, in one time zone. Plain Python: the views fetch the events and build the links.
"""
import calendar
import datetime
import re
import zoneinfo

from babel.dates import format_skeleton, get_day_names

MONTH_ARG = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a month outside these is not asked for by any link


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.timezone.utc


def local(moment, zone):
    """A stored naive UTC datetime as a naive wall-clock datetime in `zone`."""
    return (moment.replace(tzinfo=datetime.timezone.utc).astimezone(_zone(zone))
            .replace(tzinfo=None))


def parse_month(value, today):
    """(year, month) from a "YYYY-MM" URL argument; anything else is `today`'s month (a bad
    value in a link is dropped, as the search filters do, not an error)."""
    found = MONTH_ARG.fullmatch(value or "")
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return year, month
    return today.year, today.month


def shift(year, month, delta):
    """The month `delta` months away, or None outside the years links go to."""
    index = year * 12 + (month - 1) + delta
    year, month = divmod(index, 12)
    return (year, month + 1) if FIRST_YEAR <= year <= LAST_YEAR else None


def key(year, month):
    return f"{year:04d}-{month:02d}"


def utc_bounds(year, month, zone):
    """The month in `zone` as naive UTC datetimes [start, end), to query stored times."""
    tz = _zone(zone)
    after = shift(year, month, 1) or (year + 1, 1)

    def start_of(y, m):
        return (datetime.datetime(y, m, 1, tzinfo=tz).astimezone(datetime.timezone.utc)
                .replace(tzinfo=None))
    return start_of(year, month), start_of(*after)


class Day:
    def __init__(self, date, in_month, is_today):
        self.date, self.in_month, self.is_today = date, in_month, is_today
        self.items = []


class Month:
    """What a month table and its list need: `weeks` (lists of seven Days), `days` (the
    month's days that have events), `weekdays` ((full, short) names from Monday), `label`,
    and the neighbouring months' keys `prev` and `next` (None past the range)."""

    def __init__(self, year, month, items, today, locale):
        self.year, self.month = year, month
        self.key = key(year, month)
        self.prev = key(*shift(year, month, -1)) if shift(year, month, -1) else None
        self.next = key(*shift(year, month, 1)) if shift(year, month, 1) else None
        first = datetime.date(year, month, 1)
        label = format_skeleton("yMMMM", first, locale=locale)
        self.label = label[:1].upper() + label[1:]
        self.label_of = {k: self._label(k, locale) for k in (self.prev, self.next) if k}
        wide = get_day_names("wide", locale=locale)
        short = get_day_names("abbreviated", locale=locale)
        self.weekdays = [(str(wide[i]), str(short[i])) for i in range(7)]
        by_date = {}
        self.weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for date in week:
                day = Day(date, date.month == month, date == today)
                if day.in_month:
                    by_date[date] = day
                row.append(day)
            self.weeks.append(row)
        for start, item in sorted(items, key=lambda pair: pair[0]):
            day = by_date.get(start.date())
            if day is not None:
                day.items.append(item)
        self.days = [by_date[d] for d in sorted(by_date) if by_date[d].items]
        self.count = sum(len(day.items) for day in self.days)

    @staticmethod
    def _label(month_key, locale):
        year, month = (int(part) for part in month_key.split("-"))
        label = format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
        return label[:1].upper() + label[1:]
