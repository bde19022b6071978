"""Forms of a group's own pages: asking to join, the ice-breaker, the group's settings."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line


class AskForm(FlaskForm):
    message = TextAreaField(_l("Message to the moderators (optional)"), validators=[
        Length(max=1000, message=_l("Write a message of at most 1000 characters"))])


class IceBreakerForm(FlaskForm):
    title = StringField(_l("Title of the discussion"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    body = TextAreaField(_l("First message"), validators=[
        DataRequired(_l("Write the first message")),
        Length(max=10000, message=_l("Write a message of at most 10,000 characters"))])


OPEN, INVITATION = "open", "invitation"


class GroupSettingsForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Describe the group")),
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])
    objectives = TextAreaField(_l("Objectives"), validators=[
        Length(max=5000, message=_l("Shorten the objectives to at most 5000 characters"))])
    topics = StringField(_l("Topics"), filters=[single_line], validators=[
        Length(max=300, message=_l("Enter topics of at most 300 characters in all"))])
    languages = SelectMultipleField(_l("Languages of the group"), validate_choice=False)
    openness = RadioField(_l("Who may join"), choices=[
        (OPEN, _l("Any teacher joins at once (open group)")),
        (INVITATION, _l("By invitation or request only"))], validate_choice=False)
    welcome = TextAreaField(_l("Welcome message"), validators=[
        Length(max=5000, message=_l("Shorten the welcome message to at most 5000 characters"))])
    logo = FileField(_l("Image"))
    remove_logo = BooleanField(_l("Remove the image"))

    def __init__(self, *args, language_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = list(language_choices)

    def validate_languages(self, field):
        allowed = {value for value, _label in field.choices}
        if not field.data:
            raise ValidationError(_l("Choose at least one language"))
        if any(code not in allowed for code in field.data):
            raise ValidationError(_l("Choose languages from the list"))

    def validate_openness(self, field):
        if field.data not in (OPEN, INVITATION):
            raise ValidationError(_l("Choose who may join"))
