"""My projects (L-9, L-10), the project card (L-12), certificates (L-11), Quality Label (L-13)."""
from flask import abort, current_app, make_response, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from peewee import IntegrityError

from blueprints.errors import error_page
from blueprints.live import bp
from blueprints.live.project_forms import (CardMessageForm, CloseForm, InviteForm,
                                           ProjectForm, ReportForm)
from models import (CertificateRequest, Contact, ContactState, PartnerState, Project,
                    ProjectAgeRange, ProjectCardMessage, ProjectLanguage, ProjectPartner,
                    ProjectState, ProjectSubject, QualityLabelRequest, RequestState, Role,
                    Space, SpaceKind, SpaceRole, User, db, utcnow)
from services import certificates, notify, permissions, search, spaces
from services import projects as projects_service
from services.reference import country_name, language_choices
from web import external_url, go, render, require


def load_project(project_id):
    return Project.get_or_none(Project.id == project_id) or abort(404)


def membership(project, user):
    return ProjectPartner.get_or_none((ProjectPartner.project == project)
                                      & (ProjectPartner.user == user.id))


def teacher_of(project_id):
    """The project, if the current user is one of its (accepted) teachers; else 404."""
    project = load_project(project_id)
    if not permissions.is_project_teacher(current_user, project):
        abort(404)
    return project


def admin_of(project_id):
    """The project, if the current user runs it and it is still open; else 404/403."""
    project = teacher_of(project_id)
    if not permissions.can_manage_project(current_user, project):
        abort(403)
    return project


def _notify(user, kind, key, message, link, **params):
    notify.notify(current_app.config, user, kind, key, message, link, **params)


@bp.route("/projects/")
@require(permissions.can_use_live)
def projects():
    """Projects I founded or joined, and invitations waiting for my answer."""
    rows = (ProjectPartner
            .select(ProjectPartner, Project)
            .join(Project)
            .where(ProjectPartner.user == current_user.id,
                   ProjectPartner.state.in_([PartnerState.ACCEPTED, PartnerState.INVITED]))
            .order_by(Project.state, Project.created_at.desc()))
    mine = [r.project for r in rows if r.state == PartnerState.ACCEPTED]
    invitations = [r.project for r in rows if r.state == PartnerState.INVITED]
    return render("live/projects.html", mine=mine, invitations=invitations,
                  can_found=permissions.can_found_projects(current_user))


def _project_form(obj=None):
    return ProjectForm(obj=obj, language_choices=language_choices(str(get_locale())))


def _save_codes(project, form):
    for model, codes in ((ProjectSubject, form.subjects.data),
                         (ProjectAgeRange, form.age_ranges.data),
                         (ProjectLanguage, form.languages.data)):
        model.delete().where(model.project == project).execute()
        model.insert_many([(project.id, code) for code in sorted(set(codes))],
                          fields=[model.project, model.code]).execute()


@bp.route("/projects/new", methods=["GET", "POST"])
@require(permissions.can_use_live)
def project_new():
    """Register a project: its founder becomes its teacher admin; a TwinSpace is made."""
    if not permissions.can_found_projects(current_user):
        return error_page(403, _("Your account is waiting for validation"),
                          _("National support staff of your country check every new "
                            "teacher. Once they have, you can register projects."))
    form = _project_form()
    if form.validate_on_submit():
        with db.atomic():
            project = Project.create(founder=current_user.id, title=form.title.data,
                                     description=form.description.data.strip(),
                                     starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                     is_public=form.is_public.data)
            _save_codes(project, form)
            ProjectPartner.create(project=project, user=current_user.id,
                                  state=PartnerState.ACCEPTED)
            space = Space.create(kind=SpaceKind.TWINSPACE, project=project,
                                 title=project.title, description=project.description)
            spaces.join(space, current_user.id, SpaceRole.ADMIN)
        search.index_project(project)
        return go(url_for("live.project", project_id=project.id),
                  _("Your project is registered. Now invite your partners."))
    return render("live/project_form.html", form=form, project=None)


