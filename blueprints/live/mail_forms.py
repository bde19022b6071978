"""Forms of the mail (L-14, T-14): composing, replying, and the files attached to them
(up to five, each checked and stored by services/storage.save_attachment)."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (MultipleFileField, SelectMultipleField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from models import MailAttachment, StoredFile
from services import storage

BODY_MAX = 10000
MAX_ATTACHMENTS = 5

UPLOAD_MESSAGES = {
    "empty": _l("“%(name)s” is empty: choose another file"),
    "too_large": _l("“%(name)s” is too large: attach files of up to %(mb)d MB (images up "
                    "to 15 MB)"),
    "not_image": _l("“%(name)s” is not an image we can read: choose another file"),
    "not_video": _l("“%(name)s” is not a video we can play: choose another file"),
    "not_allowed": _l("“%(name)s” cannot be sent: attach documents (PDF, office files, text), "
                      "images, sound, video or zip files"),
}


class AttachmentsMixin:
    attachments = MultipleFileField(_l("Attach files (optional)"))

    def validate_attachments(self, field):
        if len(chosen_files(field)) > MAX_ATTACHMENTS:
            raise ValidationError(_l("Attach at most 5 files"))


class ComposeForm(AttachmentsMixin, FlaskForm):
    recipients = SelectMultipleField(_l("To"), validate_choice=False)
    subject = StringField(_l("Subject"), filters=[single_line], validators=[
        DataRequired(_l("Enter a subject")),
        Length(max=200, message=_l("Enter a subject of at most 200 characters"))])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=BODY_MAX, message=_l("Write a message of at most 10,000 characters"))])

    outside_message = _l("Choose people from the list: your contacts and the partners of "
                         "your projects")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.id): p for p in people}
        self.recipients.choices = [(str(p.id), p.name) for p in people]

    def validate_recipients(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one person to write to"))
        if not set(field.data) <= set(self.people):
            raise ValidationError(self.outside_message)


class ReplyForm(AttachmentsMixin, FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Write your reply")),
        Length(max=BODY_MAX, message=_l("Write a reply of at most 10,000 characters"))])


def chosen_files(field):
    """The files really chosen in a multiple file input (browsers send an empty part)."""
    return [f for f in (field.data or []) if f and getattr(f, "filename", "")]


def save_attachments(form):
    """Store the files of a validated form; on a refused file: its message next to the field,
    nothing stored, and None (the rest of what was typed stays in the form)."""
    limit = storage.max_upload_bytes(current_app.config)
    stored = []
    for upload in chosen_files(form.attachments):
        try:
            stored.append(storage.save_attachment(upload, current_app.config["UPLOAD_DIR"],
                                                  limit, owner=current_user.id))
        except storage.UploadError as error:
            message = UPLOAD_MESSAGES.get(error.reason, UPLOAD_MESSAGES["not_allowed"])
            form.attachments.errors = [
                str(message % {"name": storage._name(upload, "file"),
                               "mb": limit // (1024 * 1024)}) + " " +
                _("Choose the files again: browsers forget them when a form comes back.")]
            if stored:
                StoredFile.delete().where(StoredFile.id.in_([s.id for s in stored])).execute()
            return None
    return stored


def attachments_of(messages):
    """{message id: [StoredFile, ...]} in one query."""
    found = {}
    if messages:
        for row in (MailAttachment.select(MailAttachment, StoredFile).join(StoredFile)
                    .where(MailAttachment.message.in_([m.id for m in messages]))
                    .order_by(MailAttachment.id)):
            found.setdefault(row.message_id, []).append(row.file)
    return found
