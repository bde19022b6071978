"""Materials of a space (T-4 images, T-5 videos, T-6 documents): the overview of albums and
folders with search, a folder's page, a material's page, editing, moving and deleting.
Uploads, video links and describing new images live in material_uploads.py.

Every view runs for members only (space_required) and loads folders and materials with
`.where(X.space == g.space)`: an id of another space answers 404. Images still without alt
text are listed only to their uploader and the space's teachers (services.materials.listed)."""
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import refuse, space_required, teaching_here
from blueprints.spaces.material_forms import (IMAGE_ACCEPT, PUBLIC_DOCUMENT, VIDEO_ACCEPT,
                                              DocumentUploadForm, FolderEditForm, FolderForm,
                                              ImageUploadForm, MaterialForm, VideoLinkForm,
                                              VideoUploadForm)
from extensions import htmx
from models import Folder, Material, MaterialKind, MaterialPerson, User, db
from services import materials as material_service
from services import permissions, storage
from services.paging import Page
from web import EmptyForm, go, page_arg, render

KIND_PLURAL = {MaterialKind.IMAGE: _l("Albums"), MaterialKind.VIDEO: _l("Video folders"),
               MaterialKind.DOCUMENT: _l("Document folders")}
UPLOAD_FORMS = {MaterialKind.IMAGE: ImageUploadForm, MaterialKind.VIDEO: VideoUploadForm,
                MaterialKind.DOCUMENT: DocumentUploadForm}
managers_only = space_required(permissions.can_manage_folders)


def may_add():
    return permissions.can_add_material(current_user, g.space, g.membership)


def may_change(material):
    return permissions.can_change_material(current_user, g.space, g.membership, material)


def may_curate():
    """Publishing, untagging and moving materials: the space's teachers only."""
    return permissions.can_curate_material(current_user, g.space, g.membership)


def without_public_mark(form):
    """A pupil's upload form: nobody but a teacher marks a material public."""
    if not may_curate() and form.is_public is not None:
        del form.is_public
    return form


def limit_mb(kind):
    """The largest file of this kind a member may upload, in MB."""
    limit = storage.max_upload_bytes(current_app.config)
    if kind == MaterialKind.IMAGE:
        limit = min(limit, storage.MAX_IMAGE_BYTES)
    return limit // (1024 * 1024)


def folder_or_404(folder_id, kind=None):
    folder = Folder.get_or_none((Folder.id == folder_id) & (Folder.space == g.space))
    if folder is None or (kind and folder.kind != kind):
        abort(404)
    return folder


def material_or_404(material_id, check=None):
    """A material of this space the current member may see (and `check`), with its file
    and author; else 404."""
    material = (material_service.with_file_and_author(Material.select())
                .where((Material.id == material_id) & (Material.space == g.space)).first())
    if (material is None
            or not permissions.can_see_material(current_user, g.space, g.membership, material)
            or not material_service.is_listed(material, current_user.id, teaching_here())):
        abort(404)
    if check and not check(material):
        refuse(permissions.can_change_material, material)
    return material


@bp.route("/materials")
@space_required()
def materials():
    """Albums, video folders and document folders, with a search across all three (`?q=`);
    htmx asks for the results region only while one types."""
    q = " ".join((request.args.get("q") or "").split())[:100]
    teacher = teaching_here()
    found = material_service.search(g.space, q, current_user.id, teacher) if q else None
    if htmx and htmx.target == "material-results":
        folders, form = {}, None
    else:
        folders = material_service.folder_summaries(g.space, current_user.id, teacher)
        form = FolderForm() if may_add() else None
    return render("spaces/materials/index.html",
                  partials={"material-results": "spaces/materials/_results.html"},
                  q=q, found=found, folders=folders, form=form, kinds=KIND_PLURAL)


