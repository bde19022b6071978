"""Outgoing mail: every message goes into the outbox table; SMTP delivers it when configured.

A failed delivery is recorded on the outbox row and never breaks the page that sent it.
"""
import smtplib
from email.message import EmailMessage

from models import OutboxMail, utcnow


def send_mail(settings, to, subject, body):
    """Store a mail in the outbox and, if settings name an SMTP server, deliver it."""
    mail = OutboxMail.create(to_address=to, subject=subject[:255], body=body)
    if settings.get("MAIL_SERVER"):
        try:
            _deliver(settings, mail)
            mail.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            mail.error = str(exc)[:1000]
        mail.save()
    return mail


def _deliver(settings, mail):
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
