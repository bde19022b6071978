"""Progress: workshops and learning events, registering for them (P-5)."""
from flask import abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from peewee import IntegrityError, fn

from blueprints.live.event_forms import zone_of_country
from blueprints.portal import bp
from models import LearningEvent, LearningEventKind, LearningEventRegistration, db, utcnow
from services import months, permissions
from services.paging import Page
from web import go, page_arg, render, require


def seats_taken(event_ids):
    """Registrations per event, for a page of events, in one query."""
    if not event_ids:
        return {}
    rows = (LearningEventRegistration
            .select(LearningEventRegistration.event, fn.COUNT(LearningEventRegistration.id))
            .where(LearningEventRegistration.event.in_(event_ids))
            .group_by(LearningEventRegistration.event)
            .tuples())
    return dict(rows)


MONTH_LIMIT = 500  # events drawn in one month, at most


def _month(kind):
    """The workshops and learning events of the month asked for (?month=YYYY-MM, else this
    one): days in the zone of a logged-in teacher's country, else in UTC."""
    zone = zone_of_country(getattr(current_user, "country", None)
                           if current_user.is_authenticated else None)
    today = months.local(utcnow(), zone).date()
    year, month = months.parse_month(request.args.get("month"), today)
    start, end = months.utc_bounds(year, month, zone)
    query = (LearningEvent.select()
             .where(LearningEvent.starts_at >= start, LearningEvent.starts_at < end)
             .order_by(LearningEvent.starts_at, LearningEvent.id))
    if kind:
        query = query.where(LearningEvent.kind == kind)
    items = []
    for e in query.limit(MONTH_LIMIT):
        starts = months.local(e.starts_at, zone)
        items.append((starts, {"title": e.title, "at": e.starts_at,
                               "url": url_for("portal.learning_event", event_id=e.id),
                               "time": starts.strftime("%H:%M"), "note": ""}))
    result = months.Month(year, month, items, today, str(get_locale()))
    result.zone = zone
    args = {"kind": kind} if kind else {}
    result.url = lambda key: url_for("portal.progress", view="month", month=key, **args)
    return result


@bp.route("/progress")
def progress():
    """Upcoming workshops and learning events, soonest first; or a month (view=month)."""
    kind = request.args.get("kind") if request.args.get("kind") in LearningEventKind.ALL else ""
    if request.args.get("view") == "month":
        return render("portal/progress.html", partials={"event-results": "portal/_events.html"},
                      view="month", month=_month(kind), kind=kind)
    query = LearningEvent.upcoming()
    if kind:
        query = query.where(LearningEvent.kind == kind)
    pagination = Page.of_query(query, page_arg(), per_page=10)
    ids = [e.id for e in pagination.items]
    mine = set()
    if current_user.is_authenticated and ids:
        mine = {r.event_id for r in LearningEventRegistration.select().where(
            LearningEventRegistration.event.in_(ids),
            LearningEventRegistration.user == current_user.id)}
    return render("portal/progress.html", partials={"event-results": "portal/_events.html"},
                  pagination=pagination, taken=seats_taken(ids), mine=mine, kind=kind,
                  view="list")


@bp.route("/learning-events/<int:event_id>")
def learning_event(event_id):
    """One workshop or learning event, with the way to register."""
    event = LearningEvent.get_or_none(LearningEvent.id == event_id) or abort(404)
    taken = seats_taken([event.id]).get(event.id, 0)
    registered = current_user.is_authenticated and LearningEventRegistration.select().where(
        LearningEventRegistration.event == event,
        LearningEventRegistration.user == current_user.id).exists()
    return render("portal/learning_event.html", event=event, taken=taken,
                  registered=registered)


@bp.route("/learning-events/<int:event_id>/registration", methods=["POST"])
@require(permissions.can_register_for_learning)
def register_for_event(event_id):
    """Take a seat; a full event refuses politely; registering twice changes nothing."""
    event = LearningEvent.get_or_none(LearningEvent.id == event_id) or abort(404)
    here = url_for("portal.learning_event", event_id=event.id)
    with db.atomic():
        exists = LearningEventRegistration.select().where(
            LearningEventRegistration.event == event,
            LearningEventRegistration.user == current_user.id).exists()
        if exists:
            return go(here, _("You are already registered for this event."), "info")
        taken = seats_taken([event.id]).get(event.id, 0)
        if taken >= event.seats:
            return go(here, _("Sorry, this event is full. Look out for the next one."), "error")
        try:
            LearningEventRegistration.create(event=event, user=current_user.id)
        except IntegrityError:
            return go(here, _("You are already registered for this event."), "info")
    return go(here, _("You are registered. See you there!"))


@bp.route("/learning-events/<int:event_id>/registration/cancel", methods=["POST"])
@require(permissions.can_register_for_learning)
def cancel_event_registration(event_id):
    """Give the seat back."""
    event = LearningEvent.get_or_none(LearningEvent.id == event_id) or abort(404)
    (LearningEventRegistration.delete()
     .where(LearningEventRegistration.event == event,
            LearningEventRegistration.user == current_user.id)
     .execute())
    return go(url_for("portal.learning_event", event_id=event.id),
              _("Your registration is cancelled: the seat is free for someone else."))
