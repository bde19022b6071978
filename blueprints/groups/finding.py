"""Searching active groups, shared by Groups in Live (L-8) and the portal's public
directory (P-5): one GET form (keyword, language, page), one results region for htmx."""
from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional

from services import group_search
from services.reference import language_choices

PER_PAGE = 10


class GroupSearchForm(FlaskForm):
    """A GET form: no CSRF token (it changes nothing); wrong values answer 422."""

    class Meta:
        csrf = False

    q = SearchField(_l("Keywords"), validators=[
        Length(max=200, message=_l("Enter at most 200 characters"))])
    language = SelectField(_l("Language of the group"), validate_choice=False)
    page = IntegerField(validators=[
        Optional(), NumberRange(min=1, max=999999, message=_l("Choose a page from the list"))])

    def validate_language(self, field):
        if field.data and field.data not in group_search.LANGUAGE_BITS:
            from wtforms.validators import ValidationError
            raise ValidationError(_l("Choose a language from the list"))


def search_form():
    form = GroupSearchForm(request.args)
    form.language.choices = ([("", _l("Any language"))]
                             + language_choices(str(get_locale())))
    if form.page.raw_data and form.page.raw_data[0] == "":
        form.page.raw_data = []
    return form


def run_search():
    """(form, results Page or None, cards, status) for the request's query arguments."""
    form = search_form()
    valid = form.validate()
    if form.page.errors:
        form.page.errors = [str(_l("Choose a page from the list"))]
    if not valid:
        # Keep what was typed; nothing is searched with a value that is not understood.
        return form, None, {}, 422
    results = group_search.search_groups(form.q.data or "", form.language.data or None,
                                         form.page.data or 1, PER_PAGE)
    return form, results, group_search.cards(results.items), 200
