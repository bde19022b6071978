"""Forms for registering and running a project (L-9..L-13)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, ValidationError)
from wtforms.validators import DataRequired, Length, Optional

from blueprints.auth.forms import single_line
from services.reference import AGE_RANGES, CONTENT_LANGUAGES, SUBJECTS


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title for the project")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Describe the project in a few sentences")),
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])
    subjects = SelectMultipleField(_l("Subjects"), validate_choice=False)
    age_ranges = SelectMultipleField(_l("Ages of the pupils"), validate_choice=False)
    languages = SelectMultipleField(_l("Languages of the project"), validate_choice=False)
    starts_on = DateField(_l("Starts on"), validators=[
        DataRequired(_l("Enter the date the project starts, like 2027-02-01"))])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    is_public = BooleanField(_l("Show the project in the public portal"))

    def __init__(self, *args, language_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects.choices = sorted(((c, str(n)) for c, n in SUBJECTS.items()),
                                       key=lambda p: p[1].casefold())
        self.age_ranges.choices = [(c, str(n)) for c, n in AGE_RANGES.items()]
        self.languages.choices = list(language_choices)

    def validate_subjects(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one subject"))
        if not set(field.data) <= set(SUBJECTS):
            raise ValidationError(_l("Choose subjects from the list"))

    def validate_age_ranges(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one age range"))
        if not set(field.data) <= set(AGE_RANGES):
            raise ValidationError(_l("Choose age ranges from the list"))

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one language"))
        if not set(field.data) <= set(CONTENT_LANGUAGES):
            raise ValidationError(_l("Choose languages from the list"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Enter an end date after the start date"))


class InviteForm(FlaskForm):
    contact = SelectField(_l("One of my contacts"), validate_choice=False)
    email = EmailField(_l("Or the e-mail address of a teacher on OpenTwin"), validators=[
        Optional(), Length(max=254, message=_l("Enter an e-mail address of at most 254 "
                                               "characters"))])

    def __init__(self, *args, contact_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contact.choices = [("", _l("Choose a contact"))] + list(contact_choices)

    def validate_contact(self, field):
        if field.data and field.data not in {value for value, _label in self.contact.choices}:
            raise ValidationError(_l("Choose a contact from the list"))
        if not field.data and not (self.email.data or "").strip():
            raise ValidationError(_l("Choose a contact or enter a teacher's e-mail address"))


class ReportForm(FlaskForm):
    report = TextAreaField(_l("Your report"), validators=[
        DataRequired(_l("Write a short report on what the pupils did and learned")),
        Length(max=5000, message=_l("Shorten the report to at most 5000 characters"))])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Say why, so the teacher knows what to change")),
        Length(max=2000, message=_l("Shorten the reason to at most 2000 characters"))])


class CardMessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=5000, message=_l("Shorten the message to at most 5000 characters"))])


class CloseForm(FlaskForm):
    """Closing a project; before its planned end, only with this box ticked (the view checks)."""
    confirm_early = BooleanField(_l("Yes, close it before its end date"))
