"""Notifications (L-4): one row per thing to know, grouped by subject, mailed as each person
prefers (not at all, at once, or in a daily or weekly digest).

A row stores what happened — a message key of MESSAGES and its parameters (who, which
project) — and is put into words only when it is shown or mailed, in the reader's language
at that moment (words()): a teacher who switches to English reads her notifications in
English, and each mail goes out in its recipient's preferred language."""
import json

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from models import Notification, NotificationPreference, User, db, utcnow
from services.mail import send_mail

KINDS = {
    "contact_request": _l("Contact requests"),
    "contact_accepted": _l("Accepted contact requests"),
    "message": _l("Messages"),
    "project_invitation": _l("Project invitations"),
    "project_answer": _l("Answers to my project invitations"),
    "group_decision": _l("Decisions about my groups"),
    "report_outcome": _l("What became of my netiquette reports"),
    "label_decision": _l("Quality Label decisions"),
    "certificate_decision": _l("Certificate decisions"),
    "validation": _l("Validation of my account"),
    "event": _l("Events I take part in"),
    "forum_reply": _l("Replies to my partner searches"),
    "guestbook": _l("Messages on my profile in my spaces"),
    "space_forum_reply": _l("Replies in the forum discussions of my spaces I took part in"),
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


# What each message says. `n` is how many events the row groups, `p` its parameters.
MESSAGES = {
    "contact_request": lambda n, p: _("%(name)s asks to be your contact", name=p["name"]),
    "contact_accepted": lambda n, p: _("%(name)s accepted your contact request",
                                       name=p["name"]),
    "message": lambda n, p: ngettext("%(num)d new message from %(name)s",
                                     "%(num)d new messages from %(name)s", n, name=p["name"]),
    "project_invitation": lambda n, p: _("%(name)s invites you to the project “%(title)s”",
                                         name=p["name"], title=p["title"]),
    "project_joined": lambda n, p: _("%(name)s joined your project “%(title)s”",
                                     name=p["name"], title=p["title"]),
    "project_declined": lambda n, p: _("%(name)s declined the invitation to “%(title)s”",
                                       name=p["name"], title=p["title"]),
    "label_awarded": lambda n, p: _("“%(title)s” has the Quality Label!", title=p["title"]),
    "label_refused": lambda n, p: _("The Quality Label for “%(title)s” was not awarded",
                                    title=p["title"]),
    "certificate_ready": lambda n, p: _("Your certificate for “%(title)s” is ready to "
                                        "download", title=p["title"]),
    "certificate_refused": lambda n, p: _("Your certificate for “%(title)s” was refused",
                                          title=p["title"]),
    "validation_accepted": lambda n, p: _("National support staff validated your account: "
                                          "you can now found projects and write to other "
                                          "teachers."),
    "validation_refused": lambda n, p: _("National support staff could not validate your "
                                         "account yet. Open your profile to see why and what "
                                         "to correct."),
    "event_changed": lambda n, p: _("The event “%(title)s” has changed: check its new time "
                                    "and place.", title=p["title"]),
    "event_cancelled": lambda n, p: _("The event “%(title)s” is cancelled.", title=p["title"]),
    "forum_reply": lambda n, p: ngettext("%(num)d new reply to “%(title)s”",
                                         "%(num)d new replies to “%(title)s”", n,
                                         title=p["title"]),
    "guestbook": lambda n, p: ngettext("%(name)s left a message on your profile in "
                                       "%(space)s",
                                       "%(num)d new messages on your profile in %(space)s", n,
                                       name=p["name"], space=p["space"]),
    "group_needs_info": lambda n, p: _("Central support staff ask for more information about "
                                       "your group “%(title)s”", title=p["title"]),
    "group_approved": lambda n, p: _("Your group “%(title)s” is approved and active",
                                     title=p["title"]),
    "group_rejected": lambda n, p: _("Your group “%(title)s” was not approved",
                                     title=p["title"]),
    "group_closed": lambda n, p: _("Central support staff closed your group “%(title)s”",
                                   title=p["title"]),
    "group_reopened": lambda n, p: _("Your group “%(title)s” is open again", title=p["title"]),
    "report_hidden": lambda n, p: _("Thank you for your report in “%(title)s”: the moderators "
                                    "hid the content", title=p["title"]),
    "report_dismissed": lambda n, p: _("Your report in “%(title)s” was read: the moderators "
                                       "left the content as it is", title=p["title"]),
    "group_join_request": lambda n, p: ngettext(
        "%(name)s asks to join your group “%(title)s”",
        "%(num)d teachers ask to join your group “%(title)s”", n, name=p["name"],
        title=p["title"]),
    "group_request_accepted": lambda n, p: _("You are now a member of the group “%(title)s”",
                                             title=p["title"]),
    "group_request_declined": lambda n, p: _("Your request to join the group “%(title)s” was "
                                             "declined", title=p["title"]),
    "group_invitation": lambda n, p: _("%(name)s invites you to the group “%(title)s”",
                                       name=p["name"], title=p["title"]),
    "space_forum_reply": lambda n, p: ngettext("%(name)s replied in “%(title)s”",
                                               "%(num)d new replies in “%(title)s”", n,
                                               name=p["name"], title=p["title"]),
}


def words(row):
    """What a notification says, in the current language. Rows made before messages were
    stored (or whose message is gone) show the text they were made with."""
    render = MESSAGES.get(row.message)
    if render is not None:
        try:
            return str(render(row.count, json.loads(row.params or "{}")))[:500]
        except (KeyError, TypeError, ValueError):
            pass
    return row.text


def notify(settings, recipient, kind, subject_key, message, link="", **params):
    """Tell `recipient` something: `message` is a key of MESSAGES, `params` what it names
    (plain strings and numbers: names and titles as they are now). An unread notification
    on the same subject is updated (its count grows), not added."""
    if message not in MESSAGES:
        raise ValueError(f"unknown notification message {message!r}")
    mode = mode_for(recipient, kind)
    if mode == NONE:
        return None
    stored = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    with db.atomic():
        row = (Notification.select()
               .where(Notification.recipient == recipient.id, Notification.kind == kind,
                      Notification.subject_key == subject_key,
                      Notification.read_at.is_null())
               .first())
        if row:
            row.count += 1
            row.message, row.params, row.link, row.updated_at = message, stored, link, utcnow()
        else:
            row = Notification(recipient=recipient.id, kind=kind, link=link, count=1,
                               subject_key=subject_key, message=message, params=stored)
        with force_locale(recipient.language):  # a missing parameter fails here, loudly
            row.text = str(MESSAGES[message](row.count, params))[:300]
        row.save()
    if mode == INSTANT and recipient.email:
        with force_locale(recipient.language):
            send_mail(settings, recipient.email, words(row), _mail_body([row], settings))
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
        lines.append(f"- {words(row)}")
        if row.link:
            lines.append(f"  {base}{row.link}")
    lines.append("")
    lines.append(_("Change what you receive: %(link)s",
                   link=f"{base}/live/notifications/settings"))
    return "\n".join(lines)
