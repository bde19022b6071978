"""Forms of a TwinSpace: diary posts, the bulletin, settings."""
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from blueprints.auth.forms import single_line
from blueprints.richtext_forms import RichText
from services.reference import SPACE_THEMES


class DiaryForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    body = TextAreaField(_l("Text"), validators=[
        DataRequired(_l("Write the post")),
        Length(max=20000, message=_l("Shorten the post to at most 20000 characters"))])
    is_public = BooleanField(_l("Public: show it in the project's public view"))


class BulletinForm(FlaskForm):
    body = TextAreaField(_l("Message to the project's teachers"), validators=[
        DataRequired(_l("Write your message")),
        RichText(5000, _l("Shorten the message to at most 5000 characters"),
                 empty=_l("Write your message"))])


class SettingsForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description"), validators=[
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])
    theme = SelectField(_l("Colours"), choices=list(SPACE_THEMES.items()),
                        validate_choice=False)
    logo = FileField(_l("Logo"))
    remove_logo = BooleanField(_l("Remove the logo"))
    # T-11: an external Jitsi or BigBlueButton room for meetings larger than the built-in call.
    meeting_url = StringField(
        _l("Larger meeting room (optional)"), filters=[single_line],
        validators=[Optional(), Length(max=500, message=_l(
            "Enter an address of at most 500 characters"))])

    def validate_theme(self, field):
        if field.data not in SPACE_THEMES:
            raise ValidationError(_l("Choose colours from the list"))

    def validate_meeting_url(self, field):
        parts = urlsplit(field.data or "")
        if (parts.scheme != "https" or not parts.hostname or "@" in parts.netloc
                or any(c.isspace() for c in field.data)):
            raise ValidationError(_l("Enter the room's address starting with https://, "
                                     "like https://meet.jit.si/our-rivers"))
