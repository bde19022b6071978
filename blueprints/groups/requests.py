"""Requesting a group (G-2) and following the request: its page shows the state, the fields,
the history of staff's questions and answers, and — while staff ask for more information —
a form to change the request and send it again. The state machine is services/groups.py."""
from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.groups import bp
from blueprints.groups.forms import language_choices_now, GroupForm, ResubmitForm
from models import Group, GroupLanguage, GroupState, Space, db
from services import group_search, groups, permissions, storage
from services.reference import language_name
from web import go, render, require


def similar_groups(form):
    """Groups like the one being requested (G-1): the panel's context (groups/_similar.html)."""
    title, topics = (form.title.data or "")[:200], (form.topics.data or "")[:300]
    return {"similar_groups": group_search.similar(title, topics),
            "similar_asked": bool(title.strip() or topics.strip())}


def save_image(form):
    """Store the uploaded image like a space's logo (resized); None when nothing was sent.
    Returns False (and puts the message next to the field) when the file is no image."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return storage.save_image(upload, current_app.config["UPLOAD_DIR"],
                                  owner=current_user.id).id
    except storage.UploadError as exc:
        form.image.errors.append(
            storage.NO_SPACE_MESSAGE if exc.reason == "no_space"
            else _("The image must be a JPEG, PNG, GIF or WebP image"))
        return False


def facts(group):
    """What the request says, for its page and staff's page."""
    space = Space.get_by_id(group.space_id)
    return {"space": space, "group": group,
            "languages": [language_name(gl.code, str(get_locale()))
                          for gl in group.languages.order_by(GroupLanguage.code)],
            "state_name": groups.STATE_NAMES[group.state], "history": groups.history(group),
            "action_names": groups.ACTION_NAMES}


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Ask central staff for a new group (validated teachers)."""
    if not current_user.is_authenticated:
        from web import redirect_to_login
        return redirect_to_login()
    if not permissions.can_request_group(current_user):
        return render_template("groups/new_refused.html"), 403
    form = GroupForm(language_choices=language_choices_now())
    if request.method == "GET" and not form.access.data:
        form.access.data = "open"
    if request.method == "POST" and "check" in request.form:
        return render("groups/new.html", form=form, **similar_groups(form))
    if form.validate_on_submit():
        logo_id = save_image(form)
        if logo_id is not False:
            try:
                group = groups.create(current_user, logo_id=logo_id, **form.values())
            except groups.GroupError as error:
                form.title.errors.append(str(error))
            else:
                return go(url_for("groups.request", group_id=group.id),
                          _("Your request is sent: central support staff will look at it."))
    return render("groups/new.html", form=form)


def _own_request(group_id):
    group = Group.get_or_none(Group.id == group_id)
    if not permissions.can_see_group_request(current_user, group):
        abort(404)
    return group


@bp.route("/requests/<int:group_id>", endpoint="request", methods=["GET", "POST"])
@require(permissions.is_logged_in)
def request_page(group_id):
    """A request as its creator follows it; while staff ask for more information, the form
    to change it and answer."""
    group = _own_request(group_id)
    form = None
    status = None
    if group.state == GroupState.NEEDS_INFO or request.method == "POST":
        form = _resubmit_form(group)
    if request.method == "POST":
        if group.creator_id != current_user.id:
            abort(404)
        if form.validate_on_submit():
            logo_id = save_image(form)
            if logo_id is not False:
                try:
                    _resubmit(group, form, logo_id)
                except groups.GroupError as error:
                    form.answer.errors.append(str(error))
                    status = 409
                else:
                    return go(url_for("groups.request", group_id=group.id),
                              _("Your changes and your answer are sent to central support "
                                "staff."))
    return render("groups/request.html", form=form, status=status, **facts(group))


def _resubmit_form(group):
    space = Space.get_by_id(group.space_id)
    form = ResubmitForm(language_choices=language_choices_now())
    if request.method == "GET":
        form.fill(space, group)
    return form


def _resubmit(group, form, logo_id):
    """Save the changed request and send it again, in one step: a refused resubmission
    (the state moved on) changes nothing."""
    with db.atomic():
        groups.act(group, "resubmit", current_user, form.answer.data,
                   settings=current_app.config)
        groups.update(group, form.values(), logo_id)