@bp.route("/projects/<int:project_id>")
@require(permissions.can_use_live)
def project(project_id):
    """The project's desk: partners, invitations, the project card, label and certificate."""
    item = load_project(project_id)
    mine = membership(item, current_user)
    if mine is None or mine.state == PartnerState.DECLINED:
        abort(404)
    if mine.state in (PartnerState.INVITED, PartnerState.WITHDRAWN):
        return render("live/project_invitation.html", item=item,
                      withdrawn=mine.state == PartnerState.WITHDRAWN)
    return _render_desk(item)


def _render_desk(item, invite_form=None):
    """The desk of a project I teach in; a failed invitation form comes back with its errors."""
    partners = list(ProjectPartner.select(ProjectPartner, User).join(User)
                    .where(ProjectPartner.project == item,
                           ProjectPartner.state != PartnerState.DECLINED)
                    .order_by(ProjectPartner.created_at))
    invite_form = invite_form or InviteForm(formdata=None,
                                            contact_choices=_contact_choices(item))
    card = list(ProjectCardMessage.select(ProjectCardMessage, User)
                .join(User, on=(ProjectCardMessage.author == User.id))
                .where(ProjectCardMessage.project == item)
                .order_by(ProjectCardMessage.created_at))
    label = QualityLabelRequest.get_or_none((QualityLabelRequest.project == item)
                                            & (QualityLabelRequest.requester == current_user.id))
    cert = CertificateRequest.get_or_none((CertificateRequest.project == item)
                                          & (CertificateRequest.teacher == current_user.id))
    return render("live/project.html", item=item, partners=partners,
                  is_admin=permissions.is_project_admin(current_user, item),
                  invite_form=invite_form,
                  card=card, card_form=CardMessageForm(formdata=None),
                  report_form=ReportForm(formdata=None), label=label, cert=cert)


def _contact_choices(project):
    """My accepted contacts who are not yet in the project."""
    already = {p.user_id for p in ProjectPartner.select(ProjectPartner.user)
               .where(ProjectPartner.project == project,
                      ProjectPartner.state.in_([PartnerState.ACCEPTED, PartnerState.INVITED]))}
    rows = (Contact.select()
            .where(((Contact.requester == current_user.id) | (Contact.addressee == current_user.id))
                   & (Contact.state == ContactState.ACCEPTED)))
    ids = {r.addressee_id if r.requester_id == current_user.id else r.requester_id
           for r in rows} - already
    people = User.teachers().where(User.id.in_(list(ids))).order_by(User.name) if ids else []
    return [(str(u.id), u.name) for u in people]


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@require(permissions.can_use_live)
def project_edit(project_id):
    """Change the project's details (its admin, while it runs)."""
    item = admin_of(project_id)
    form = _project_form(item)
    if request.method == "GET":
        form.subjects.data, form.age_ranges.data = item.subject_codes, item.age_range_codes
        form.languages.data = item.language_codes
    if form.validate_on_submit():
        with db.atomic():
            for name in ("title", "starts_on", "ends_on", "is_public"):
                setattr(item, name, getattr(form, name).data)
            item.description = form.description.data.strip()
            item.save()
            _save_codes(item, form)
        search.index_project(item)
        return go(url_for("live.project", project_id=item.id), _("The project is saved."))
    return render("live/project_form.html", form=form, project=item)


@bp.route("/projects/<int:project_id>/invite", methods=["POST"])
@require(permissions.can_use_live)
def project_invite(project_id):
    """Invite a partner teacher, from my contacts or by their e-mail address."""
    item = admin_of(project_id)
    form = InviteForm(contact_choices=_contact_choices(item))
    if not form.validate_on_submit():
        return _render_desk(item, invite_form=form)
    if form.contact.data:
        person = User.get_or_none(User.id == int(form.contact.data))
    else:
        person = User.by_login(form.email.data)
    if not _invitable(person):
        form.email.errors.append(_("There is no validated teacher with this e-mail address "
                                   "on OpenTwin"))
        return _render_desk(item, invite_form=form)
    return _invite(item, person)


