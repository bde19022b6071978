"""Forms of a group: its request (G-2), its resubmission after staff's question, staff's
decisions (G-3), a featured group (G-6), and the group's own pages: its settings (the same
fields as the request), asking to join, the ice-breaker."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from models import User
from services import permissions
from services.reference import CONTENT_LANGUAGES

MAX_TOPICS = 8
ACCESS = {"open": _l("Open: any teacher joins at once"),
          "invitation": _l("By invitation: teachers ask or are invited")}


def language_choices_now():
    """The languages a group may choose, named in the reader's language."""
    from flask_babel import get_locale

    from services.reference import language_choices
    return language_choices(str(get_locale() or "en"))


def split_topics(text):
    """The topics typed as "rivers, water, science": the distinct words, in order."""
    seen = {}
    for topic in (text or "").split(","):
        topic = " ".join(topic.split())
        if topic and topic.casefold() not in seen:
            seen[topic.casefold()] = topic
    return list(seen.values())


class GroupForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    description = TextAreaField(_l("Description (in English)"), validators=[
        DataRequired(_l("Describe the group in English")),
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])
    objectives = TextAreaField(_l("Objectives (in English)"), validators=[
        DataRequired(_l("Write the group's objectives in English")),
        Length(max=5000, message=_l("Shorten the objectives to at most 5000 characters"))])
    access = RadioField(_l("Who can take part"), choices=list(ACCESS.items()),
                        validate_choice=False)
    languages = SelectMultipleField(_l("Languages of the group"), validate_choice=False)
    topics = StringField(_l("Topics"), filters=[single_line], validators=[
        Length(max=300, message=_l("Shorten the topics to at most 300 characters"))])
    image = FileField(_l("Image (optional)"))
    welcome = TextAreaField(_l("Welcome message"), validators=[
        Length(max=2000, message=_l("Shorten the welcome message to at most 2000 "
                                    "characters"))])

    def __init__(self, *args, language_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = list(language_choices)

    def validate_access(self, field):
        if field.data not in ACCESS:
            raise ValidationError(_l("Choose who can take part"))

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one language"))
        if not set(field.data) <= set(CONTENT_LANGUAGES):
            raise ValidationError(_l("Choose languages from the list"))

    def validate_topics(self, field):
        topics = split_topics(field.data)
        if not topics:
            raise ValidationError(_l("Enter at least one topic, like: rivers, water"))
        if len(topics) > MAX_TOPICS:
            raise ValidationError(_l("Enter at most %(max)d topics", max=MAX_TOPICS))
        if any(len(topic) > 40 for topic in topics):
            raise ValidationError(_l("Keep each topic to at most 40 characters"))

    def fill(self, space, group):
        """Show a group's current values (a form not yet posted)."""
        self.title.data, self.description.data = space.title, space.description
        self.objectives.data, self.topics.data = group.objectives, group.topics
        self.welcome.data = group.welcome
        self.access.data = "open" if group.is_open else "invitation"
        self.languages.data = [gl.code for gl in group.languages]

    def values(self):
        """What services.groups.create takes, from the valid form."""
        return dict(title=self.title.data, description=self.description.data.strip(),
                    objectives=self.objectives.data.strip(),
                    is_open=self.access.data == "open", languages=self.languages.data,
                    topics=", ".join(split_topics(self.topics.data)),
                    welcome=(self.welcome.data or "").strip())


class ResubmitForm(GroupForm):
    answer = TextAreaField(_l("Your answer to central staff"), validators=[
        DataRequired(_l("Write your answer to central staff's question")),
        Length(max=5000, message=_l("Shorten your answer to at most 5000 characters"))])


class FeaturedGroupForm(GroupForm):
    moderators = StringField(_l("Moderators' e-mail addresses"), filters=[single_line],
                             validators=[DataRequired(_l(
                                 "Enter the e-mail address of at least one moderator"))])

    def validate_moderators(self, field):
        addresses = [a.strip() for a in field.data.replace(";", ",").split(",") if a.strip()]
        found = []
        for address in addresses:
            user = User.get_or_none(User.email == address.lower())
            if not permissions.is_active_teacher(user):
                raise ValidationError(_l("%(address)s is not the address of an active "
                                         "teacher", address=address))
            if user not in found:
                found.append(user)
        if not found:
            raise ValidationError(_l("Enter the e-mail address of at least one moderator"))
        self.moderator_users = found


class DecisionForm(FlaskForm):
    """Staff's reason for rejecting, or question to the creator."""
    text = TextAreaField(_l("Text"), validators=[
        Length(max=5000, message=_l("Shorten the text to at most 5000 characters"))])


class GroupSettingsForm(GroupForm):
    """A group's moderators change what its request said, once it is active."""
    remove_logo = BooleanField(_l("Remove the image"))


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
