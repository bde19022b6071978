"""The staff audit log (issue 13, 7b): every staff action — validations, approvals, decisions
on groups and reports, deletions, password resets, role changes — writes one AuditEntry that
central staff read and filter on /admin/audit.

`record()` never breaks the action it records: it writes inside a savepoint of the caller's
transaction when there is one (so the entry and the action commit or roll back together),
in a transaction of its own otherwise, and a failure to write is logged, not raised.
No Flask request objects here (services call it too)."""
import datetime
import logging

from flask_babel import lazy_gettext as _l
from peewee import fn

from models import AuditEntry, Group, Membership, Report, db, utcnow

log = logging.getLogger(__name__)

# What each action is called on the log page and in its filter, in the filter's order.
ACTION_NAMES = {
    "teacher.validate": _l("Teacher validated"),
    "teacher.refuse": _l("Teacher refused"),
    "label.approve": _l("Quality Label awarded"),
    "label.refuse": _l("Quality Label refused"),
    "certificate.approve": _l("Certificate validated"),
    "certificate.refuse": _l("Certificate refused"),
    "project.reopen": _l("Project reopened"),
    "project.card_message": _l("Message on a project card"),
    "group.create_featured": _l("Featured group created"),
    "group.approve": _l("Group approved"),
    "group.reject": _l("Group rejected"),
    "group.ask_info": _l("Group: information asked"),
    "group.close": _l("Group closed"),
    "group.reopen": _l("Group reopened"),
    "group.feature": _l("Group marked as featured"),
    "group.unfeature": _l("Group no longer featured"),
    "group.clear_flag": _l("Group flag cleared"),
    "group.exempt": _l("Group exempted from monitoring"),
    "group.unexempt": _l("Group monitored again"),
    "group.message": _l("Message to a group's moderators"),
    "report.hide": _l("Reported content hidden"),
    "report.dismiss": _l("Report dismissed"),
    "content.create": _l("Portal content added"),
    "content.update": _l("Portal content changed"),
    "content.delete": _l("Portal content deleted"),
    "content.file_delete": _l("Publication language version deleted"),
    "member.remove": _l("Member removed from a space"),
    "role.change": _l("Role in a space changed"),
    "password.reset": _l("Password reset"),
    "project.delete": _l("Project deleted with its space"),
    "account.delete": _l("Account deleted by its owner"),
}

LABEL_MAX = AuditEntry.target_label.max_length
DETAIL_MAX = AuditEntry.detail.max_length


def _shorten(text, limit):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _target_facts(target):
    """(type, id, label, country) of a model instance; a (type, id, label) tuple as given."""
    if target is None:
        return "", None, "", None
    if isinstance(target, tuple):
        kind, ident, label = target
        return kind, ident, label, None
    kind = target._meta.table_name
    if isinstance(target, Group):
        kind, label = "group", target.space.title
    elif isinstance(target, Membership):
        kind, label = "user", target.user.name
        return kind, target.user_id, label, target.user.country
    elif isinstance(target, Report):
        label = target.title
    else:
        label = (getattr(target, "title", None) or getattr(target, "name", None)
                 or f"{kind} {target.id}")
    return kind, target.id, label, getattr(target, "country", None)


def record(actor, action, target=None, detail="", country=None):
    """Write one entry: `actor` (a User, or None for the system) did `action` to `target` (a
    model instance, or a (type, id, label) tuple). `country` defaults to the target's, then
    the actor's. Returns the entry, or None when it could not be written (logged)."""
    try:
        kind, ident, label, target_country = _target_facts(target)
        actor_id = getattr(actor, "id", None)
        if country is None:
            country = target_country or getattr(actor, "country", None)
        with db.atomic():  # a savepoint inside the caller's transaction
            return AuditEntry.create(
                created_at=utcnow(), actor=actor_id,
                actor_name=_shorten(getattr(actor, "name", ""), 120), action=action,
                target_type=kind, target_id=ident, target_label=_shorten(label, LABEL_MAX),
                country=(country or None) and country[:2], detail=_shorten(detail, DETAIL_MAX))
    except Exception:  # noqa: BLE001 - the action it records must go on
        log.exception("could not write the audit entry %s by %s", action,
                      getattr(actor, "id", None))
        return None


def forget_users(ids):
    """People whose personal data is erased leave the log's names: what they did stays, shown
    as done by "Former member", and what was done to them keeps only the account's number."""
    ids = list(ids)
    AuditEntry.update(actor_name="").where(AuditEntry.actor.in_(ids)).execute()
    AuditEntry.update(target_label="").where(AuditEntry.target_type == "user",
                                             AuditEntry.target_id.in_(ids)).execute()


def query(action="", actor="", country="", date_from=None, date_to=None, text=""):
    """The entries matching the filters, newest first (each filter optional): an action code,
    the actor's name (part of it), a country
    code, a first and a last day (dates, both included), words of the target's label."""
    entries = AuditEntry.select().order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        entries = entries.where(AuditEntry.action == action)
    if actor:
        entries = entries.where(fn.LOWER(AuditEntry.actor_name).contains(actor.lower()))
    if country:
        entries = entries.where(AuditEntry.country == country)
    if date_from:
        entries = entries.where(AuditEntry.created_at >= datetime.datetime.combine(
            date_from, datetime.time()))
    if date_to and date_to < datetime.date.max:
        entries = entries.where(AuditEntry.created_at < datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time()))
    for word in (text or "").split()[:8]:
        entries = entries.where(fn.LOWER(AuditEntry.target_label).contains(word.lower()))
    return entries
