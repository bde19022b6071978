"""Forms of the partner-finding forums (L-7): a partner search and a reply."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms import ValidationError
from wtforms.validators import DataRequired, Length, Optional

from blueprints.auth.forms import single_line
from blueprints.richtext_forms import RichText
from services.reference import AGE_RANGES, CONTENT_LANGUAGES, SUBJECTS

BODY_MAX = 5000  # characters of text (the markup of the rich text is not counted)
MAX_LANGUAGES = 10  # the codes are stored together in 100 characters


class PartnerSearchForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title, like “Pen pals for a class of 13-year-olds”")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    body = TextAreaField(_l("What you propose"), validators=[
        DataRequired(_l("Say what you propose: the project idea, your class, what you "
                        "look for in a partner")),
        RichText(BODY_MAX, _l("Shorten what you propose to at most 5000 characters"),
                 empty=_l("Say what you propose: the project idea, your class, what you "
                          "look for in a partner"))])
    subject = SelectField(_l("Subject (optional)"), validate_choice=False)
    age_range = SelectField(_l("Ages of the pupils"), validate_choice=False)
    languages = SelectMultipleField(_l("Languages of the project"), validate_choice=False)
    starts_on = DateField(_l("From (optional)"), validators=[Optional()])
    ends_on = DateField(_l("Until (optional)"), validators=[Optional()])

    def __init__(self, *args, language_choices=(), fixed_age=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject.choices = [("", _l("No particular subject"))] + sorted(
            ((c, str(n)) for c, n in SUBJECTS.items()), key=lambda p: p[1].casefold())
        self.languages.choices = list(language_choices)
        if fixed_age:
            # An age forum: the pupils' ages are the forum's; nothing to choose.
            del self.age_range
        else:
            self.age_range.choices = [("", _l("Choose an age range"))] + [
                (c, str(n)) for c, n in AGE_RANGES.items()]

    def validate_subject(self, field):
        if field.data and field.data not in SUBJECTS:
            raise ValidationError(_l("Choose a subject from the list"))

    def validate_age_range(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the ages of your pupils"))
        if field.data not in AGE_RANGES:
            raise ValidationError(_l("Choose an age range from the list"))

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one language"))
        if not set(field.data) <= set(CONTENT_LANGUAGES):
            raise ValidationError(_l("Choose languages from the list"))
        if len(set(field.data)) > MAX_LANGUAGES:
            raise ValidationError(_l("Choose at most 10 languages"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Enter an end date after the start date"))


class ForumReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Write your reply")),
        RichText(BODY_MAX, _l("Shorten your reply to at most 5000 characters"),
                 empty=_l("Write your reply"))])
