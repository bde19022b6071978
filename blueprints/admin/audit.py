"""The staff audit log (issue 13, 7b): central staff read and filter every staff action —
validations, approvals, deletions, password resets, role changes — newest first. The filters
are a GET form, so a filtered log is a link; htmx refreshes only the results. National staff
and everyone else: 403."""
import datetime

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Length

from blueprints.admin import bp
from extensions import htmx
from services import audit, permissions
from services.paging import Page
from services.reference import country_choices
from web import go, page_arg, render, require

PER_PAGE = 50
FILTERS = ("action", "actor", "country", "date_from", "date_to", "q")


def _date(field):
    """The field's date, or None when empty; a ValidationError next to it otherwise."""
    value = (field.data or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_l("Enter a date like 2026-12-31")) from None


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: reading, linkable

    action = SelectField(_l("Action"), validate_choice=False)
    actor = StringField(_l("Done by (name)"), validators=[
        Length(max=120, message=_l("Enter at most %(max)d characters", max=120))])
    country = SelectField(_l("Country"), validate_choice=False)
    date_from = StringField(_l("From (day)"))
    date_to = StringField(_l("To (day, included)"))
    q = StringField(_l("Target contains"), validators=[
        Length(max=200, message=_l("Enter at most %(max)d characters", max=200))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("All actions"))] + list(audit.ACTION_NAMES.items())
        self.country.choices = ([("", _l("All countries"))]
                                + country_choices(str(get_locale() or "en")))

    def validate_action(self, field):
        if field.data and field.data not in audit.ACTION_NAMES:
            raise ValidationError(_l("Choose an action from the list"))

    def validate_country(self, field):
        if field.data and field.data not in dict(self.country.choices):
            raise ValidationError(_l("Choose a country from the list"))

    def validate_date_from(self, field):
        _date(field)

    def validate_date_to(self, field):
        end = _date(field)
        try:
            start = _date(self.date_from)
        except ValidationError:
            return
        if start and end and end < start:
            raise ValidationError(_l("Enter a day on or after the first day"))


@bp.route("/audit")
@require(permissions.can_read_audit_log)
def audit_log():
    """Every staff action, newest first, filtered by action, person, country, days and
    target."""
    form = AuditFilterForm(formdata=request.args)
    args = {name: request.args.get(name, "").strip() for name in FILTERS
            if request.args.get(name, "").strip()}
    if not form.validate():
        if htmx:  # the results region cannot show an error next to a field: the whole page
            return go(url_for("admin.audit_log", **args))
        return render("admin/audit.html", form=form, pagination=None, args=args,
                      names=audit.ACTION_NAMES, status=400)
    entries = audit.query(action=form.action.data, actor=(form.actor.data or "").strip(),
                          country=form.country.data, date_from=_date(form.date_from),
                          date_to=_date(form.date_to), text=form.q.data)
    pagination = Page.of_query(entries, page_arg(), per_page=PER_PAGE)
    return render("admin/audit.html", partials={"audit-results": "admin/_audit_rows.html"},
                  form=form, pagination=pagination, args=args, names=audit.ACTION_NAMES)
