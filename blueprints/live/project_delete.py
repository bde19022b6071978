"""Deleting a project with its TwinSpace, its pupils' accounts and everything in it (issue
13, 7a): its founder, or central staff, after a page that says what goes."""
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from blueprints.live import bp
from models import Project
from services import permissions, space_deletion
from web import go, render, require


class DeleteProjectForm(FlaskForm):
    understood = BooleanField(
        _l("I understand that the TwinSpace, everything in it and the accounts of its pupils "
           "are deleted for good"),
        validators=[DataRequired(_l("Tick the box to delete the project, or keep it"))])


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
@require(permissions.is_logged_in)
def project_delete(project_id):
    """Ask to confirm, then delete the project (services/space_deletion.py)."""
    item = Project.get_or_none(Project.id == project_id) or abort(404)
    if not permissions.can_delete_project(current_user, item):
        abort(403 if permissions.is_project_teacher(current_user, item) else 404)
    space = item.space
    pupils = space_deletion.pupils_only_here(space)
    form = DeleteProjectForm()
    if form.validate_on_submit():
        title = item.title
        space_deletion.delete_project(item, current_app.config["UPLOAD_DIR"],
                                      actor=current_user._get_current_object())
        target = url_for("live.projects") if permissions.can_use_live(current_user) \
            else url_for("portal.home")
        return go(target, _("The project “%(title)s” has been deleted.", title=title))
    return render("live/project_delete.html", item=item, form=form, pupils=len(pupils),
                  status=400 if form.errors else None)
