"""Forms of the profile in a space (T-13): my picture and short description, and a message
for somebody's guestbook."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.richtext_forms import RichText

ABOUT_MAX = 500
GUESTBOOK_MAX = 1000


class SpaceProfileForm(FlaskForm):
    picture = FileField(_l("Picture (optional)"))
    remove_picture = BooleanField(_l("Remove my picture"))
    about = TextAreaField(_l("About me"), validators=[
        RichText(ABOUT_MAX, _l("Write at most 500 characters about yourself"))])


class GuestbookForm(FlaskForm):
    body = TextAreaField(_l("Leave a message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=GUESTBOOK_MAX, message=_l("Write a message of at most 1,000 characters"))])
