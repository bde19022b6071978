"""Support staff screens: national staff see their country, central staff the platform."""
from flask import abort, request
from flask_login import current_user
from peewee import JOIN

from models import (CertificateRequest, OutboxMail, QualityLabelRequest, RequestState, Role,
                    School, User, Validation)
from blueprints.admin import bp
from blueprints.admin.content import content_types_for
from blueprints.admin import groups
from services import permissions
from services.sanitize import linkify_text
from services.paging import Page
from web import page_arg, render, require

ROLE_FILTERS = Role.ALL


@bp.route("/")
@require(permissions.can_use_admin)
def dashboard():
    """Show the staff member's starting points, with today's figures for their scope."""
    country = permissions.country_of_staff_scope(current_user)
    people = User.select()
    if country:
        people = people.where(User.country == country)
    figures = {
        "teachers": people.where(User.role == Role.TEACHER).count(),
        "unconfirmed": people.where(User.role == Role.TEACHER,
                                    User.email_confirmed_at.is_null()).count(),
        "mails": OutboxMail.select().count() if permissions.can_read_outbox(current_user) else None,
        "waiting": people.where(User.role == Role.TEACHER,
                                User.validation == Validation.PENDING).count(),
        "requests": (_scoped_count(QualityLabelRequest, country)
                     + _scoped_count(CertificateRequest, country)),
        "groups": (groups.pending_count() if permissions.can_review_groups(current_user)
                   else None),
    }
    if permissions.can_watch_groups(current_user):
        from services import group_watch, reports
        figures["flagged_groups"] = group_watch.flagged_count()
        figures["open_reports"] = reports.open_count()
    return render("admin/dashboard.html", figures=figures, country=country,
                  content_types=content_types_for(current_user))


def _scoped_count(model, country):
    query = model.select().where(model.state == RequestState.PENDING)
    return (query.where(model.country == country) if country else query).count()


PEOPLE_COUNTED = 10000  # accounts counted and paged; beyond, "more than" (filter to find)


@bp.route("/people")
@require(permissions.can_list_people)
def people():
    """List accounts in the staff member's scope, newest first, filtered by role."""
    role = request.args.get("role", "")
    chosen = []
    country = permissions.country_of_staff_scope(current_user)
    if country:
        chosen.append(User.country == country)
    if role in ROLE_FILTERS:
        chosen.append(User.role == role)
    else:
        role = ""
    query = (User
             .select(User, School)
             .join(School, join_type=JOIN.LEFT_OUTER, on=(User.school == School.id))
             .order_by(User.created_at.desc(), User.id.desc()))
    counted = User.select(User.id)  # the same rows, without the join
    if chosen:
        query, counted = query.where(*chosen), counted.where(*chosen)
    pagination = Page.of_query(query, page_arg(), per_page=25, count_query=counted,
                               cap=PEOPLE_COUNTED)
    return render("admin/people.html", partials={"people-results": "admin/_people_rows.html"},
                  pagination=pagination, role=role, roles=ROLE_FILTERS, country=country)


@bp.route("/outbox")
@require(permissions.can_read_outbox)
def outbox():
    """List every mail the platform sent, newest first."""
    query = OutboxMail.select().order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
    return render("admin/outbox.html", pagination=Page.of_query(query, page_arg(), per_page=25))


@bp.route("/outbox/<int:mail_id>")
@require(permissions.can_read_outbox)
def outbox_mail(mail_id):
    """Show one mail as its recipient would read it, links clickable."""
    mail = OutboxMail.get_or_none(OutboxMail.id == mail_id) or abort(404)
    return render("admin/outbox_mail.html", mail=mail, body=linkify_text(mail.body))
