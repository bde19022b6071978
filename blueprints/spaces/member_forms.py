"""Forms of a space's members (T-12): pupils and guests to add, teachers to invite or add,
a member's type, a message to everybody."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (EmailField, RadioField, SelectField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Email, Length, Optional

from blueprints.auth.forms import single_line
from blueprints.richtext_forms import RichText
from services.reference import COUNTRY_CODES, other_country_choices

MAX_PUPILS = 60
NAME_MAX = 120


def name_lines(text):
    """The non-empty lines of a textarea, each folded to one clean line."""
    return [line for line in (single_line(raw) for raw in (text or "").splitlines()) if line]


class PupilsForm(FlaskForm):
    names = TextAreaField(_l("Full names of the pupils"), validators=[
        DataRequired(_l("Enter the full name of at least one pupil"))])

    def validate_names(self, field):
        lines = name_lines(field.data)
        if not lines:
            raise ValidationError(_l("Enter the full name of at least one pupil"))
        if len(lines) > MAX_PUPILS:
            raise ValidationError(_l("Enter at most 60 pupils at once"))
        if any(len(line) > NAME_MAX for line in lines):
            raise ValidationError(_l("Enter names of at most 120 characters"))


class GuestForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[single_line], validators=[
        DataRequired(_l("Enter the guest's full name")),
        Length(max=NAME_MAX, message=_l("Enter a name of at most 120 characters"))])
    email = EmailField(_l("E-mail address (optional)"), validators=[
        Optional(),
        Length(max=254, message=_l("Enter an e-mail address of at most 254 characters")),
        Email(_l("Enter an e-mail address like name@school.eu"))])


class InviteTeacherForm(FlaskForm):
    email = EmailField(_l("E-mail address of the teacher"), validators=[
        DataRequired(_l("Enter the teacher's e-mail address")),
        Length(max=254, message=_l("Enter an e-mail address of at most 254 characters")),
        Email(_l("Enter an e-mail address like name@school.eu"))])


class OutsideTeacherForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[single_line], validators=[
        DataRequired(_l("Enter the teacher's full name")),
        Length(max=NAME_MAX, message=_l("Enter a name of at most 120 characters"))])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter the teacher's e-mail address")),
        Length(max=254, message=_l("Enter an e-mail address of at most 254 characters")),
        Email(_l("Enter an e-mail address like name@school.eu"))])
    # A list of country names, like registration's (the countries not taking part: teachers
    # of the others register themselves).
    country = SelectField(_l("Country"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = ([("", _l("Choose the teacher's country"))]
                                + other_country_choices(str(get_locale() or "en")))

    def validate_country(self, field):
        code = (field.data or "").strip().upper()
        if code in COUNTRY_CODES:
            raise ValidationError(_l("Teachers of this country register themselves: invite "
                                     "them by e-mail instead"))
        if code not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose the teacher's country from the list"))
        field.data = code


class TypeForm(FlaskForm):
    role = RadioField(_l("Type of member"), validate_choice=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = list(choices)

    def validate_role(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a type from the list"))


class MessageForm(FlaskForm):
    subject = StringField(_l("Subject"), filters=[single_line], validators=[
        DataRequired(_l("Enter a subject")),
        Length(max=200, message=_l("Enter a subject of at most 200 characters"))])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write your message")),
        RichText(10000, _l("Write a message of at most 10,000 characters"),
                 empty=_l("Write your message"))])
