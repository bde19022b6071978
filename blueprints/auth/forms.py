"""Forms for registering, logging in and resetting a password."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (EmailField, PasswordField, SelectField, SelectMultipleField, StringField,
                     ValidationError)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from models import School, User
from services import accounts
from services.reference import AGE_RANGES, COUNTRY_CODES, SUBJECTS

def single_line(value):
    """Fold newlines and other control characters into spaces (names end up in mails)."""
    if not isinstance(value, str):
        return value
    return " ".join("".join(" " if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
                            for ch in value).split())


PASSWORD_MESSAGES = {
    "short": _l("Enter a password of at least 10 characters"),
    "long": _l("Enter a password of at most 128 characters"),
    "email": _l("Choose a password that is not your e-mail address"),
}


def check_new_password(password, email=None):
    problem = accounts.password_problem(password or "", email)
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


class RegisterForm(FlaskForm):
    country = SelectField(_l("Country"), validate_choice=False)
    school = SelectField(_l("School"), validate_choice=False)
    new_school_name = StringField(_l("Name of your school"), filters=[single_line], validators=[
        Length(max=200, message=_l("Enter a school name of at most 200 characters"))])
    new_school_city = StringField(_l("Town or city"), filters=[single_line], validators=[
        Optional(), Length(max=120, message=_l("Enter a town of at most 120 characters"))])
    name = StringField(_l("Full name"), filters=[single_line], validators=[
        DataRequired(_l("Enter your full name")),
        Length(max=120, message=_l("Enter a name of at most 120 characters"))])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address")),
        Length(max=254, message=_l("Enter an e-mail address of at most 254 characters")),
        Email(_l("Enter an e-mail address like name@school.eu"))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter a password"))])
    subjects = SelectMultipleField(_l("Subjects you teach"), validate_choice=False)
    age_ranges = SelectMultipleField(_l("Ages of your pupils"), validate_choice=False)

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose your country"))] + list(country_choices)
        # Subjects in the reader's alphabetical order; age ranges youngest first.
        self.subjects.choices = sorted(((code, str(name)) for code, name in SUBJECTS.items()),
                                       key=lambda choice: choice[1].casefold())
        self.age_ranges.choices = [(code, str(name)) for code, name in AGE_RANGES.items()]
        self.load_schools()

    def load_schools(self):
        """Offer the schools of the chosen country (none until a country is chosen)."""
        country = self.country.data if self.country.data in COUNTRY_CODES else None
        self.schools = list(School.of_country(country)) if country else []
        self.school.choices = ([("", _l("My school is not in the list"))]
                               + [(str(s.id), f"{s.name} — {s.city}" if s.city else s.name)
                                  for s in self.schools])

    def validate_country(self, field):
        if field.data not in COUNTRY_CODES:
            raise ValidationError(_l("Choose your country from the list"))

    def validate_school(self, field):
        if field.data and field.data not in {str(s.id) for s in self.schools}:
            raise ValidationError(_l("Choose a school from the list for your country"))
        if field.data and (self.new_school_name.data or "").strip():
            raise ValidationError(_l("Choose a school from the list or enter a new one, not both"))

    def validate_new_school_name(self, field):
        if not self.school.data and not (field.data or "").strip():
            raise ValidationError(
                _l("Choose your school from the list, or enter its name if it is not there"))

    def validate_email(self, field):
        if User.by_login(field.data):
            raise ValidationError(
                _l("An account with this e-mail address already exists: log in, or reset your "
                   "password if you have forgotten it"))

    def validate_password(self, field):
        check_new_password(field.data, self.email.data)

    def validate_subjects(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one subject you teach"))
        if not set(field.data) <= set(SUBJECTS):
            raise ValidationError(_l("Choose subjects from the list"))

    def validate_age_ranges(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one age range of your pupils"))
        if not set(field.data) <= set(AGE_RANGES):
            raise ValidationError(_l("Choose age ranges from the list"))


class LoginForm(FlaskForm):
    identifier = StringField(_l("E-mail address or username"), validators=[
        DataRequired(_l("Enter your e-mail address or username")),
        Length(max=254, message=_l("Enter an e-mail address or username of at most 254 "
                                   "characters"))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password")),
        Length(max=128, message=_l("Enter a password of at most 128 characters"))])


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address")),
        Length(max=254, message=_l("Enter an e-mail address of at most 254 characters")),
        Email(_l("Enter an e-mail address like name@school.eu"))])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password"))])
    confirm = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")),
        EqualTo("password", _l("Enter the same password twice"))])

    def __init__(self, *args, email=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        check_new_password(field.data, self._email)
