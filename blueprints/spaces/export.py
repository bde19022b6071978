"""Export (T-17): a teacher downloads the whole space as a static HTML archive that opens
offline. Building it is work, so the download is a POST (with CSRF) from a page that says
what the archive holds; for anybody but the space's teachers the page does not exist. What
a kind of space adds to the archive (a TwinSpace's diary), its word for the file name and
where the export is offered come from the space's parent."""
from flask import g, send_file
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from services import export as export_service
from services import permissions
from web import EmptyForm, render

exporters = space_required(permissions.can_export_space)


@bp.route("/export", methods=["GET", "POST"])
@exporters
def export():
    """Explain the archive; on POST, build it and send it as a .zip download."""
    form = EmptyForm()
    hooks = g.space_parent.hooks
    sections = hooks.export_sections(g.space)
    if form.validate_on_submit():
        archive = export_service.build_archive(g.space, exported_by=current_user,
                                               sections=sections)
        name = export_service.archive_filename(g.space,
                                               fallback=g.space_parent.words["word"])
        response = send_file(archive, mimetype="application/zip", as_attachment=True,
                             download_name=name, max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return render("spaces/export.html", form=form, sections=sections,
                  way_back=hooks.export_back(g.space), status=400 if form.errors else None)