@bp.route("/materials/folders/new", methods=["GET", "POST"])
@space_required(permissions.can_add_material)
def folder_new():
    """A new album, video folder or document folder (`?kind=` chooses on the way in)."""
    form = FolderForm()
    if request.method == "GET" and request.args.get("kind") in MaterialKind.ALL:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        folder = Folder.create(space=g.space, kind=form.kind.data, title=form.title.data,
                               description=(form.description.data or "").strip(),
                               created_by=current_user.id)
        message = (_("The album is made: add images to it.") if folder.kind == MaterialKind.IMAGE
                   else _("The folder is made: add to it."))
        return go(url_for(".folder", folder_id=folder.id), message)
    return render("spaces/materials/folder_form.html", form=form, folder=None)


@bp.route("/materials/folders/<int:folder_id>")
@space_required()
def folder(folder_id):
    return folder_page(folder_or_404(folder_id))


FOLDER_PAGE = 48  # materials a page of a folder shows (an album may hold hundreds)


def folder_page(folder, upload_form=None, link_form=None, uploaded=0):
    """A folder's page: its materials and, for those who may add, the forms to add more
    (a form that failed comes back filled in, with its errors; status 422)."""
    teacher = teaching_here()
    items = Page.of_query(material_service.with_file_and_author(Material.select())
                          .where(Material.folder == folder,
                                 material_service.listed(current_user.id, teacher))
                          .order_by(Material.created_at, Material.id),
                          # after an upload: the last page, where the new files are
                          10**6 if uploaded else page_arg(), per_page=FOLDER_PAGE)
    adding = may_add()
    if adding:
        pupils = (material_service.pupils_of(g.space)
                  if folder.kind != MaterialKind.DOCUMENT else [])
        upload_form = without_public_mark(upload_form or UPLOAD_FORMS[folder.kind]())
        if hasattr(upload_form, "people"):
            upload_form.people.choices = pupils
        if folder.kind == MaterialKind.VIDEO:
            link_form = without_public_mark(link_form or VideoLinkForm(prefix="link"))
            link_form.people.choices = pupils
    else:
        upload_form = link_form = None
    return render("spaces/materials/folder.html", folder=folder, items=items,
                  upload_form=upload_form, link_form=link_form, may_add=adding,
                  may_manage=permissions.can_manage_folders(current_user, g.space,
                                                            g.membership),
                  changeable={m.id for m in items if may_change(m)}, uploaded=uploaded,
                  limit_mb=limit_mb(folder.kind), size=material_service.human_size,
                  type_name=material_service.type_name, image_accept=IMAGE_ACCEPT,
                  video_accept=VIDEO_ACCEPT,
                  describe_count=(sum(1 for m in items if m.kind == MaterialKind.IMAGE
                                      and not m.alt_text and m.created_by_id == current_user.id)
                                  if items.pages == 1 else Material.select()
                                  .where(Material.folder == folder,
                                         Material.kind == MaterialKind.IMAGE,
                                         Material.alt_text == "",
                                         Material.created_by == current_user.id,
                                         material_service.listed(current_user.id, teacher))
                                  .count()))


@bp.route("/materials/folders/<int:folder_id>/edit", methods=["GET", "POST"])
@managers_only
def folder_edit(folder_id):
    """Rename a folder or change its description: the space's teachers."""
    folder = folder_or_404(folder_id)
    form = FolderEditForm(obj=folder)
    if form.validate_on_submit():
        folder.title, folder.description = form.title.data, (form.description.data or "").strip()
        folder.save()
        return go(url_for(".folder", folder_id=folder.id), _("The changes are saved."))
    return render("spaces/materials/folder_form.html", form=form, folder=folder)


@bp.route("/materials/folders/<int:folder_id>/delete", methods=["GET", "POST"])
@managers_only
def folder_delete(folder_id):
    """Delete an empty folder, after asking; a folder that still holds materials stays."""
    folder = folder_or_404(folder_id)
    count = Material.select().where(Material.folder == folder).count()
    form = EmptyForm()
    if form.validate_on_submit():
        if count:
            return render("spaces/materials/folder_delete.html", folder=folder, count=count,
                          form=form, status=409)
        folder.delete_instance()
        return go(url_for(".materials"), _("“%(title)s” is deleted.", title=folder.title))
    return render("spaces/materials/folder_delete.html", folder=folder, count=count, form=form)


