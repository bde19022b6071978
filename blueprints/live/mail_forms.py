"""Forms of the mail (L-14 in Live, T-14 in a space): composing, replying, the files attached
to them (up to five, each checked and stored by services/mailbox.store_attachments), and what
both mailboxes say after an action. The mailbox itself is services/mailbox.py."""
from flask import make_response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (MultipleFileField, SelectMultipleField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from blueprints.richtext_forms import RichText
from services import storage

BODY_MAX = 10000  # characters of text (the markup of the rich text is not counted)
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
        RichText(BODY_MAX, _l("Write a message of at most 10,000 characters"),
                 empty=_l("Write your message"))])

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
        RichText(BODY_MAX, _l("Write a reply of at most 10,000 characters"),
                 empty=_l("Write your reply"))])


def chosen_files(field):
    """The files really chosen in a multiple file input (browsers send an empty part)."""
    return [f for f in (field.data or []) if f and getattr(f, "filename", "")]


def attachments(form):
    """The uploads of a validated form, for services/mailbox (compose, reply)."""
    return chosen_files(form.attachments)


def refuse_attachment(form, refused):
    """A file services/mailbox refused (mailbox.AttachmentRefused): its message next to the
    field (the rest of what was typed stays in the form)."""
    if refused.reason == "no_space":
        form.attachments.errors = [str(storage.NO_SPACE_MESSAGE)]
        return
    message = UPLOAD_MESSAGES.get(refused.reason, UPLOAD_MESSAGES["not_allowed"])
    form.attachments.errors = [
        str(message % {"name": refused.name, "mb": refused.limit // (1024 * 1024)}) + " " +
        _("Choose the files again: browsers forget them when a form comes back.")]


# What both mailboxes (Live, a space) say after an action.

def message_sent():
    return _("Message sent.")


def reply_sent():
    return _("Reply sent.")


def nobody_left():
    return _("Nobody else is in this conversation any more. Write a new message instead.")


def moved_to_deleted():
    return _("The conversation is in Deleted. You can restore it from there.")


def restored():
    return _("The conversation is back in your inbox.")


def purged():
    return _("The conversation is deleted for good.")


def closed_thread_page():
    """A reply posted to a closed space's thread, wherever it is opened: refused (403)."""
    from blueprints.errors import error_page
    return make_response(error_page(
        403, _("This space is closed"),
        _("This conversation belongs to a closed space: it is read-only.")))


def post_reply(thread, me, here, show):
    """Reply to `thread` as `me` from a posted ReplyForm — the same in Live and in a space:
    403 in a closed space's thread, the form again with its errors, or back to `here` (the
    thread's address in the mailbox that shows it). `show(form)` renders that thread."""
    from flask import abort, current_app

    from services import mailbox, permissions
    from web import go
    if not permissions.can_reply_in_thread(me, thread):
        abort(closed_thread_page())
    form = ReplyForm()
    if not form.validate_on_submit():
        return show(form)
    try:
        mailbox.reply(thread, me, form.body.data, current_app.config,
                      uploads=attachments(form))
    except mailbox.ThreadClosed:
        abort(closed_thread_page())
    except mailbox.NobodyLeft:
        return go(here, nobody_left(), "error")
    except mailbox.AttachmentRefused as refused:
        refuse_attachment(form, refused)
        return show(form)
    return go(here + "#latest", reply_sent())
