"""Notifications (L-4): one row per thing to know, grouped by subject, mailed as each person
prefers (not at all, at once, or in a daily or weekly digest)."""
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from models import Notification, NotificationPreference, User, db, utcnow
from services.mail import send_mail

KINDS = {
    "contact_request": _l("Contact requests"),
    "contact_accepted": _l("Accepted contact requests"),
    "message": _l("Messages"),
    "project_invitation": _l("Project invitations"),
    "project_answer": _l("Answers to my project invitations"),
    "group_decision": _l("Decisions about my groups"),
    "label_decision": _l("Quality Label decisions"),
    "certificate_decision": _l("Certificate decisions"),
    "validation": _l("Validation of my account"),
    "event": _l("Events I take part in"),
    "forum_reply": _l("Replies to my partner searches"),
    "guestbook": _l("Messages on my profile in TwinSpaces"),
    "space_forum_reply": _l("Replies in TwinSpace forum discussions I took part in"),
}

NONE, INSTANT, DAILY, WEEKLY = "none", "instant", "daily", "weekly"
MODES = {
    NONE: _l("Not at all"),
    INSTANT: _l("On the platform and by e-mail at once"),
    DAILY: _l("On the platform, and a daily e-mail summary"),
    WEEKLY: _l("On the platform, and a weekly e-mail summary"),
}
DEFAULT_MODE = DAILY


def mode_for(user, kind):
    pref = NotificationPreference.get_or_none((NotificationPreference.user == user.id)
                                              & (NotificationPreference.kind == kind))
    return pref.mode if pref else DEFAULT_MODE


def preferences(user):
    """Every kind with the user's mode for it, in one query."""
    chosen = {p.kind: p.mode for p in
              NotificationPreference.select().where(NotificationPreference.user == user.id)}
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in KINDS}


def set_preferences(user, modes):
    with db.atomic():
        for kind, mode in modes.items():
            if kind in KINDS and mode in MODES:
                (NotificationPreference
                 .insert(user=user.id, kind=kind, mode=mode)
                 .on_conflict(conflict_target=[NotificationPreference.user,
                                               NotificationPreference.kind],
                              update={NotificationPreference.mode: mode})
                 .execute())


def notify(settings, recipient, kind, subject_key, message, link=""):
    """Tell `recipient` something. `message(count)` returns the text, called in the
    recipient's language; an unread notification on the same subject is updated, not added."""
    mode = mode_for(recipient, kind)
    if mode == NONE:
        return None
    with db.atomic():
        row = (Notification.select()
               .where(Notification.recipient == recipient.id, Notification.kind == kind,
                      Notification.subject_key == subject_key,
                      Notification.read_at.is_null())
               .first())
        count = row.count + 1 if row else 1
        with force_locale(recipient.language):
            text = str(message(count))[:300]
        if row:
            row.count, row.text, row.link, row.updated_at = count, text, link, utcnow()
            row.save()
        else:
            row = Notification.create(recipient=recipient.id, kind=kind, link=link,
                                      subject_key=subject_key, text=text)
    if mode == INSTANT and recipient.email:
        with force_locale(recipient.language):
            send_mail(settings, recipient.email, text, _mail_body([row], settings))
        row.emailed_at = utcnow()
        row.save(only=[Notification.emailed_at])
    return row


def unread_count(user):
    return (Notification.select()
            .where(Notification.recipient == user.id, Notification.read_at.is_null())
            .count())


def mark_read(user, notification_id=None):
    query = Notification.update(read_at=utcnow()).where(Notification.recipient == user.id,
                                                         Notification.read_at.is_null())
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return query.execute()


def send_digests(settings, mode, now=None):
    """Mail each person whose preference for a kind is `mode` (daily or weekly) what they
    have neither read nor been mailed yet; return how many mails went out."""
    now = now or utcnow()
    candidates = (Notification.select(Notification, User)
                  .join(User, on=(Notification.recipient == User.id))
                  .where(Notification.read_at.is_null(), Notification.emailed_at.is_null(),
                         Notification.updated_at <= now)
                  .order_by(Notification.recipient, Notification.updated_at.desc()))
    modes, by_user = {}, {}
    for row in candidates:
        if row.recipient_id not in modes:
            modes[row.recipient_id] = preferences(row.recipient)  # one query per person
        if modes[row.recipient_id].get(row.kind) == mode:
            by_user.setdefault(row.recipient_id, []).append(row)
    sent = 0
    for rows in by_user.values():
        user = rows[0].recipient
        if not user.email:
            continue
        with force_locale(user.language):
            subject = _("Your OpenTwin summary: %(num)d new", num=len(rows))
            send_mail(settings, user.email, subject, _mail_body(rows, settings))
        (Notification.update(emailed_at=now)
         .where(Notification.id.in_([r.id for r in rows])).execute())
        sent += 1
    return sent


def _mail_body(rows, settings):
    base = (settings.get("BASE_URL") or "").rstrip("/")
    lines = []
    for row in rows:
        lines.append(f"- {row.text}")
        if row.link:
            lines.append(f"  {base}{row.link}")
    lines.append("")
    lines.append(_("Change what you receive: %(link)s",
                   link=f"{base}/live/notifications/settings"))
    return "\n".join(lines)
