"""Forms of the live room (T-11): a chat message, a poll (teachers), a vote. The WebSocket
checks the same things through services.chat, so both paths refuse alike."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from services import chat

OPTION_FIELDS = [f"option_{n}" for n in range(1, chat.OPTIONS_MAX + 1)]


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"))

    def validate_body(self, field):
        field.data = chat.clean_text(field.data)
        problem = chat.body_problem(field.data, current_app.config.get(
            "CHAT_MAX_CHARS", chat.DEFAULT_MAX_CHARS))
        if problem:
            raise ValidationError(problem)


class PollForm(FlaskForm):
    question = StringField(_l("Question"))
    option_1 = StringField(_l("Option 1"))
    option_2 = StringField(_l("Option 2"))
    option_3 = StringField(_l("Option 3"))
    option_4 = StringField(_l("Option 4"))
    option_5 = StringField(_l("Option 5"))
    option_6 = StringField(_l("Option 6"))

    @property
    def option_fields(self):
        return [self[name] for name in OPTION_FIELDS]

    @property
    def options(self):
        return [field.data or "" for field in self.option_fields]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        problems = chat.poll_problems(self.question.data, self.options)
        if "question" in problems:
            self.question.errors = list(self.question.errors) + [problems["question"]]
        if "options" in problems:
            # Next to the option to fix: a too long one, else the first empty one.
            texts = [chat.clean_text(f.data) for f in self.option_fields]
            target = next((f for f, t in zip(self.option_fields, texts)
                           if len(t) > chat.OPTION_MAX), None)
            target = target or next((f for f, t in zip(self.option_fields, texts) if not t),
                                    self.option_1)
            target.errors = list(target.errors) + [problems["options"]]
        return ok and not problems


class VoteForm(FlaskForm):
    option = IntegerField(_l("Option"), validators=[InputRequired()])
