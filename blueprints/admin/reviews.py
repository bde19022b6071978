"""National staff review what teachers of their country ask for: Quality Labels (L-13),
certificates (L-11); they read and answer project cards (L-12), and may reopen a closed
project (L-10)."""
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from blueprints.admin import bp
from blueprints.live.project_forms import CardMessageForm, ReasonForm
from models import (CertificateRequest, PartnerState, Project, ProjectCardMessage,
                    ProjectPartner, QualityLabelRequest, RequestState, User, db, utcnow)
from services import audit, notify, permissions
from services import projects as projects_service
from web import EmptyForm, go, render, require


def _scoped(query, model):
    country = permissions.country_of_staff_scope(current_user)
    return query.where(model.country == country) if country else query


@bp.route("/reviews")
@require(permissions.can_use_admin)
def reviews():
    """Requests waiting for a decision, and the project cards of my country's projects."""
    labels = _scoped(QualityLabelRequest.select(QualityLabelRequest, Project, User)
                     .join(Project).switch(QualityLabelRequest)
                     .join(User, on=(QualityLabelRequest.requester == User.id))
                     .where(QualityLabelRequest.state == RequestState.PENDING)
                     .order_by(QualityLabelRequest.created_at), QualityLabelRequest)
    certs = _scoped(CertificateRequest.select(CertificateRequest, Project, User)
                    .join(Project).switch(CertificateRequest)
                    .join(User, on=(CertificateRequest.teacher == User.id))
                    .where(CertificateRequest.state == RequestState.PENDING)
                    .order_by(CertificateRequest.created_at), CertificateRequest)
    return render("admin/reviews.html", labels=list(labels.limit(100)),
                  certs=list(certs.limit(100)), cards=_card_projects(),
                  reason_form=ReasonForm(formdata=None))


def _card_projects():
    """Projects with a teacher of my country that have messages on their card, newest first."""
    country = permissions.country_of_staff_scope(current_user)
    query = (Project.select(Project).distinct()
             .join(ProjectCardMessage, on=(ProjectCardMessage.project == Project.id))
             .switch(Project)
             .join(ProjectPartner, JOIN.INNER, on=(ProjectPartner.project == Project.id))
             .join(User, on=(ProjectPartner.user == User.id))
             .where(ProjectPartner.state == PartnerState.ACCEPTED))
    if country:
        query = query.where(User.country == country)
    return list(query.order_by(Project.title).limit(50))


def _decide(model, request_id):
    item = model.get_or_none(model.id == request_id)
    if item is None or not permissions.can_review_for_country(current_user, item.country):
        abort(404)
    return item


@bp.route("/reviews/labels/<int:request_id>/<decision>", methods=["POST"])
@require(permissions.can_use_admin)
def review_label(request_id, decision):
    """Award the Quality Label, or refuse it with reasons."""
    item = _decide(QualityLabelRequest, request_id)
    return _apply(item, decision, "label_decision", f"label:{item.id}", item.requester,
                  item.project, on_accept=_award)


@bp.route("/reviews/certificates/<int:request_id>/<decision>", methods=["POST"])
@require(permissions.can_use_admin)
def review_certificate(request_id, decision):
    """Validate a certificate of participation, or refuse it with reasons."""
    item = _decide(CertificateRequest, request_id)
    return _apply(item, decision, "certificate_decision", f"certificate:{item.id}",
                  item.teacher, item.project)


def _award(item):
    project = item.project
    if project.label_awarded_at is None:
        project.label_awarded_at = utcnow()
        project.save()


def _apply(item, decision, kind, key, teacher, project, on_accept=None):
    here = url_for("admin.reviews")
    if decision not in ("accept", "refuse"):
        abort(404)
    if item.state != RequestState.PENDING:
        return go(here, _("This request was already decided."), "info")
    reason = ""
    if decision == "refuse":
        form = ReasonForm()
        if not form.validate_on_submit():
            return render("admin/reviews_refuse.html", item=item, form=form, kind=kind)
        reason = form.reason.data.strip()
    accepted = decision == "accept"
    with db.atomic():
        item.state = RequestState.ACCEPTED if accepted else RequestState.REFUSED
        item.reason, item.reviewer, item.decided_at = reason, current_user.id, utcnow()
        item.save()
        if accepted and on_accept:
            on_accept(item)
        area = "label" if kind == "label_decision" else "certificate"
        audit.record(current_user, f"{area}.{'approve' if accepted else 'refuse'}",
                     (area, item.id, project.title), detail=reason, country=item.country)
    if kind == "label_decision":
        message = "label_awarded" if accepted else "label_refused"
    else:
        message = "certificate_ready" if accepted else "certificate_refused"
    notify.notify(current_app.config, teacher, kind, key, message,
                  url_for("live.project", project_id=project.id), title=project.title)
    return go(here, _("Decision saved; the teacher is told."))


@bp.route("/projects/<int:project_id>/card", methods=["GET", "POST"])
@require(permissions.can_use_admin)
def project_card(project_id):
    """Read and answer the card of a project that has a teacher of my country."""
    project = Project.get_or_none(Project.id == project_id) or abort(404)
    countries = {u.country for u in project.teachers()}
    scope = permissions.country_of_staff_scope(current_user)
    if scope is not None and scope not in countries:
        abort(404)
    form = CardMessageForm()
    if form.validate_on_submit():
        with db.atomic():
            ProjectCardMessage.create(project=project, author=current_user.id,
                                      body=form.body.data.strip())
            audit.record(current_user, "project.card_message", project,
                         detail=form.body.data)
        return go(url_for("admin.project_card", project_id=project.id),
                  _("Your message is on the project card."))
    card = list(ProjectCardMessage.select(ProjectCardMessage, User)
                .join(User, on=(ProjectCardMessage.author == User.id))
                .where(ProjectCardMessage.project == project)
                .order_by(ProjectCardMessage.created_at))
    return render("admin/project_card.html", project=project, card=card, form=form,
                  teachers=list(project.teachers()),
                  may_reopen=permissions.can_reopen_project(current_user, project))


@bp.route("/projects/<int:project_id>/reopen", methods=["POST"])
@require(permissions.can_use_admin)
def project_reopen(project_id):
    """Reopen a closed project: it runs again and its TwinSpace can be changed again."""
    project = Project.get_or_none(Project.id == project_id) or abort(404)
    if not permissions.can_reopen_project(current_user, project):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with db.atomic():  # the entry commits with the reopening, or neither does
        projects_service.reopen(project)
        audit.record(current_user, "project.reopen", project)
    return go(url_for("admin.project_card", project_id=project.id),
              _("“%(title)s” runs again: its teachers can change its TwinSpace again.",
                title=project.title))
