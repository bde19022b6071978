"""Forms of a space's forums (T-10): a forum, a discussion with its first message, a reply
(or an edited message). Messages are rich text, cleaned by services.sanitize on save."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from blueprints.auth.forms import single_line
from services.sanitize import text_or_html

BODY_MAX = 10_000


def _has_content(value):
    """Whether a message still says something once cleaned (not only empty tags)."""
    cleaned = text_or_html(value)
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", cleaned)) or "<img" in cleaned


def message_field(label, empty_message):
    return TextAreaField(label, validators=[
        DataRequired(empty_message),
        Length(max=BODY_MAX, message=_l("Shorten your message to at most 10,000 characters"))])


class _MessageForm(FlaskForm):
    def validate_body(self, field):
        if not _has_content(field.data):
            raise ValidationError(self.body_empty)


class ForumForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title, like “Questions about the river walk”")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description (optional)"), validators=[
        Optional(), Length(max=2000, message=_l("Shorten the description to at most 2000 "
                                                 "characters"))])


class DiscussionForm(_MessageForm):
    body_empty = _l("Write the first message")
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title, like “Where shall we walk?”")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    body = message_field(_l("First message"), body_empty)


class ReplyForm(_MessageForm):
    body_empty = _l("Write your reply")
    body = message_field(_l("Your reply"), body_empty)
    # The last post the writer saw (htmx appends what came after it) and their page.
    after = HiddenField()
    page = HiddenField()

    def shown(self):
        """(last post id seen, page seen) from the hidden fields; (0, 0) when missing."""
        def number(value):
            value = (value or "").strip()
            return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0
        return number(self.after.data), number(self.page.data)


class EditPostForm(_MessageForm):
    body_empty = _l("Write your message, or delete it instead")
    body = message_field(_l("Your message"), body_empty)
