"""Staff edit the portal in the browser: publications, kits, modules, testimonials, learning
events (central staff) and "near you" news (national staff, their own country)."""
from dataclasses import dataclass
from typing import Callable

from flask import abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.forms import (KitForm, LearningEventForm, ModuleForm, NewsForm,
                                    PublicationForm, TestimonialForm)
from models import (Kit, LearningEvent, LearningEventRegistration, Module, News, Publication,
                    PublicationFile, Testimonial, db)
from services import audit, permissions, storage
from services.reference import country_choices, language_choices
from services.sanitize import text_or_html
from services.paging import Page
from web import go, page_arg, render, require

UPLOAD_MESSAGES = {
    "empty": _l("The file is empty: choose another one"),
    "too_large": _l("The file is too large: choose one under 20 MB"),
    "not_pdf": _l("The file must be a PDF"),
    "not_image": _l("The file must be a JPEG, PNG, GIF or WebP image"),
    "no_space": storage.NO_SPACE_MESSAGE,
}


@dataclass
class ContentType:
    """How one kind of content is listed and edited; the views below serve them all."""
    key: str
    model: type
    form: type
    plural: object
    singular: object
    rule: Callable
    order: Callable
    columns: list
    html_fields: tuple = ()
    form_options: Callable = lambda obj: {}
    scope: Callable = None          # query -> query, for staff who see only their country
    allowed: Callable = None        # (user, obj) -> bool
    save: Callable = None           # (form, obj) -> error message on a field, or None
    extra_template: str = ""


def _locale():
    return str(get_locale())


def _save_kit(form, obj):
    upload = form.material.data
    if upload and getattr(upload, "filename", ""):
        try:
            obj.material = storage.save_pdf(upload, current_app.config["UPLOAD_DIR"],
                                            owner=current_user.id)
        except storage.UploadError as exc:
            form.material.errors.append(UPLOAD_MESSAGES[exc.reason])
            return False
    obj.subjects = ",".join(form.subjects.data)
    return True


def _save_publication(form, obj):
    cover, pdf = form.cover.data, form.pdf.data
    upload_dir = current_app.config["UPLOAD_DIR"]
    if cover and getattr(cover, "filename", ""):
        try:
            obj.cover = storage.save_image(cover, upload_dir, owner=current_user.id)
        except storage.UploadError as exc:
            form.cover.errors.append(UPLOAD_MESSAGES[exc.reason])
            return False
    if pdf and getattr(pdf, "filename", ""):
        try:
            stored = storage.save_pdf(pdf, upload_dir, owner=current_user.id)
        except storage.UploadError as exc:
            form.pdf.errors.append(UPLOAD_MESSAGES[exc.reason])
            return False
        obj.save()
        (PublicationFile.delete()
         .where(PublicationFile.publication == obj,
                PublicationFile.language == form.file_language.data)
         .execute())
        PublicationFile.create(publication=obj, language=form.file_language.data, file=stored)
    return True


def _news_scope(query):
    country = permissions.country_of_staff_scope(current_user)
    return query.where(News.country == country) if country else query


def _news_options(obj):
    country = permissions.country_of_staff_scope(current_user)
    choices = country_choices(_locale())
    if country:
        choices = [c for c in choices if c[0] == country]
    return {"country_choices": choices}


def _save_news(form, obj):
    if obj.author_id is None:
        obj.author = current_user.id
    return True


def _event_options(obj):
    taken = (LearningEventRegistration.select()
             .where(LearningEventRegistration.event == obj.id).count() if obj.id else 0)
    return {"language_choices": language_choices(_locale()), "taken": taken,
            "is_new": obj.id is None}


CONTENT = {c.key: c for c in [
    ContentType("publications", Publication, PublicationForm, _l("Publications"),
                _l("publication"), permissions.can_edit_portal,
                lambda: Publication.created_at.desc(),
                [(_l("Title"), lambda o: o.title)],
                form_options=lambda obj: {"language_choices": language_choices(_locale())},
                save=_save_publication, extra_template="admin/_publication_files.html"),
    ContentType("kits", Kit, KitForm, _l("Project kits"), _l("project kit"),
                permissions.can_edit_portal, lambda: Kit.title,
                [(_l("Title"), lambda o: o.title), (_l("Pupil ages"), lambda o: o.age_range)],
                html_fields=("activities",), save=_save_kit),
    ContentType("modules", Module, ModuleForm, _l("Modules"), _l("module"),
                permissions.can_edit_portal, lambda: Module.created_at.desc(),
                [(_l("Title"), lambda o: o.title)], html_fields=("body",)),
    ContentType("testimonials", Testimonial, TestimonialForm, _l("Testimonials"),
                _l("testimonial"), permissions.can_edit_portal,
                lambda: Testimonial.created_at.desc(),
                [(_l("Name"), lambda o: o.name), (_l("Quote"), lambda o: o.quote[:80])],
                form_options=lambda obj: {"country_choices": country_choices(_locale())}),
    ContentType("learning-events", LearningEvent, LearningEventForm,
                _l("Workshops and learning events"), _l("event"), permissions.can_edit_portal,
                lambda: LearningEvent.starts_at.desc(),
                [(_l("Title"), lambda o: o.title),
                 (_l("Starts (UTC)"), lambda o: o.starts_at.strftime("%Y-%m-%d %H:%M"))],
                html_fields=("description",), form_options=_event_options),
    ContentType("news", News, NewsForm, _l("News and events near you"), _l("news item"),
                permissions.can_publish_news, lambda: News.published_at.desc(),
                [(_l("Title"), lambda o: o.title), (_l("Country"), lambda o: o.country)],
                html_fields=("body",), form_options=_news_options, scope=_news_scope,
                allowed=permissions.can_edit_news, save=_save_news),
]}


