"""Outgoing mail: every message goes into the outbox table, and the job worker delivers it.

The outbox is the queue. A request only writes the row and asks the worker (services/jobs.py)
to deliver it, so a slow or failing SMTP server never slows or breaks a page. Delivery claims
the row first (one sender even with several workers), and a failed try is written down with
its error; the next try is asked for after a back-off (1, 2, 4 ... minutes, MAIL_MAX_ATTEMPTS
tries in all). The row, not the queue, says what is due: a try lost with a killed worker is
asked for again by the sweep (`sweep`) that the worker runs every few minutes.
Without MAIL_SERVER mail is only kept in the outbox (central staff read it there).
"""
import datetime
import logging
import smtplib
from email.message import EmailMessage

from models import OutboxMail, utcnow

log = logging.getLogger("opentwin.mail")



def claim_timeout(settings):
    """A claim older than this belongs to a worker that died while sending; a try overdue by
    this much was lost with its worker: the sweep asks for it again (MAIL_CLAIM_SECONDS)."""
    return datetime.timedelta(seconds=settings.get("MAIL_CLAIM_SECONDS", 600))

SENT, FAILED, TAKEN, STALE = "sent", "failed", "taken", "stale"


def send_mail(settings, to, subject, body):
    """Store a mail in the outbox and, if settings name an SMTP server, queue its delivery."""
    configured = bool(settings.get("MAIL_SERVER"))
    subject = " ".join(subject.split())  # a title with a line break must not break headers
    mail = OutboxMail.create(to_address=to, subject=subject[:255], body=body,
                             next_attempt_at=utcnow() if configured else None)
    if configured:
        from services import jobs
        jobs.queue_mail(mail.id, 0)
    return mail


def retry_delay(settings, attempts):
    """Seconds to wait after the attempts-th failed try: doubling from MAIL_RETRY_SECONDS."""
    return settings.get("MAIL_RETRY_SECONDS", 60) * 2 ** max(attempts - 1, 0)


def deliver(settings, mail_id, attempt):
    """Try once to deliver a queued mail, as the attempt-th try (0 is the first).

    Returns SENT, FAILED (written down; the caller asks for the next try), TAKEN (another
    worker holds it) or STALE (it was sent, given up, or this try was already made)."""
    now = utcnow()
    claimed = (OutboxMail.update(claimed_at=now)
               .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_null(),
                      OutboxMail.attempts == attempt,
                      OutboxMail.next_attempt_at.is_null(False),
                      OutboxMail.claimed_at.is_null()
                      | (OutboxMail.claimed_at < now - claim_timeout(settings)))
               .execute())
    if not claimed:
        mail = OutboxMail.get_or_none(OutboxMail.id == mail_id)
        busy = (mail is not None and mail.sent_at is None and mail.attempts == attempt
                and mail.next_attempt_at is not None)
        return TAKEN if busy else STALE
    mail = OutboxMail.get_by_id(mail_id)
    try:
        _smtp_send(settings, mail)
    except Exception as exc:  # noqa: BLE001 - any failure is a failed try, written down
        if not isinstance(exc, (OSError, smtplib.SMTPException)):
            log.exception("mail %s could not be sent", mail_id)
        mail.attempts += 1
        mail.error = f"{type(exc).__name__}: {exc}"[:1000]
        mail.claimed_at = None
        gave_up = mail.attempts >= settings.get("MAIL_MAX_ATTEMPTS", 8)
        mail.next_attempt_at = (None if gave_up else utcnow() + datetime.timedelta(
            seconds=retry_delay(settings, mail.attempts)))
        mail.save()
        return FAILED
    mail.sent_at = utcnow()
    mail.claimed_at = mail.next_attempt_at = None
    mail.save()
    return SENT


def lost(settings, now=None):
    """Mails whose next try is long overdue and that nobody holds: (id, attempt) to queue."""
    now = now or utcnow()
    timeout = claim_timeout(settings)
    query = (OutboxMail.select(OutboxMail.id, OutboxMail.attempts)
             .where(OutboxMail.sent_at.is_null(), OutboxMail.next_attempt_at.is_null(False),
                    OutboxMail.next_attempt_at < now - timeout,
                    OutboxMail.claimed_at.is_null() | (OutboxMail.claimed_at < now - timeout))
             .order_by(OutboxMail.next_attempt_at).limit(500))
    return [(m.id, m.attempts) for m in query]


def queue_figures():
    """What the health page shows of the queue: waiting mails, the oldest, given-up ones."""
    waiting = OutboxMail.select().where(OutboxMail.sent_at.is_null(),
                                        OutboxMail.next_attempt_at.is_null(False))
    oldest = waiting.order_by(OutboxMail.created_at).first()
    failed = OutboxMail.select().where(OutboxMail.sent_at.is_null(),
                                       OutboxMail.next_attempt_at.is_null(),
                                       OutboxMail.attempts > 0)
    return {"waiting": waiting.count(), "oldest": oldest.created_at if oldest else None,
            "failed": failed.count(),
            "recent_errors": list(OutboxMail.select().where(OutboxMail.sent_at.is_null(),
                                                            OutboxMail.attempts > 0)
                                  .order_by(OutboxMail.id.desc()).limit(5))}


def _smtp_send(settings, mail):
    message = EmailMessage()
    message["From"] = settings["MAIL_FROM"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    with smtplib.SMTP(settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=10) as smtp:
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
