"""Collaborate: project kits, reusable modules, and the Quality Label gallery (P-4)."""
from flask import abort, request

from blueprints.portal import bp
from models import DiaryPost, Kit, Module, Project, Space
from services import permissions
from services.reference import AGE_RANGES
from services.paging import Page
from web import page_arg, render


@bp.route("/collaborate")
def collaborate():
    """Kits, modules and the gallery, a few of each, with the way to all of them."""
    kits = Kit.select().order_by(Kit.created_at.desc()).limit(6)
    modules = Module.select().order_by(Module.created_at.desc()).limit(6)
    gallery = Project.labelled().order_by(Project.label_awarded_at.desc()).limit(6)
    return render("portal/collaborate.html", kits=list(kits), modules=list(modules),
                  gallery=list(gallery))


@bp.route("/kits")
def kits():
    """Every project kit, filtered by pupil age range."""
    age = request.args.get("age") if request.args.get("age") in AGE_RANGES else ""
    query = Kit.select().order_by(Kit.title)
    if age:
        query = query.where(Kit.age_range == age)
    return render("portal/kits.html", partials={"kit-results": "portal/_kit_results.html"},
                  pagination=Page.of_query(query, page_arg(), per_page=12), age=age)


@bp.route("/kits/<int:kit_id>")
def kit(kit_id):
    """One kit: its steps and its material to download."""
    item = Kit.get_or_none(Kit.id == kit_id) or abort(404)
    return render("portal/kit.html", item=item)


@bp.route("/modules")
def modules():
    """Every module, newest first."""
    query = Module.select().order_by(Module.created_at.desc(), Module.id.desc())
    return render("portal/modules.html", pagination=Page.of_query(query, page_arg(), per_page=12))


@bp.route("/modules/<int:module_id>")
def module(module_id):
    """One module: a short activity to reuse."""
    item = Module.get_or_none(Module.id == module_id) or abort(404)
    return render("portal/module.html", item=item)


@bp.route("/gallery")
def gallery():
    """Projects awarded the Quality Label, with their latest public diary post."""
    query = Project.labelled().order_by(Project.label_awarded_at.desc(), Project.id.desc())
    pagination = Page.of_query(query, page_arg(), per_page=12)
    ids = [p.id for p in pagination.items]
    latest = {}
    if ids:
        # Newest first, so the first post seen for a project is its latest.
        for post in (DiaryPost.select(DiaryPost, Space)
                     .join(Space)
                     .where(Space.project.in_(ids), DiaryPost.is_public == True)  # noqa: E712
                     .order_by(DiaryPost.published_at.desc())):
            latest.setdefault(post.space.project_id, post)
    # Each project's public TwinSpace view (T-9), where it exists: one query for the page.
    public_spaces = {}
    if ids:
        for space in Space.select(Space, Project).join(Project).where(Space.project.in_(ids)):
            if permissions.can_see_public_view(space):
                public_spaces[space.project_id] = space
    return render("portal/gallery.html", pagination=pagination, latest=latest,
                  public_spaces=public_spaces)
