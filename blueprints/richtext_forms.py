"""Rich-text fields of forms (issue 14): the texts the visual editor writes (mail, partner-forum
posts, profile texts). The browser sends HTML from the editor, or plain text typed with
JavaScript off; services/sanitize.text_or_html turns either into what is stored. A limit
counts what a reader sees (the cleaned text's plain_text), never the markup, and a required
text must still say something once cleaned ("<p></p>" or "<p><br></p>" says nothing)."""
from wtforms.validators import StopValidation, ValidationError

from services.sanitize import has_text, plain_text, text_or_html

# Markup may be much longer than its text (links, tables), but a request is bounded anyway:
# beyond this many characters per character of the limit, refused without cleaning.
MARKUP_FACTOR = 20


class RichText:
    """Validator of a rich-text field: at most `max_chars` visible characters (`too_long`
    otherwise) and, with `empty`, some visible text (`empty` otherwise)."""

    def __init__(self, max_chars=None, too_long=None, empty=None):
        self.max_chars, self.too_long, self.empty = max_chars, too_long, empty

    def __call__(self, form, field):
        value = field.data or ""
        if self.max_chars and len(value) > self.max_chars * MARKUP_FACTOR:
            raise StopValidation(self.too_long)
        cleaned = text_or_html(value)
        if self.empty and not has_text(cleaned):
            raise StopValidation(self.empty)
        if self.max_chars and len(plain_text(cleaned)) > self.max_chars:
            raise ValidationError(self.too_long)
