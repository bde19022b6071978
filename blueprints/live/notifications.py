"""Live: notifications (L-4): the list, marking read, how each kind reaches me; and the
unread counts the header shows on every page."""
from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import Select, fn
from wtforms import RadioField, ValidationError

from blueprints.live import bp
from extensions import htmx
from models import MailRecipient, Notification, db
from services import mailbox, notify, permissions
from services.paging import Page
from web import go, is_safe_next, page_arg, render, require


class HeaderCounts:
    """Unread notifications and unread mail of the current user: counted together (one
    query) when a template first asks, once per request."""

    def __init__(self, user):
        self._user = user
        self._values = {}

    def _get(self, name):
        if not self._values:
            unread = (Notification.select(fn.COUNT(Notification.id))
                      .where(Notification.recipient == self._user.id,
                             Notification.read_at.is_null()))
            mail = mailbox.unread(self._user).select(fn.COUNT(MailRecipient.id))
            row = Select(columns=[unread.alias("notifications"), mail.alias("mail")])
            self._values = dict(zip(("notifications", "mail"),
                                    db.execute(row.tuples()).fetchone()))
        return self._values[name]

    @property
    def notifications(self):
        return self._get("notifications")

    @property
    def mail(self):
        return self._get("mail")

    def forget(self):
        self._values.clear()


def header_counts():
    """The current user's HeaderCounts for this request, or None for a visitor."""
    if not permissions.is_logged_in(current_user):
        return None
    counts = g.get("_live_header_counts")
    if counts is None:
        counts = g._live_header_counts = HeaderCounts(current_user)
    return counts


@bp.app_context_processor
def _live_counts():
    # No query here: the counts run when the layout reads them (never for visitors).
    # notification_text: a notification in the reader's language now (services/notify.py).
    return {"live_counts": header_counts, "notification_text": notify.words}


def _list_page():
    query = (Notification.select()
             .where(Notification.recipient == current_user.id)
             .order_by(Notification.updated_at.desc(), Notification.id.desc()))
    return Page.of_query(query, page_arg(), per_page=20)


@bp.route("/notifications")
@require(permissions.can_have_notifications)
def notifications():
    """What happened for me, newest first; several events on one subject are one row."""
    return render("live/notifications.html",
                  partials={"notification-list": "live/_notifications_list.html"},
                  pagination=_list_page(), counts=header_counts())


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@require(permissions.can_have_notifications)
def notification_read(notification_id):
    """Mark one of mine read and go where it points."""
    row = Notification.get_or_none((Notification.id == notification_id)
                                   & (Notification.recipient == current_user.id))
    if row is None:
        abort(404)
    notify.mark_read(current_user, row.id)
    return go(row.link if is_safe_next(row.link) else url_for("live.notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@require(permissions.can_have_notifications)
def notifications_read_all():
    notify.mark_read(current_user)
    if htmx and htmx.target == "notification-list":
        counts = header_counts()
        counts.forget()
        return render("live/notifications.html",
                      partials={"notification-list": "live/_notifications_list.html"},
                      pagination=_list_page(), counts=counts, swapped=True)
    return go(url_for("live.notifications"), _("All notifications are marked as read."))


def _choice(form, field):
    if field.data not in notify.MODES:
        raise ValidationError(_l("Choose how you want to hear about this"))


def settings_form(current):
    """A form with a radio group per kind of notification, set to the current choices."""
    class SettingsForm(FlaskForm):
        pass
    for kind, label in notify.KINDS.items():
        setattr(SettingsForm, kind, RadioField(
            label, choices=list(notify.MODES.items()), validate_choice=False,
            validators=[_choice], default=current.get(kind, notify.DEFAULT_MODE)))
    return SettingsForm()


@bp.route("/notifications/settings", methods=["GET", "POST"])
@require(permissions.can_have_notifications)
def notification_settings():
    """How each kind of notification reaches me: not at all, at once, or in a summary."""
    form = settings_form(notify.preferences(current_user))
    if form.validate_on_submit():
        notify.set_preferences(current_user, {kind: form[kind].data for kind in notify.KINDS})
        return go(url_for("live.notification_settings"), _("Your choices are saved."))
    return render("live/notifications_settings.html", form=form)
