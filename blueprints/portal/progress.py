"""Progress: workshops and learning events, registering for them (P-5)."""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import IntegrityError, fn

from blueprints.portal import bp
from models import (LearningEvent, LearningEventKind, LearningEventRegistration, db)
from services import permissions
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


@bp.route("/progress")
def progress():
    """Upcoming workshops and learning events, soonest first."""
    kind = request.args.get("kind") if request.args.get("kind") in LearningEventKind.ALL else ""
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
                  pagination=pagination, taken=seats_taken(ids), mine=mine, kind=kind)


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
