"""Events (L-5): teachers create trainings and project events, online or in person; others
register; a list by date, "my events", and an iCalendar file for each event."""
import zoneinfo
from urllib.parse import urlsplit

from flask import abort, current_app, make_response, request, url_for
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from peewee import JOIN, Case, IntegrityError, SqliteDatabase, fn

from blueprints.errors import error_page
from blueprints.live import bp
from blueprints.live.event_forms import (IN_PERSON, ONLINE, EventForm, from_utc, zone_choices,
                                         zone_of_country)
from models import (Event, EventKind, EventRegistration, PartnerState, Project,
                    ProjectPartner, User, db, utcnow)
from services import months, notify, permissions
from services.paging import Page
from services.sanitize import linkify_text
from web import external_url, go, page_arg, render, require

PER_PAGE = 20


def load_event(event_id):
    """The event, if the current user may see it (a group's: those who may read the group);
    else 404, on every path that names an event (page, calendar file, registration, edit)."""
    event = Event.get_or_none(Event.id == event_id)
    if event is None or not permissions.can_see_event(current_user, event):
        abort(404)
    return event


def registrations_of(event_ids, user_id):
    """{event id: (people registered, whether `user_id` is one)} for a page of events, in
    one grouped query."""
    if not event_ids:
        return {}
    mine = fn.MAX(Case(None, [(EventRegistration.user == user_id, 1)], 0))
    rows = (EventRegistration
            .select(EventRegistration.event, fn.COUNT(EventRegistration.id), mine)
            .where(EventRegistration.event.in_(event_ids))
            .group_by(EventRegistration.event)
            .tuples())
    return {event_id: (count, bool(is_mine)) for event_id, count, is_mine in rows}


def my_project_ids(user):
    return (ProjectPartner.select(ProjectPartner.project)
            .where(ProjectPartner.user == user.id,
                   ProjectPartner.state == PartnerState.ACCEPTED))


def organiser_or_403(event_id):
    """The event, if the current user organises it and it still runs; else 403/404."""
    item = load_event(event_id)
    if not permissions.is_event_organiser(current_user, item):
        abort(403)
    if not permissions.can_manage_event(current_user, item):
        return item, error_page(403, _("This event is cancelled"),
                                _("A cancelled event cannot be changed. Create a new event "
                                  "instead."))
    return item, None


# --- The list ------------------------------------------------------------------------------

@bp.route("/events")
@require(permissions.can_use_live)
def events():
    """Upcoming events soonest first (optionally only my projects'), or "my events": those I
    organise or registered for, upcoming and past; as a list, or a month (view=month)."""
    show = "mine" if request.args.get("show") == "mine" else "upcoming"
    only_projects = show == "upcoming" and request.args.get("projects") == "1"
    view = "month" if request.args.get("view") == "month" else "list"
    query = (Event.select(Event, Project)
             .join(Project, JOIN.LEFT_OUTER, on=(Event.project == Project.id))
             .where(permissions.visible_events(current_user)))
    if show == "mine":
        registered = (EventRegistration.select(EventRegistration.event)
                      .where(EventRegistration.user == current_user.id))
        query = (query.where((Event.creator == current_user.id) | Event.id.in_(registered))
                 .order_by(Event.starts_at.desc(), Event.id.desc()))
    else:
        query = query.where(Event.cancelled_at.is_null())
        if view == "list":
            query = query.where(Event.ends_at >= utcnow())
        if only_projects:
            query = query.where(Event.project.in_(my_project_ids(current_user)))
        query = query.order_by(Event.starts_at, Event.id)
    args = {"show": "mine"} if show == "mine" else ({"projects": "1"} if only_projects else {})
    common = dict(show=show, only_projects=only_projects, args=args, view=view,
                  my_projects={pid for (pid,) in my_project_ids(current_user).tuples()},
                  now=utcnow(), can_create=permissions.can_create_events(current_user))
    if view == "month":
        return render("live/events.html", partials={"event-results": "live/_event_results.html"},
                      month=_month(query, args, zone_of_country(current_user.country)),
                      **common)
    pagination = Page.of_query(query, page_arg(), per_page=PER_PAGE)
    return render("live/events.html", partials={"event-results": "live/_event_results.html"},
                  pagination=pagination,
                  counts=registrations_of([e.id for e in pagination.items], current_user.id),
                  **common)


MONTH_LIMIT = 500  # events drawn in one month, at most


def _month(query, args, zone):
    """The events of the month asked for (?month=YYYY-MM, else this one), days in `zone`."""
    today = months.local(utcnow(), zone).date()
    year, month = months.parse_month(request.args.get("month"), today)
    start, end = months.utc_bounds(year, month, zone)
    items = []
    for e in query.where(Event.starts_at >= start, Event.starts_at < end).limit(MONTH_LIMIT):
        starts = months.local(e.starts_at, zone)
        items.append((starts, {"title": e.title, "url": url_for("live.event", event_id=e.id),
                               "at": e.starts_at, "time": starts.strftime("%H:%M"),
                               "note": _("Cancelled") if e.cancelled_at else ""}))
    result = months.Month(year, month, items, today, str(get_locale()))
    result.zone = zone
    result.url = lambda key: url_for("live.events", view="month", month=key, **args)
    return result