@bp.route("/materials/<int:material_id>")
@space_required()
def material(material_id):
    """One material: an image large (with the previous and next of its album), a video's
    player, or a document with its download link."""
    material = material_or_404(material_id)
    folder = Folder.get_by_id(material.folder_id)
    shown = [name for (name,) in User.select(User.name)
             .join(MaterialPerson, on=(MaterialPerson.user == User.id))
             .where(MaterialPerson.material == material.id).order_by(User.name).tuples()]
    prev_id = next_id = None
    position = total = 0
    if material.kind == MaterialKind.IMAGE:
        ids = [mid for (mid,) in Material.select(Material.id)
               .where(Material.folder == folder,
                      material_service.listed(current_user.id, teaching_here()))
               .order_by(Material.created_at, Material.id).tuples()]
        if material.id in ids:
            at = ids.index(material.id)
            position, total = at + 1, len(ids)
            prev_id = ids[at - 1] if at > 0 else None
            next_id = ids[at + 1] if at + 1 < len(ids) else None
    return render("spaces/materials/material.html", material=material, folder=folder,
                  shown=shown, prev_id=prev_id, next_id=next_id, position=position,
                  total=total, may_change=may_change(material),
                  size=material_service.human_size, type_name=material_service.type_name)


@bp.route("/materials/<int:material_id>/edit", methods=["GET", "POST"])
@space_required()
def material_edit(material_id):
    """Change a material's words, who is shown, its public mark, or move it to another
    folder of the same kind: the space's teachers. The pupil who added it changes its words
    and may mark more classmates as shown, nothing else (consent is the teachers' to keep)."""
    material = material_or_404(material_id, check=may_change)
    curate = may_curate()
    tagged = [p.user_id for p in MaterialPerson.select(MaterialPerson.user)
              .where(MaterialPerson.material == material.id)]
    form = MaterialForm(data=dict(title=material.title, description=material.description,
                                  alt_text=material.alt_text, is_public=material.is_public,
                                  folder=material.folder_id, people=tagged if curate else []))
    pupils, shown = [], []
    if curate:
        form.folder.choices = [(f.id, f.title) for f in Folder.select(Folder.id, Folder.title)
                               .where(Folder.space == g.space, Folder.kind == material.kind)
                               .order_by(Folder.title)]
    else:
        del form.is_public
        del form.folder
    if material.kind != MaterialKind.IMAGE:
        del form.alt_text
    if material.kind == MaterialKind.DOCUMENT:
        del form.people
        if curate:
            form.is_public.label.text = PUBLIC_DOCUMENT
    else:
        pupils = material_service.pupils_of(g.space)
        # A pupil sees who is already shown; the list offers only the others, to add.
        shown = [name for uid, name in pupils if uid in tagged and not curate]
        form.people.choices = [(uid, name) for uid, name in pupils
                               if curate or uid not in tagged]
    if form.validate_on_submit():
        with db.atomic():
            material.title = form.title.data
            material.description = (form.description.data or "").strip()
            if material.kind == MaterialKind.IMAGE:
                material.alt_text = form.alt_text.data
            if curate:
                material.is_public = form.is_public.data
                material.folder = form.folder.data
            material.save()
            if material.kind != MaterialKind.DOCUMENT:
                wanted = form.people.data if curate else set(form.people.data or ()) | set(tagged)
                material_service.set_people(material, wanted, [uid for uid, _name in pupils])
        return go(url_for(".material", material_id=material.id), _("The changes are saved."))
    return render("spaces/materials/material_form.html", form=form, material=material,
                  shown=shown)


@bp.route("/materials/<int:material_id>/delete", methods=["GET", "POST"])
@space_required()
def material_delete(material_id):
    """Delete a material and its file, after asking."""
    material = material_or_404(material_id, check=may_change)
    form = EmptyForm()
    if form.validate_on_submit():
        folder_id = material.folder_id
        with db.atomic():
            material_service.delete_material(material, current_app.config["UPLOAD_DIR"])
        return go(url_for(".folder", folder_id=folder_id),
                  _("“%(title)s” is deleted.", title=material.title))
    return render("spaces/materials/material_delete.html", material=material, form=form)


from blueprints.spaces import material_uploads  # noqa: E402,F401
