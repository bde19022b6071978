"""The form of a pupil's consent (T-16)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from models import ConsentScope


class ConsentForm(FlaskForm):
    photo = BooleanField(_l("Photos"))
    video = BooleanField(_l("Video"))
    voice = BooleanField(_l("Voice recordings"))
    real_name = BooleanField(_l("Real name"))
    scope = RadioField(_l("Where it may be shown"), default=ConsentScope.PRIVATE, choices=[
        (ConsentScope.PRIVATE, _l("Inside the space only")),
        (ConsentScope.PUBLIC, _l("Also in the public view"))],
        validators=[DataRequired(_l("Choose where it may be shown"))])
    until = DateField(_l("Valid until (optional)"), validators=[Optional()])
    note = TextAreaField(_l("Note (optional)"), validators=[
        Length(max=300, message=_l("Shorten the note to at most 300 characters"))])

    KINDS = ("photo", "video", "voice", "real_name")

    def validate_until(self, field):
        # DateField leaves a typed but unreadable date as None with its own English error:
        # replace it with one that says how to fix it.
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            field.errors[:] = []
            raise StopValidation(_l("Enter a date like 2027-06-30, or leave it empty"))
