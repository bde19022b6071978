"""Adding materials to a folder (T-4..T-6): uploading images, documents and video files
(one or many per request; static/js/uploader.js sends one per request and gets JSON), linking
a YouTube or Vimeo video, and describing new images (alt text is required before others see
them).

A file that cannot be stored (empty, too large, not what it claims to be) is named in an
error next to the file field; the other files of the batch are still stored."""
from flask import current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from blueprints.spaces.material_forms import VideoLinkForm, describe_form
from blueprints.spaces.materials import (UPLOAD_FORMS, folder_or_404, folder_page, limit_mb,
                                         without_public_mark)
from models import Material, MaterialKind, StoredFile, db
from services import materials as material_service
from services import permissions, storage
from services.materials import parse_video_url
from web import go, render

adders_only = space_required(permissions.can_add_material)


def wants_json():
    """static/js/uploader.js sends X-Requested-With (and asks for JSON)."""
    return (request.headers.get("X-Requested-With") == "XMLHttpRequest"
            or request.accept_mimetypes.best_match(["text/html", "application/json"])
            == "application/json")


def shown_name(upload):
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or _("the file")
    return name if len(name) <= 60 else name[:57] + "…"


def upload_message(reason, name, kind):
    if reason == "empty":
        return _("“%(name)s” is empty: choose a file with something in it.", name=name)
    if reason == "too_large":
        return _("“%(name)s” is larger than %(mb)d MB: choose a smaller file.", name=name,
                 mb=limit_mb(kind))
    if reason == "not_image":
        return _("“%(name)s” is not an image we can read: choose a JPEG, PNG, GIF or WebP "
                 "file.", name=name)
    if reason == "no_space":
        return _("“%(name)s”: %(message)s", name=name, message=storage.NO_SPACE_MESSAGE)
    if reason == "not_video":
        return _("“%(name)s” is not a video we can play: choose an MP4, WebM, Ogg or MOV "
                 "file.", name=name)
    return _("“%(name)s” cannot be shared here: choose a PDF, an office document, a text, "
             "an audio or a zip file. Web pages, SVG images and programs are not allowed.",
             name=name)


def _size(upload):
    stream = upload.stream
    try:
        here = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(here)
    except (AttributeError, OSError):
        return None
    return size