# --- Creating and editing ------------------------------------------------------------------

def _project_choices():
    """The projects I teach in (accepted), by title."""
    rows = (Project.select(Project.id, Project.title)
            .join(ProjectPartner, on=(ProjectPartner.project == Project.id))
            .where(ProjectPartner.user == current_user.id,
                   ProjectPartner.state == PartnerState.ACCEPTED)
            .order_by(fn.LOWER(Project.title), Project.id))
    return [(str(p.id), p.title) for p in rows]


def _initial(item):
    """The form's fields for an existing event, in the zone its organiser gave."""
    starts, ends = from_utc(item.starts_at, item.timezone), from_utc(item.ends_at, item.timezone)
    return {"title": item.title, "description": item.description, "kind": item.kind,
            "project": str(item.project_id or ""),
            "online": ONLINE if item.online else IN_PERSON, "link": item.link,
            "place": item.place, "date": starts.date(), "start_time": starts.time(),
            "end_time": ends.time(), "timezone": item.timezone,
            "seats": str(item.seats) if item.seats else ""}


def event_form(item=None, registered=0):
    """The event form (L-5), filled with `item` on a first GET; groups use it too."""
    zones = zone_choices(str(get_locale()))
    if item is not None and item.timezone not in {z for z, _label in zones} \
            and item.timezone in zoneinfo.available_timezones():
        zones.append((item.timezone, item.timezone))  # a zone given some other way: keep it
    extra = {}
    if request.method == "GET":
        extra["data"] = (_initial(item) if item is not None
                         else {"timezone": zone_of_country(current_user.country)})
    return EventForm(project_choices=_project_choices(), zones=zones, registered=registered,
                     event=item, **extra)


def apply_event_form(item, form):
    """Copy a valid event form onto `item` (not saved)."""
    online = form.online.data == ONLINE
    item.title = form.title.data
    item.description = form.description.data.strip()
    item.kind = form.kind.data
    item.project = int(form.project.data) if form.kind.data == EventKind.PROJECT else None
    item.online = online
    item.link = form.link.data if online else ""
    item.place = "" if online else form.place.data
    item.starts_at, item.ends_at = form.starts_at, form.ends_at
    item.timezone = form.timezone.data
    item.seats = form.seats_value


@bp.route("/events/new", methods=["GET", "POST"])
@require(permissions.can_use_live)
def event_new():
    """Create an event: validated teachers."""
    if not permissions.can_create_events(current_user):
        return error_page(403, _("Your account is waiting for validation"),
                          _("National support staff of your country check every new "
                            "teacher. Once they have, you can create events. You can already "
                            "register for the events of others."))
    form = event_form()
    if form.validate_on_submit():
        item = Event(creator=current_user.id)
        apply_event_form(item, form)
        item.save()
        return go(url_for("live.event", event_id=item.id),
                  _("Your event is published. Teachers can now register."))
    return render("live/event_form.html", form=form, item=None)


def _registrants(item):
    return list(User.select().join(EventRegistration, on=(EventRegistration.user == User.id))
                .where(EventRegistration.event == item))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@require(permissions.can_use_live)
def event_edit(event_id):
    """Change an event (its organiser, until it is cancelled); registered people are told
    when the time or the place changes."""
    item, refusal = organiser_or_403(event_id)
    if refusal:
        return refusal
    registered = EventRegistration.select().where(EventRegistration.event == item).count()
    form = event_form(item, registered)
    if form.validate_on_submit():
        before = (item.starts_at, item.ends_at, item.online, item.link, item.place)
        apply_event_form(item, form)
        item.save()
        if before != (item.starts_at, item.ends_at, item.online, item.link, item.place):
            title, link = item.title, url_for("live.event", event_id=item.id)
            for person in _registrants(item):
                notify.notify(current_app.config, person, "event", f"event:{item.id}",
                              "event_changed", link, title=title)
        return go(url_for("live.event", event_id=item.id), _("The event is saved."))
    return render("live/event_form.html", form=form, item=item)


# --- One event -----------------------------------------------------------------------------

def description_html(text):
    """Plain text as escaped paragraphs, with its web addresses made into links."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")
                  if p.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup(str(linkify_text(p)).replace("\n", "<br>\n")))
        for p in paragraphs)


@bp.route("/events/<int:event_id>")
@require(permissions.can_use_live)
def event(event_id):
    """An event's details, and the way to register, cancel a registration or the event."""
    item = load_event(event_id)
    taken, registered = registrations_of([item.id], current_user.id).get(item.id, (0, False))
    local_start = from_utc(item.starts_at, item.timezone)
    local_end = from_utc(item.ends_at, item.timezone)
    return render("live/event.html", item=item, taken=taken, registered=registered,
                  organiser=User.get_by_id(item.creator_id),
                  is_organiser=permissions.is_event_organiser(current_user, item),
                  can_manage=permissions.can_manage_event(current_user, item),
                  is_over=item.ends_at < utcnow(),
                  local_when=_("%(day)s, %(start)s to %(end)s (%(zone)s)",
                               day=format_date(local_start.date(), "full"),
                               start=local_start.strftime("%H:%M"),
                               end=local_end.strftime("%H:%M"), zone=item.timezone),
                  description=description_html(item.description))