def _invitable(person):
    return (person is not None and person.role == Role.TEACHER and not person.disabled
            and person.is_validated)


def _invite(item, person):
    """Invite a teacher to a project I run (twice changes nothing) and tell them."""
    here = url_for("live.project", project_id=item.id)
    existing = membership(item, person)
    if existing is not None and existing.state not in (PartnerState.DECLINED,
                                                       PartnerState.WITHDRAWN):
        return go(here, _("%(name)s is already in the project or invited.", name=person.name),
                  "info")
    with db.atomic():
        if existing:
            existing.state = PartnerState.INVITED
            existing.save()
        else:
            ProjectPartner.create(project=item, user=person, state=PartnerState.INVITED)
    _notify(person, "project_invitation", f"project:{item.id}", "project_invitation",
            url_for("live.project", project_id=item.id),
            name=current_user.name, title=item.title)
    return go(here, _("Invitation sent to %(name)s.", name=person.name))


def projects_to_invite_to(user, person):
    """My running projects that `person` could be invited to (for their profile page)."""
    if not permissions.can_found_projects(user) or not _invitable(person):
        return []
    already = (ProjectPartner.select(ProjectPartner.project)
               .where(ProjectPartner.user == person.id,
                      ProjectPartner.state.in_([PartnerState.ACCEPTED, PartnerState.INVITED])))
    return list(Project.select(Project.id, Project.title)
                .where(Project.founder == user.id, Project.state == ProjectState.ACTIVE,
                       Project.id.not_in(already))
                .order_by(Project.title))


@bp.route("/people/<int:user_id>/invite", methods=["POST"])
@require(permissions.can_use_live)
def project_invite_person(user_id):
    """Invite the teacher whose profile I am looking at to one of my projects."""
    person = User.get_or_none(User.id == user_id)
    if not _invitable(person):
        abort(404)
    project_id = request.form.get("project", "")
    if not project_id.isdigit():
        return go(url_for("portal.teacher", user_id=user_id),
                  _("Choose one of your projects."), "error")
    return _invite(admin_of(int(project_id)), person)


@bp.route("/projects/<int:project_id>/invitation/<answer>", methods=["POST"])
@require(permissions.can_use_live)
def project_answer(project_id, answer):
    """Accept or decline an invitation to a project."""
    item = load_project(project_id)
    mine = membership(item, current_user)
    if mine is not None and mine.state == PartnerState.WITHDRAWN and answer in ("accept",
                                                                                 "decline"):
        return go(url_for("live.projects"),
                  _("This invitation was withdrawn: the project was closed."), "info")
    if mine is None or mine.state != PartnerState.INVITED or answer not in ("accept", "decline"):
        abort(404)
    if item.is_closed and answer == "accept":
        # Joining a finished project would open its label and certificates to a newcomer.
        mine.delete_instance()
        return go(url_for("live.projects"),
                  _("This project has ended: the invitation no longer holds."), "info")
    mine.state = PartnerState.ACCEPTED if answer == "accept" else PartnerState.DECLINED
    mine.save()
    if mine.state == PartnerState.ACCEPTED:
        spaces.join(item.space, current_user.id, SpaceRole.TEACHER)
    search.index_project(item)
    accepted = answer == "accept"
    _notify(item.founder, "project_answer", f"project:{item.id}",
            "project_joined" if accepted else "project_declined",
            url_for("live.project", project_id=item.id),
            name=current_user.name, title=item.title)
    if accepted:
        return go(url_for("live.project", project_id=item.id),
                  _("Welcome to the project “%(title)s”.", title=item.title))
    return go(url_for("live.projects"), _("You declined the invitation."))


@bp.route("/projects/<int:project_id>/partners/<int:user_id>/remove", methods=["POST"])
@require(permissions.can_use_live)
def project_remove_partner(project_id, user_id):
    """Take a partner (or an invitation) out of the project; the founder stays."""
    item = admin_of(project_id)
    if user_id == item.founder_id:
        abort(400)
    row = ProjectPartner.get_or_none((ProjectPartner.project == item)
                                     & (ProjectPartner.user == user_id)) or abort(404)
    name = row.user.name
    row.delete_instance()
    spaces.leave(item.space, user_id)
    search.index_project(item)
    return go(url_for("live.project", project_id=item.id),
              _("%(name)s is no longer in the project.", name=name))