def store_one(folder, form, upload, single):
    """Store one uploaded file as a material of `folder`; raise storage.UploadError."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    limit = storage.max_upload_bytes(current_app.config)
    if folder.kind == MaterialKind.IMAGE:
        size = _size(upload)
        if size is not None and size > min(limit, storage.MAX_IMAGE_BYTES):
            raise storage.UploadError("too_large")
        stored = storage.save_image(upload, upload_dir, owner=current_user.id)
    elif folder.kind == MaterialKind.VIDEO:
        stored = storage.save_video(upload, upload_dir, limit, owner=current_user.id)
    else:
        stored = storage.save_document(upload, upload_dir, limit, owner=current_user.id)
    chosen_title = getattr(form, "title", None) and form.title.data
    title = (chosen_title if chosen_title and single
             else material_service.title_from_filename(stored.original_name)
             or stored.original_name[:200])
    description = (form.description.data or "").strip() if hasattr(form, "description") else ""
    with db.atomic():
        material = Material.create(space=g.space, folder=folder, kind=folder.kind, title=title,
                                   description=description, file=stored,
                                   is_public=bool(form.is_public and form.is_public.data),
                                   created_by=current_user.id)
        if hasattr(form, "people"):
            material_service.set_people(material, form.people.data,
                                        [uid for uid, _name in form.people.choices])
    return material


@bp.route("/materials/folders/<int:folder_id>/upload", methods=["POST"])
@adders_only
def folder_upload(folder_id):
    """Upload images, documents or a video file to a folder. Without JavaScript all files
    come at once and the answer is a redirect (or the folder page with errors, 422); the
    uploader script sends one file per request and gets {ok, errors, stored, next}."""
    folder = folder_or_404(folder_id)
    form = without_public_mark(UPLOAD_FORMS[folder.kind]())
    if hasattr(form, "people"):
        form.people.choices = material_service.pupils_of(g.space)
    after = (url_for(".folder_describe", folder_id=folder.id)
             if folder.kind == MaterialKind.IMAGE else url_for(".folder", folder_id=folder.id))
    uploads = [u for u in request.files.getlist("files") if u and u.filename]
    valid = form.validate_on_submit()
    if valid and not uploads:
        form.files.errors = [_("Choose one or more files to upload.")]
    stored, errors = [], []
    if valid and uploads:
        for upload in uploads:
            try:
                stored.append(store_one(folder, form, upload, single=len(uploads) == 1))
            except storage.UploadError as error:
                errors.append(upload_message(error.reason, shown_name(upload), folder.kind))
        if errors:
            form.files.errors = errors
    if wants_json():
        messages = [m for field_errors in form.errors.values() for m in field_errors]
        ok = bool(stored) and not messages
        return jsonify(ok=ok, stored=len(stored), errors=messages, next=after), (
            200 if ok else 422)
    if form.errors:
        return folder_page(folder, upload_form=form, uploaded=len(stored))
    if folder.kind == MaterialKind.IMAGE:
        message = ngettext("%(num)d image uploaded. Now describe it for people who cannot "
                           "see it.", "%(num)d images uploaded. Now describe each one for "
                           "people who cannot see them.", len(stored))
    else:
        message = ngettext("%(num)d file uploaded.", "%(num)d files uploaded.", len(stored))
    return go(after, message)


@bp.route("/materials/folders/<int:folder_id>/link", methods=["POST"])
@adders_only
def folder_link_video(folder_id):
    """Add a YouTube or Vimeo video by its link; the page embeds it only after a click."""
    folder = folder_or_404(folder_id, kind=MaterialKind.VIDEO)
    form = without_public_mark(VideoLinkForm(prefix="link"))
    form.people.choices = material_service.pupils_of(g.space)
    if form.validate_on_submit():
        provider, video_id = parse_video_url(form.url.data)
        with db.atomic():
            material = Material.create(
                space=g.space, folder=folder, kind=MaterialKind.VIDEO, title=form.title.data,
                description=(form.description.data or "").strip(), embed_provider=provider,
                embed_id=video_id, is_public=bool(form.is_public and form.is_public.data),
                created_by=current_user.id)
            material_service.set_people(material, form.people.data,
                                        [uid for uid, _name in form.people.choices])
        return go(url_for(".material", material_id=material.id), _("The video is added."))
    return folder_page(folder, link_form=form)


@bp.route("/materials/folders/<int:folder_id>/describe", methods=["GET", "POST"])
@adders_only
def folder_describe(folder_id):
    """The images I just added to this album that have no alt text yet: a title and a
    required alt text for each. Until then only I and the teachers see them."""
    folder = folder_or_404(folder_id, kind=MaterialKind.IMAGE)
    images = list(Material.select(Material, StoredFile).join(StoredFile)
                  .where(Material.folder == folder, Material.kind == MaterialKind.IMAGE,
                         Material.created_by == current_user.id, Material.alt_text == "")
                  .order_by(Material.created_at, Material.id))
    if not images:
        return go(url_for(".folder", folder_id=folder.id),
                  _("Every image you added here has a description."), "info")
    form = describe_form(images)
    if form.validate_on_submit():
        with db.atomic():
            for image in images:
                image.title = form[f"title_{image.id}"].data
                image.alt_text = form[f"alt_{image.id}"].data
                image.save()
        return go(url_for(".folder", folder_id=folder.id),
                  ngettext("%(num)d image described: everybody in the space sees it now.",
                           "%(num)d images described: everybody in the space sees them now.",
                           len(images)))
    rows = [(image, form[f"title_{image.id}"], form[f"alt_{image.id}"]) for image in images]
    return render("spaces/materials/describe.html", folder=folder, rows=rows, form=form)
