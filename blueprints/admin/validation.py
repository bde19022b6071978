"""Admin: national staff validate the new teachers of their country (L-15).

The queue lists pending teachers, oldest first; staff validate one, or refuse with a reason
the teacher reads on their profile. Central staff see every country, with a filter."""
from flask import abort, current_app, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import JOIN
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.admin import bp
from models import Role, School, User, UserSubject, Validation, db, utcnow
from services import audit, permissions, search
from services.notify import notify
from services.paging import Page
from services.reference import COUNTRY_CODES, country_choices
from web import go, page_arg, render, require

PER_PAGE = 20


class RefuseForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST; the queue has one form per teacher

    reason = TextAreaField(_l("Reason for refusing"), validators=[
        DataRequired(_l("Enter the reason, so the teacher knows what to correct")),
        Length(max=2000, message=_l("Enter a reason of at most 2000 characters"))])


def _country_filter():
    """The country whose queue to show: the staff member's own, or the one central staff chose."""
    scope = permissions.country_of_staff_scope(current_user)
    if scope is not None:
        return scope
    chosen = request.args.get("country", "")
    return chosen if chosen in COUNTRY_CODES else ""


def _queue_args(country):
    """The query arguments that bring staff back to the same page of the same queue."""
    args = {}
    if country and permissions.country_of_staff_scope(current_user) is None:
        args["country"] = country
    page = page_arg()
    if page > 1:
        args["page"] = page
    return args


def _render_queue(failed=None, failed_id=None):
    country = _country_filter()
    adder = User.alias()  # who added a teacher from outside the platform's countries (T-12)
    waiting = [User.role == Role.TEACHER, User.validation == Validation.PENDING,
               User.disabled == False]  # noqa: E712
    if country:
        waiting.append(User.country == country)
    query = (User.select(User, School, adder.id, adder.name)
             .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
             .switch(User)
             .join(adder, JOIN.LEFT_OUTER, on=(User.added_by == adder.id), attr="adder")
             .where(*waiting)
             .order_by(User.created_at, User.id))
    pagination = Page.of_query(query, page_arg(), per_page=PER_PAGE,
                               count_query=User.select(User.id).where(*waiting))
    subjects = {}
    ids = [t.id for t in pagination.items]
    if ids:
        for row in (UserSubject.select(UserSubject.user, UserSubject.code)
                    .where(UserSubject.user.in_(ids))
                    .order_by(UserSubject.code).tuples()):
            subjects.setdefault(row[0], []).append(row[1])
    forms = {t.id: (failed if t.id == failed_id and failed is not None
                    else RefuseForm(prefix=f"refuse-{t.id}", formdata=None))
             for t in pagination.items}
    is_central = permissions.country_of_staff_scope(current_user) is None
    return render("admin/validation.html", pagination=pagination, subjects=subjects,
                  forms=forms, form=failed, failed_id=failed_id, country=country,
                  is_central=is_central, queue_args=_queue_args(country),
                  countries=country_choices(str(get_locale() or "en")) if is_central else [])


@bp.route("/validation")
@require(permissions.can_use_admin)
def validation():
    """The teachers waiting for validation in my country (central staff: any), oldest first."""
    return _render_queue()


def _teacher_to_decide(user_id):
    """The teacher, or 404 when unknown or outside this staff member's country; None when
    somebody already decided (the caller says so and changes nothing)."""
    teacher = User.get_or_none(User.id == user_id)
    if teacher is None or not permissions.can_validate_teacher(current_user, teacher):
        abort(404)
    if teacher.validation != Validation.PENDING:
        flash(_("%(name)s is not waiting for validation any more: nothing was changed.",
                name=teacher.name), "info")
        return None
    return teacher


def _back():
    return url_for("admin.validation", **_queue_args(_country_filter()))


@bp.route("/validation/<int:user_id>/accept", methods=["POST"])
@require(permissions.can_use_admin)
def validation_accept(user_id):
    """Validate a teacher: they may now found projects and write to others."""
    teacher = _teacher_to_decide(user_id)
    if teacher is None:
        return go(_back())
    with db.atomic():
        teacher.validation = Validation.VALIDATED
        teacher.validated_at = utcnow()
        teacher.validation_note = ""
        teacher.save(only=[User.validation, User.validated_at, User.validation_note])
        audit.record(current_user, "teacher.validate", teacher)
        notify(current_app.config, teacher, "validation", f"validation:{teacher.id}",
               "validation_accepted", link="/live/profile")
    search.index_teacher(teacher)
    return go(_back(), _("%(name)s is validated.", name=teacher.name))


@bp.route("/validation/<int:user_id>/refuse", methods=["POST"])
@require(permissions.can_use_admin)
def validation_refuse(user_id):
    """Refuse a validation with a reason the teacher reads on their profile."""
    teacher = _teacher_to_decide(user_id)
    if teacher is None:
        return go(_back())
    form = RefuseForm(prefix=f"refuse-{teacher.id}")
    if not form.validate():
        return _render_queue(failed=form, failed_id=teacher.id)
    reason = form.reason.data.strip()
    with db.atomic():
        teacher.validation = Validation.REFUSED
        teacher.validation_note = reason
        teacher.save(only=[User.validation, User.validation_note])
        audit.record(current_user, "teacher.refuse", teacher, detail=reason)
        notify(current_app.config, teacher, "validation", f"validation:{teacher.id}",
               "validation_refused", link="/live/profile")
    search.index_teacher(teacher)
    return go(_back(), _("%(name)s was refused. They can see your reason.", name=teacher.name))