@bp.route("/projects/<int:project_id>/close", methods=["GET", "POST"])
@require(permissions.can_use_live)
def project_close(project_id):
    """Ask to confirm, then close the project: it and its TwinSpace are read-only from then
    on, and invitations nobody answered are withdrawn. Before the planned end date the box
    "close it before its end date" must be ticked too."""
    item = admin_of(project_id)
    form = CloseForm()
    today = utcnow().date()
    early = item.ends_on is not None and item.ends_on > today
    if form.validate_on_submit():
        if early and not form.confirm_early.data:
            form.confirm_early.errors = [_(
                "Tick the box to close the project before its end date, or keep it running")]
        else:
            projects_service.close(item)
            return go(url_for("live.project", project_id=item.id),
                      _("The project is closed. You can now ask for the Quality Label and "
                        "your certificate."))
    return render("live/project_close.html", item=item, form=form, early=early)



@bp.route("/projects/<int:project_id>/card", methods=["POST"])
@require(permissions.can_use_live)
def project_card_post(project_id):
    """Write on the project card, which the national staff of each partner country read (and
    answer there): also once the project is closed, as they do."""
    item = teacher_of(project_id)
    form = CardMessageForm()
    if not form.validate_on_submit():
        return go(url_for("live.project", project_id=item.id) + "#card",
                  form.body.errors[0], "error")
    ProjectCardMessage.create(project=item, author=current_user.id, body=form.body.data.strip())
    return go(url_for("live.project", project_id=item.id) + "#card",
              _("Your message is on the project card."))


@bp.route("/projects/<int:project_id>/label", methods=["POST"])
@require(permissions.can_use_live)
def project_label_request(project_id):
    """Ask for the Quality Label of a closed project, with a short report."""
    item = teacher_of(project_id)
    here = url_for("live.project", project_id=item.id) + "#label"
    if not item.is_closed:
        return go(here, _("Close the project first: the Quality Label is for finished "
                          "projects."), "error")
    form = ReportForm()
    if not form.validate_on_submit():
        return go(here, form.report.errors[0], "error")
    try:
        QualityLabelRequest.create(project=item, requester=current_user.id,
                                   country=current_user.country, report=form.report.data)
    except IntegrityError:
        return go(here, _("You have already asked for the Quality Label of this project."),
                  "info")
    return go(here, _("Your request is sent to the national support service of %(country)s.",
                      country=country_name(current_user.country, str(get_locale()))))


@bp.route("/projects/<int:project_id>/certificate", methods=["POST"])
@require(permissions.can_use_live)
def project_certificate_request(project_id):
    """Ask for a certificate of participation in a closed project."""
    item = teacher_of(project_id)
    here = url_for("live.project", project_id=item.id) + "#certificate"
    if not item.is_closed:
        return go(here, _("Certificates are for finished projects: close the project first."),
                  "error")
    try:
        CertificateRequest.create(project=item, teacher=current_user.id,
                                  country=current_user.country, code=certificates.new_code())
    except IntegrityError:
        return go(here, _("You have already asked for this certificate."), "info")
    return go(here, _("Your request is sent to your national support service."))


@bp.route("/certificates/<int:certificate_id>.pdf")
@require(permissions.can_use_live)
def certificate_pdf(certificate_id):
    """Download my certificate once national staff validated it (404 to anybody else)."""
    cert = CertificateRequest.get_or_none(CertificateRequest.id == certificate_id)
    if (cert is None or cert.teacher_id != current_user.id
            or cert.state != RequestState.ACCEPTED):
        abort(404)
    pdf = certificates.certificate_pdf(
        cert, external_url("portal.verify_certificate", code=cert.code))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.project_id}-{cert.code}.pdf"')
    return response

