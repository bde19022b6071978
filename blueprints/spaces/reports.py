"""Netiquette reports of a space (G-8), the same for every kind of space: the "Report" form
for a forum message, a page, a material or a chat line (members only, not one's own, not
twice while the first is open, never in a closed space), and the page where those who run
the space read the reports and hide the content or dismiss the report.

Everything is looked up through g.space: content or a report of another space is 404."""
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.spaces import bp
from blueprints.spaces.access import refuse, space_required
from models import Report, ReportState
from services import i18n, permissions
from services import reports as report_service
from web import EmptyForm, cached, go, render

COUNT_SECONDS = 60  # the navigation's count of open reports may lag this much (other processes)


def open_count(space):
    """The space's open reports, for its navigation: kept a minute per process (every page
    of the space shows it), forgotten at once when this process records or handles one."""
    return cached(_count_key(space.id), COUNT_SECONDS,
                  lambda: report_service.open_count(space))


def report_link(kind, target_id, author_id, about):
    """The "Report" link of a piece of content for templates (a list of 50 messages shows 50):
    for members of the space who did not write it, while the space is open; else ""."""
    if not may_report(author_id):
        return Markup("")
    return Markup('<a class="report-link" href="{}">{}<span class="visually-hidden"> {}</span>'
                  '</a>').format(url_for(".report_new", kind=kind, target_id=target_id),
                                 i18n.gettext("Report"), about)


def may_report(author_id):
    """May the reader report what `author_id` wrote here? The rule is checked once per
    request."""
    allowed = g.get("may_report")
    if allowed is None:
        allowed = g.may_report = bool(
            current_user.is_authenticated and getattr(g, "space", None) is not None
            and permissions.can_report_in_space(current_user, g.space, g.membership))
    return allowed and author_id != current_user.id


def _count_key(space_id):
    return f"open_reports:{space_id}"


def _forget_count(space_id):
    current_app.extensions.get("opentwin_cache", {}).pop(_count_key(space_id), None)


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with it?"), validators=[
        DataRequired(_l("Say what is wrong with it")),
        Length(min=report_service.REASON_MIN, max=report_service.REASON_MAX,
               message=_l("Write between %(min)d and %(max)d characters",
                          min=report_service.REASON_MIN, max=report_service.REASON_MAX))])


def _content_url(kind, row):
    endpoint, values, anchor = report_service.TARGETS[kind].link(row)
    values = {k: v for k, v in values.items() if v is not None}
    return url_for("." + endpoint, **values) + (f"#{anchor}" if anchor else "")


@bp.route("/reports/new/<kind>/<int:target_id>", methods=["GET", "POST"])
@space_required(permissions.can_report_in_space)
def report_new(kind, target_id):
    """Report something of the space to those who run it."""
    row = report_service.find(kind, g.space, target_id, current_user, g.membership)
    if row is None:
        abort(404)
    target = report_service.TARGETS[kind]
    back = _content_url(kind, row)
    problem = status = None
    if report_service.is_own(kind, row, current_user):
        problem, status = _("You cannot report what you wrote yourself."), 403
    elif report_service.already_open(kind, row, current_user):
        problem, status = _("You already reported this: the moderators have not decided "
                            "yet."), 409
    form = ReportForm()
    if problem is None and form.validate_on_submit():
        try:
            report_service.create(g.space, current_user, kind, row, form.reason.data)
        except report_service.ReportError as error:
            problem, status = str(error), 409
        else:
            _forget_count(g.space.id)
            return go(back, _("Thank you: the moderators of the space will read your report."))
    return render("spaces/report_new.html", form=form, kind_name=target.label,
                  title=target.title(row), excerpt=report_service.plain_text(
                      target.text(row) or "", report_service.EXCERPT),
                  back=back, problem=problem, status=status)


@bp.route("/reports")
@space_required(permissions.can_handle_space_reports)
def reports():
    """The space's reports: open ones first, then those already handled."""
    state = request.args.get("state")
    state = state if state in ReportState.ALL else None
    items = report_service.of_space(g.space, state)
    return render("spaces/reports.html", items=items, links=report_service.links(items),
                  state=state,
                  kinds=report_service.KIND_NAMES, states=report_service.STATE_NAMES,
                  may_act=permissions.space_is_writable(g.space), form=EmptyForm())


@bp.route("/reports/<int:report_id>/<decision>", methods=["POST"])
@space_required(permissions.can_handle_space_reports)
def report_handle(report_id, decision):
    """Hide the reported content (it stays, for the record) or dismiss the report."""
    report = Report.get_or_none((Report.id == report_id) & (Report.space == g.space)) \
        or abort(404)
    if decision not in ("hide", "dismiss"):
        abort(404)
    if not permissions.space_is_writable(g.space):
        refuse(permissions.can_handle_space_reports)
        abort(403)
    try:
        report_service.handle(report, decision, current_user, current_app.config)
    except report_service.ReportError as error:
        return go(url_for(".reports"), str(error), "error")
    _forget_count(g.space.id)
    return go(url_for(".reports"), _("The content is hidden; the reporter is told.")
              if decision == "hide" else _("The report is dismissed; the reporter is told."))