@bp.route("/events/<int:event_id>/registration", methods=["POST"])
@require(permissions.can_use_live)
def event_register(event_id):
    """Take a seat. Registering twice changes nothing; a full, cancelled or finished event
    refuses politely; the organiser is already there."""
    item = load_event(event_id)
    here = url_for("live.event", event_id=item.id)
    if permissions.is_event_organiser(current_user, item):
        return go(here, _("You organise this event, so you are on it already."), "info")
    if item.cancelled_at is not None:
        return go(here, _("Sorry, this event is cancelled: you cannot register for it."),
                  "error")
    if not permissions.can_register_for_event(current_user, item):
        return go(here, _("This event is over: you cannot register for it any more."), "error")
    with db.atomic():
        lock = Event.select(Event.id).where(Event.id == item.id)
        if not isinstance(db.obj, SqliteDatabase):
            lock.for_update().execute()  # one seat check at a time (PostgreSQL)
        taken, mine = registrations_of([item.id], current_user.id).get(item.id, (0, False))
        if mine:
            return go(here, _("You are already registered for this event."), "info")
        if item.seats is not None and taken >= item.seats:
            return go(here, _("Sorry, this event is full. Look out for the next one."), "error")
        try:
            with db.atomic():
                EventRegistration.create(event=item, user=current_user.id)
        except IntegrityError:
            return go(here, _("You are already registered for this event."), "info")
    return go(here, _("You are registered. See you there!"))


@bp.route("/events/<int:event_id>/registration/cancel", methods=["POST"])
@require(permissions.can_use_live)
def event_unregister(event_id):
    """Give the seat back (doing it twice changes nothing)."""
    item = load_event(event_id)
    (EventRegistration.delete()
     .where(EventRegistration.event == item, EventRegistration.user == current_user.id)
     .execute())
    return go(url_for("live.event", event_id=item.id),
              _("Your registration is cancelled: the seat is free for someone else."))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@require(permissions.can_use_live)
def event_cancel(event_id):
    """Ask to confirm, then cancel the event and tell everybody registered."""
    item, refusal = organiser_or_403(event_id)
    if refusal:
        return refusal
    if request.method == "GET":
        taken = EventRegistration.select().where(EventRegistration.event == item).count()
        return render("live/event_cancel.html", item=item, taken=taken)
    item.cancelled_at = utcnow()
    item.save()
    people = _registrants(item)
    title, link = item.title, url_for("live.event", event_id=item.id)
    for person in people:
        notify.notify(current_app.config, person, "event", f"event:{item.id}",
                      "event_cancelled", link, title=title)
    return go(link, ngettext("The event is cancelled. We told the %(num)d person registered.",
                             "The event is cancelled. We told the %(num)d people registered.",
                             len(people)) if people else _("The event is cancelled."))


# --- iCalendar (RFC 5545) ------------------------------------------------------------------

def ics_text(value):
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or not (ord(ch) < 0x20 or ord(ch) == 0x7F))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def ics_fold(line):
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with a space (RFC 5545 3.1)."""
    pieces, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            pieces.append(current)
            current, size = " ", 1
        current += ch
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def ics_time(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


@bp.route("/events/<int:event_id>.ics")
@require(permissions.is_member)
def event_ics(event_id):
    """The event as an iCalendar file, for any member who may see it."""
    item = load_event(event_id)
    if not permissions.can_see_event(current_user, item):
        abort(404)
    page = external_url("live.event", event_id=item.id)
    host = urlsplit(page).hostname or "opentwin"
    description = item.description.strip()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OpenTwin//Events//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:event-{item.id}@{host}", f"DTSTAMP:{ics_time(utcnow())}",
             f"DTSTART:{ics_time(item.starts_at)}", f"DTEND:{ics_time(item.ends_at)}",
             "SUMMARY:" + ics_text(item.title),
             "DESCRIPTION:" + ics_text(f"{description}\n\n{page}" if description else page)]
    if item.online and item.link:
        lines.append("URL:" + item.link)
    elif item.place:
        lines.append("LOCATION:" + ics_text(item.place))
    lines.append("STATUS:" + ("CANCELLED" if item.cancelled_at else "CONFIRMED"))
    lines += ["END:VEVENT", "END:VCALENDAR"]
    response = make_response("".join(ics_fold(line) + "\r\n" for line in lines))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{item.id}.ics"'
    return response
