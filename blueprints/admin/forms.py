"""Forms for the portal content staff edit (P-2, P-4, P-5) and national news (L-6)."""
import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, DateTimeLocalField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, ValidationError)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models import utcnow
from services.reference import (AGE_RANGES, COUNTRY_CODES, CONTENT_LANGUAGES, EVENT_KINDS,
                                SUBJECTS, TESTIMONIAL_ROLES)

NEWS_KINDS = {"news": _l("News"), "event": _l("Event")}


def _title(max_length=200):
    return StringField(_l("Title"), validators=[
        DataRequired(_l("Enter a title")),
        Length(max=max_length, message=_l("Enter a title of at most %(max)d characters",
                                          max=max_length))])


def _long_text(label, required_message=None, max_length=50_000):
    validators = [Length(max=max_length, message=_l("Shorten this text to at most %(max)d "
                                                    "characters", max=max_length))]
    if required_message:
        validators.insert(0, DataRequired(required_message))
    return TextAreaField(label, validators=validators)


class TestimonialForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the person's name")),
        Length(max=120, message=_l("Enter a name of at most 120 characters"))])
    role = SelectField(_l("Who they are"), choices=list(TESTIMONIAL_ROLES.items()),
                       validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    quote = _long_text(_l("What they say"), _l("Enter what they say"), 2000)

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("No country"))] + list(country_choices)

    def validate_role(self, field):
        if field.data not in TESTIMONIAL_ROLES:
            raise ValidationError(_l("Choose who they are from the list"))

    def validate_country(self, field):
        if field.data and field.data not in COUNTRY_CODES:
            raise ValidationError(_l("Choose a country from the list"))


class ModuleForm(FlaskForm):
    title = _title()
    summary = _long_text(_l("Summary"), _l("Enter a short summary"), 1000)
    body = _long_text(_l("The activity"), _l("Describe the activity"))


class KitForm(FlaskForm):
    title = _title()
    summary = _long_text(_l("Summary"), _l("Enter a short summary"), 1000)
    age_range = SelectField(_l("Pupil ages"), choices=list(AGE_RANGES.items()),
                            validate_choice=False)
    subjects = SelectMultipleField(_l("Subjects"), choices=list(SUBJECTS.items()),
                                   validate_choice=False)
    duration = StringField(_l("Duration"), validators=[
        Length(max=100, message=_l("Enter a duration of at most 100 characters"))])
    activities = _long_text(_l("Steps"), _l("Describe the steps of the project"))
    material = FileField(_l("Material (PDF)"))

    def validate_age_range(self, field):
        if field.data not in AGE_RANGES:
            raise ValidationError(_l("Choose an age range from the list"))

    def validate_subjects(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one subject"))
        if not set(field.data) <= set(SUBJECTS):
            raise ValidationError(_l("Choose subjects from the list"))


class PublicationForm(FlaskForm):
    title = _title()
    summary = _long_text(_l("Summary"), _l("Enter a short summary"), 2000)
    cover = FileField(_l("Cover image"))
    file_language = SelectField(_l("Language of the PDF"), validate_choice=False)
    pdf = FileField(_l("PDF file"))

    def __init__(self, *args, language_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.file_language.choices = list(language_choices)

    def validate_file_language(self, field):
        if self.pdf.data and field.data not in CONTENT_LANGUAGES:
            raise ValidationError(_l("Choose the language of the PDF from the list"))


class LearningEventForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(EVENT_KINDS.items()), validate_choice=False)
    title = _title()
    description = _long_text(_l("Description"), _l("Describe the event"))
    starts_at = DateTimeLocalField(_l("Starts (UTC)"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Enter the date and time it starts, like 2027-03-15 16:00"))])
    duration_minutes = IntegerField(_l("Duration in minutes"), validators=[
        InputRequired(_l("Enter the duration in minutes, like 90")),
        NumberRange(min=15, max=600, message=_l("Enter a duration from 15 to 600 minutes"))])
    language = SelectField(_l("Language"), validate_choice=False)
    seats = IntegerField(_l("Seats"), validators=[
        InputRequired(_l("Enter the number of seats, like 30")),
        NumberRange(min=1, max=10_000, message=_l("Enter a number of seats from 1 to 10,000"))])
    expert = StringField(_l("Expert"), validators=[
        Length(max=120, message=_l("Enter a name of at most 120 characters"))])

    def __init__(self, *args, language_choices=(), taken=0, is_new=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(language_choices)
        self._taken = taken
        self._is_new = is_new

    def validate_kind(self, field):
        if field.data not in EVENT_KINDS:
            raise ValidationError(_l("Choose the kind of event from the list"))

    def validate_language(self, field):
        if field.data not in CONTENT_LANGUAGES:
            raise ValidationError(_l("Choose a language from the list"))

    def validate_starts_at(self, field):
        if self._is_new and field.data and field.data < utcnow():
            raise ValidationError(_l("Enter a start in the future"))

    def validate_seats(self, field):
        if field.data is not None and field.data < self._taken:
            raise ValidationError(_l("%(num)d people are registered: enter at least %(num)d "
                                     "seats", num=self._taken))


class NewsForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(NEWS_KINDS.items()), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    title = _title()
    body = _long_text(_l("Text"), _l("Enter the text"))
    event_date = DateField(_l("Date of the event"), validators=[Optional()])
    place = StringField(_l("Place or link"), validators=[
        Length(max=200, message=_l("Enter a place of at most 200 characters"))])

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = list(country_choices)

    def validate_kind(self, field):
        if field.data not in NEWS_KINDS:
            raise ValidationError(_l("Choose news or event"))

    def validate_country(self, field):
        if field.data not in {code for code, _name in self.country.choices}:
            raise ValidationError(_l("Choose a country from the list"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # An event needs its date; news does not. (Checked after the fields, which reset
        # their own errors when they validate.)
        if self.kind.data == "event" and not self.event_date.errors:
            if not self.event_date.data:
                self.event_date.errors.append(_l("Enter the date of the event, like 2027-03-15"))
                valid = False
            elif self.event_date.data < datetime.date.today():
                self.event_date.errors.append(_l("Enter a date that is not in the past"))
                valid = False
        return valid


# WTForms' own messages for values it cannot read; named here so the catalogues carry them.
WTFORMS_MESSAGES = (_l("Not a valid date value."), _l("Not a valid datetime value."),
                    _l("Not a valid integer value."))
