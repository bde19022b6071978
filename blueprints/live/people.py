"""Live: connect with a person (L-3): follow, contact requests, my contacts."""
from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import IntegrityError

from blueprints.live import bp
from blueprints.live.projects import projects_to_invite_to
from models import Contact, ContactState, Follow, Notification, User, db, utcnow
from services import notify, permissions
from web import go, next_or, render, require


def _person(user_id, rule):
    """The active teacher `user_id`, if `rule(current_user, person)` allows; else 404."""
    person = User.get_or_none(User.id == user_id)
    if not permissions.is_active_teacher(person) or person.id == current_user.id:
        abort(404)
    if not rule(current_user, person):
        abort(404)
    return person


def _back(person):
    return next_or(url_for("portal.teacher", user_id=person.id))


@bp.app_template_global()
def person_relation(person):
    """What the viewer and `person` are to each other, for the buttons on a profile
    (templates/live/_person_actions.html). Two queries, only on pages that ask."""
    me = current_user
    if not permissions.is_logged_in(me) or person is None or me.id == person.id:
        return {"contact": None, "following": False, "can_write": False, "can_follow": False,
                "projects": []}
    return {
        "projects": projects_to_invite_to(me, person),
        "contact": Contact.between(me.id, person.id),
        "following": Follow.select().where(Follow.follower == me.id,
                                           Follow.followed == person.id).exists(),
        "can_write": permissions.can_ask_contact(me, person),
        "can_follow": permissions.can_follow(me, person),
    }


def _notify_contact_accepted(contact, accepter, requester):
    notify.notify(_settings(), requester, "contact_accepted", f"contact:{contact.id}",
                  "contact_accepted", url_for("live.contacts"), name=accepter.name)
    # The request is answered: its notification need not wait to be read.
    (Notification.update(read_at=utcnow())
     .where(Notification.recipient == accepter.id, Notification.kind == "contact_request",
            Notification.subject_key == f"contact:{contact.id}",
            Notification.read_at.is_null())
     .execute())


def _settings():
    return current_app.config


@bp.route("/people/<int:user_id>/follow", methods=["POST"])
@require(permissions.can_follow)
def follow(user_id):
    """Follow a teacher: their public activity shows on my desktop. Twice changes nothing."""
    person = _person(user_id, permissions.can_follow)
    try:
        with db.atomic():
            Follow.create(follower=current_user.id, followed=person.id)
    except IntegrityError:
        pass
    return go(_back(person), _("You follow %(name)s: their public activity shows on your "
                               "desktop.", name=person.name))


@bp.route("/people/<int:user_id>/unfollow", methods=["POST"])
@require(permissions.is_logged_in)
def unfollow(user_id):
    person = User.get_or_none(User.id == user_id) or abort(404)
    Follow.delete().where(Follow.follower == current_user.id,
                          Follow.followed == person.id).execute()
    return go(_back(person), _("You no longer follow %(name)s.", name=person.name))


@bp.route("/people/<int:user_id>/contact", methods=["POST"])
@require(permissions.can_ask_contact)
def ask_contact(user_id):
    """Ask to be contacts. Asking twice changes nothing; asking someone who asked me
    accepts their request."""
    person = _person(user_id, permissions.can_ask_contact)
    me = current_user._get_current_object()
    with db.atomic():
        existing = Contact.between(me.id, person.id)
        if existing is None:
            try:
                with db.atomic():
                    contact = Contact.create(requester=me.id, addressee=person.id)
            except IntegrityError:  # a request crossed ours
                return go(_back(person), _("Contact request sent."), "info")
            notify.notify(_settings(), person, "contact_request", f"contact:{contact.id}",
                          "contact_request", url_for("live.contacts"), name=me.name)
            return go(_back(person), _("Contact request sent to %(name)s. You will be told "
                                       "when they answer.", name=person.name))
        if existing.state == ContactState.ACCEPTED:
            return go(_back(person), _("You and %(name)s are already contacts.",
                                       name=person.name), "info")
        if existing.requester_id == me.id:
            # Pending, or declined: the asker is not told about a refusal.
            return go(_back(person), _("You have already asked %(name)s. They have not "
                                       "accepted yet.", name=person.name), "info")
        # They asked me first: asking back accepts their request.
        existing.state, existing.responded_at = ContactState.ACCEPTED, utcnow()
        existing.save()
        _notify_contact_accepted(existing, me, person)
    return go(_back(person), _("%(name)s had already asked you: you are now contacts.",
                               name=person.name))


def _request_to_me(user_id):
    """The contact request `user_id` sent me, still waiting; 404 for any other."""
    contact = (Contact.select()
               .where(Contact.requester == user_id, Contact.addressee == current_user.id,
                      Contact.state == ContactState.PENDING)
               .first())
    if contact is None or contact.requester.disabled:
        abort(404)
    return contact


@bp.route("/people/<int:user_id>/accept", methods=["POST"])
@require(permissions.can_ask_contact)
def accept_contact(user_id):
    contact = _request_to_me(user_id)
    requester = contact.requester
    with db.atomic():
        contact.state, contact.responded_at = ContactState.ACCEPTED, utcnow()
        contact.save()
        _notify_contact_accepted(contact, current_user._get_current_object(), requester)
    return go(next_or(url_for("live.contacts")),
              _("You and %(name)s are now contacts.", name=requester.name))


@bp.route("/people/<int:user_id>/decline", methods=["POST"])
@require(permissions.is_logged_in)
def decline_contact(user_id):
    """Decline quietly: the asker keeps seeing "Contact request sent"."""
    contact = _request_to_me(user_id)
    contact.state, contact.responded_at = ContactState.DECLINED, utcnow()
    contact.save()
    (Notification.update(read_at=utcnow())
     .where(Notification.recipient == current_user.id,
            Notification.subject_key == f"contact:{contact.id}",
            Notification.read_at.is_null())
     .execute())
    return go(next_or(url_for("live.contacts")),
              _("You declined the request of %(name)s.", name=contact.requester.name))


@bp.route("/people/<int:user_id>/remove", methods=["GET", "POST"])
@require(permissions.is_logged_in)
def remove_contact(user_id):
    """Stop being contacts (asks to confirm on a page of its own)."""
    person = User.get_or_none(User.id == user_id) or abort(404)
    contact = Contact.between(current_user.id, person.id)
    if contact is None or contact.state != ContactState.ACCEPTED:
        abort(404)
    if request.method == "GET":
        return render("live/contacts.html", confirm_remove=person)
    contact.delete_instance()
    return go(next_or(url_for("live.contacts")),
              _("%(name)s is no longer one of your contacts.", name=person.name))


@bp.route("/contacts")
@require(permissions.is_logged_in)
def contacts():
    """My contacts, the requests I received (to answer) and those I sent."""
    me = current_user.id
    rows = (Contact.select(Contact, User)
            .join(User, on=((User.id == Contact.requester) | (User.id == Contact.addressee))
                  & (User.id != me), attr="other")
            .where(((Contact.requester == me) | (Contact.addressee == me))
                   & (User.disabled == False))  # noqa: E712
            .order_by(User.name))
    mine, received, sent = [], [], []
    for row in rows:
        other = row.other
        if row.state == ContactState.ACCEPTED:
            mine.append(other)
        elif row.requester_id == me:
            sent.append(other)  # pending or declined: to the asker, still "sent"
        elif row.state == ContactState.PENDING:
            received.append(other)
    return render("live/contacts.html", mine=mine, received=received, sent=sent,
                  can_answer=permissions.can_write_to_others(current_user))