def content_type(key):
    ctype = CONTENT.get(key)
    if ctype is None:
        abort(404)
    if not ctype.rule(current_user):
        abort(403)
    return ctype


def load(ctype, obj_id):
    """The object, or 404 when it does not exist or is outside this staff member's scope."""
    obj = ctype.model.get_or_none(ctype.model.id == obj_id)
    if obj is None or (ctype.allowed and not ctype.allowed(current_user, obj)):
        abort(404)
    return obj


def content_types_for(user):
    return [c for c in CONTENT.values() if c.rule(user)]


@bp.route("/content/<key>/")
@require(permissions.can_use_admin)
def content_list(key):
    """List one kind of content, newest first."""
    ctype = content_type(key)
    query = ctype.model.select().order_by(ctype.order(), ctype.model.id.desc())
    if ctype.scope:
        query = ctype.scope(query)
    return render("admin/content_list.html", ctype=ctype,
                  pagination=Page.of_query(query, page_arg(), per_page=25))


@bp.route("/content/<key>/new", methods=["GET", "POST"])
@require(permissions.can_use_admin)
def content_new(key):
    """Add a publication, kit, module, testimonial, event or news item."""
    ctype = content_type(key)
    return _edit(ctype, ctype.model())


@bp.route("/content/<key>/<int:obj_id>/edit", methods=["GET", "POST"])
@require(permissions.can_use_admin)
def content_edit(key, obj_id):
    """Change an existing item."""
    ctype = content_type(key)
    return _edit(ctype, load(ctype, obj_id))


def _edit(ctype, obj):
    is_new = obj.id is None
    form = ctype.form(obj=None if is_new else obj, **ctype.form_options(obj))
    if form.validate_on_submit():
        with db.atomic() as txn:
            file_fields = {"cover", "pdf", "material", "file_language"}
            for name, fld in form._fields.items():
                if name in file_fields or name == "csrf_token":
                    continue
                value = fld.data
                if name in ctype.html_fields:
                    value = text_or_html(value)
                if name == "subjects" and isinstance(value, list):
                    continue
                column = ctype.model._meta.fields.get(name)
                if value is None and column is not None and not column.null:
                    value = ""  # an optional text box left empty
                setattr(obj, name, value)
            if ctype.save and not ctype.save(form, obj):
                txn.rollback()
                return render("admin/content_form.html", ctype=ctype, form=form, obj=obj,
                              is_new=is_new)
            obj.save()
            audit.record(current_user, "content.create" if is_new else "content.update", obj)
        message = (_("Added: %(title)s", title=_title_of(obj)) if is_new
                   else _("Saved: %(title)s", title=_title_of(obj)))
        return go(url_for("admin.content_list", key=ctype.key), message)
    return render("admin/content_form.html", ctype=ctype, form=form, obj=obj, is_new=is_new)


def _title_of(obj):
    return getattr(obj, "title", None) or getattr(obj, "name", "")


@bp.route("/content/<key>/<int:obj_id>/delete", methods=["GET", "POST"])
@require(permissions.can_use_admin)
def content_delete(key, obj_id):
    """Ask to confirm on a page of its own, then delete."""
    ctype = content_type(key)
    obj = load(ctype, obj_id)
    if request.method == "POST":
        title = _title_of(obj)
        with db.atomic():
            audit.record(current_user, "content.delete", obj)
            obj.delete_instance(recursive=True)
        return go(url_for("admin.content_list", key=ctype.key), _("Deleted: %(title)s",
                                                                  title=title))
    return render("admin/content_delete.html", ctype=ctype, obj=obj)


@bp.route("/content/publications/<int:obj_id>/files/<int:version_id>/delete",
          methods=["POST"])
@require(permissions.can_edit_portal)
def publication_file_delete(obj_id, version_id):
    """Remove one language version of a publication."""
    version = PublicationFile.get_or_none((PublicationFile.id == version_id)
                                          & (PublicationFile.publication == obj_id))
    if version is None:
        abort(404)
    with db.atomic():
        audit.record(current_user, "content.file_delete", version.publication,
                     detail=version.language)
        version.delete_instance()
    return go(url_for("admin.content_edit", key="publications", obj_id=obj_id),
              _("The language version is removed."))
