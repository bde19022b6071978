"""Forms of a space's pages (T-2)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from models import PageEdit, PageView


class PageForm(FlaskForm):
    title = StringField(_l("Title"), filters=[single_line], validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Enter a title of at most 200 characters"))])
    body = TextAreaField(_l("Text"), validators=[
        Length(max=100000, message=_l("Shorten the text to at most 100000 characters"))])
    view_rule = RadioField(_l("Who can read this page"), default=PageView.MEMBERS, choices=[
        (PageView.MEMBERS, _l("Every member of the space")),
        (PageView.TEACHERS, _l("Only the teachers of the space")),
        (PageView.PUBLIC, _l("Anybody: it is public"))],
        validators=[DataRequired(_l("Choose who can read this page"))])
    edit_rule = RadioField(_l("Who can change this page"), default=PageEdit.TEACHERS, choices=[
        (PageEdit.TEACHERS, _l("Only the teachers")),
        (PageEdit.TEACHERS_AND_STUDENTS, _l("Teachers and pupils"))],
        validators=[DataRequired(_l("Choose who can change this page"))])
    # The version the editor started from: a save on top of a newer one is a conflict.
    version = HiddenField()

    def base_version(self):
        value = (self.version.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


class InsertMaterialForm(FlaskForm):
    """"Add to the end of the page" (the no-JavaScript way to insert a material)."""
    material = HiddenField(validators=[DataRequired()])

    def material_id(self):
        value = (self.material.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None
