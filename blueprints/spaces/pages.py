"""Pages of a space (T-2): the tree, reading, writing with a toolbar, reordering; and their
history (T-3): revisions, a diff against the current text, restoring, archiving.

Every view checks that the page belongs to g.space and that the rule for the action holds;
a page one may not read answers 404, as if it did not exist."""
from flask import abort, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from blueprints.spaces import bp, parents
from blueprints.spaces.access import refuse, space_required, teaching_here
from blueprints.spaces.page_forms import InsertMaterialForm, PageForm
from extensions import htmx
from models import MaterialKind, Page, PageRevision, User
from services import page_materials
from services import pages as page_service
from services import permissions
from services.paging import Page as Pagination
from web import EmptyForm, go, page_arg, render

teachers_only = space_required(permissions.is_space_teacher)


def _may_view(page):
    return permissions.can_view_page(current_user, g.space, g.membership, page)


def _may_edit(page):
    return permissions.can_edit_page(current_user, g.space, g.membership, page)


@bp.app_template_filter("material_links")
def material_links(html, space=None):
    """A stored text of `space` (the request's by default) as shown: its references to
    materials become links to the materials' pages in that space, under the space's own
    parent (services/pages.py). Outside a space they stay plain text."""
    space = space or getattr(g, "space", None)
    if space is None:
        return page_materials.link_materials(html, lambda material_id: None)
    parent = parents.of(space)
    return page_materials.link_materials(html, lambda material_id: parent.url(
        "material", space_id=space.id, material_id=material_id))


def _page_or_404(page_id, check=_may_view):
    """The page of this space, if the current user may see (or `check`) it."""
    page = Page.get_or_none((Page.id == page_id) & (Page.space == g.space))
    if page is None or not _may_view(page) or not page_service.is_reachable(page):
        abort(404)
    if not check(page):
        refuse(permissions.can_edit_page, page)
    return page


def _revision_or_404(page, rev_id):
    return (PageRevision.get_or_none((PageRevision.id == rev_id) & (PageRevision.page == page))
            or abort(404))


@bp.route("/pages")
@space_required()
def pages():
    """The tree of pages I may read, with reordering for those who may edit."""
    return render("spaces/pages.html", tree=page_service.tree(g.space, _may_view),
                  may_edit=_may_edit, may_add=permissions.can_add_page(
                      current_user, g.space, g.membership),
                  is_teacher=teaching_here(), form=EmptyForm())


@bp.route("/pages/<int:page_id>")
@space_required()
def page(page_id):
    """One page, for reading, with its place in the tree and the previous and next page."""
    page = _page_or_404(page_id)
    author = (User.select().join(PageRevision, on=(PageRevision.author == User.id))
              .where(PageRevision.page == page).order_by(PageRevision.version.desc())
              .first())
    players = [m for m in page_materials.video_players(page.body, g.space)
               if permissions.can_see_material(current_user, g.space, g.membership, m)]
    return render("spaces/page.html", page=page, author=author, may_edit=_may_edit(page),
                  is_teacher=teaching_here(), players=players,
                  place=page_service.place(g.space, page, _may_view),
                  may_add=permissions.can_add_page(current_user, g.space, g.membership, page))


def _rules_for(form):
    """Only the space's teachers choose who reads and who edits; others never send them."""
    if not permissions.can_set_page_rules(current_user, g.space, g.membership):
        del form.view_rule
        del form.edit_rule
        return False
    return True


@bp.route("/pages/new", methods=["GET", "POST"])
@space_required()
def page_new():
    """Write a new page, at the top level (teachers) or under `?parent=` (its editors)."""
    parent = None
    parent_id = request.args.get("parent", "")
    if parent_id:
        if not (parent_id.isascii() and parent_id.isdigit() and len(parent_id) < 10):
            abort(404)
        parent = _page_or_404(int(parent_id))
    if not permissions.can_add_page(current_user, g.space, g.membership, parent):
        refuse(permissions.can_add_page, parent)
    form = PageForm()
    if parent and request.method == "GET":
        form.view_rule.data, form.edit_rule.data = parent.view_rule, parent.edit_rule
    sets_rules = _rules_for(form)
    if form.validate_on_submit():
        page = page_service.create(
            g.space, current_user.id, form.title.data, form.body.data, parent=parent,
            view_rule=form.view_rule.data if sets_rules else None,
            edit_rule=form.edit_rule.data if sets_rules else None)
        return go(url_for(".page", page_id=page.id), _("The page is saved."))
    return render("spaces/page_form.html", form=form, page=None, parent=parent)


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
@space_required()
def page_edit(page_id):
    """Change a page. If somebody saved it since I opened it, nothing is overwritten: their
    text is shown, mine stays in the form, and saving again replaces theirs."""
    page = _page_or_404(page_id, check=_may_edit)
    form = PageForm(obj=page)
    if request.method == "GET":
        form.version.data = str(page.version)
    sets_rules = _rules_for(form)
    if form.validate_on_submit():
        try:
            page_service.save(page, current_user.id, form.title.data, form.body.data,
                              form.base_version(),
                              view_rule=form.view_rule.data if sets_rules else None,
                              edit_rule=form.edit_rule.data if sets_rules else None)
        except page_service.EditConflict:
            current = Page.get_by_id(page.id)
            last = (PageRevision.select(PageRevision, User)
                    .join(User, JOIN.LEFT_OUTER, on=(PageRevision.author == User.id))
                    .where(PageRevision.page == page)
                    .order_by(PageRevision.version.desc()).first())
            form.version.data = str(current.version)
            form.body.errors.append(_("Somebody saved this page while you were writing. Your "
                                      "text is kept: compare it with theirs, then save again "
                                      "to replace it."))
            return render("spaces/page_form.html", form=form, page=current, parent=None,
                          conflict=last, status=409)
        return go(url_for(".page", page_id=page.id), _("The page is saved."))
    return render("spaces/page_form.html", form=form, page=page, parent=None)


@bp.route("/pages/<int:page_id>/move", methods=["POST"])
@space_required()
def page_move(page_id):
    """Move a page up or down among its siblings (a plain form: works without JS)."""
    page = _page_or_404(page_id, check=_may_edit)
    if not EmptyForm().validate_on_submit():
        abort(400)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    moved = page_service.move(page, direction, _may_view)
    message = ((_("“%(title)s” moved up.", title=page.title) if direction == "up" else
                _("“%(title)s” moved down.", title=page.title)) if moved else
               _("“%(title)s” is already at that end.", title=page.title))
    return go(url_for(".pages") + f"#page-{page.id}", message)


HISTORY_PAGE = 50


@bp.route("/pages/<int:page_id>/history")
@space_required()
def page_history(page_id):
    """Who created and who changed the page, and when: newest first, HISTORY_PAGE a page
    (a busy page has hundreds of versions; their texts are not read here)."""
    page = _page_or_404(page_id)
    revisions = (PageRevision.select(PageRevision.id, PageRevision.version,
                                     PageRevision.created_at, PageRevision.author, User.id,
                                     User.name, User.deleted_at)
                 .join(User, JOIN.LEFT_OUTER, on=(PageRevision.author == User.id))
                 .where(PageRevision.page == page)
                 .order_by(PageRevision.version.desc()))
    return render("spaces/page_history.html", page=page,
                  revisions=Pagination.of_query(revisions, page_arg(), per_page=HISTORY_PAGE),
                  may_edit=_may_edit(page))


@bp.route("/pages/<int:page_id>/revisions/<int:rev_id>")
@space_required()
def page_revision(page_id, rev_id):
    """An earlier version of the page and what changed from it to the current text."""
    page = _page_or_404(page_id)
    revision = _revision_or_404(page, rev_id)
    return render("spaces/page_revision.html", page=page, revision=revision,
                  changes=page_service.compare(revision.body, page.body),
                  may_edit=_may_edit(page), form=EmptyForm())


@bp.route("/pages/<int:page_id>/revisions/<int:rev_id>/restore", methods=["POST"])
@space_required()
def page_revision_restore(page_id, rev_id):
    """Bring back an earlier text as a new revision (history is never rewritten)."""
    page = _page_or_404(page_id, check=_may_edit)
    revision = _revision_or_404(page, rev_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    page_service.restore(page, revision, current_user.id)
    return go(url_for(".page", page_id=page.id),
              _("Version %(version)s is back, as a new version.", version=revision.version))


@bp.route("/pages/<int:page_id>/archive", methods=["GET", "POST"])
@teachers_only
def page_archive(page_id):
    """Ask first, then hide the page (and the pages under it) in the archive."""
    page = _page_or_404(page_id)
    if not permissions.can_archive_page(current_user, g.space, g.membership, page):
        refuse(permissions.can_archive_page, page)
    form = EmptyForm()
    if form.validate_on_submit():
        page_service.archive(page)
        return go(url_for(".pages"), _("“%(title)s” is in the archive.", title=page.title))
    return render("spaces/page_archive.html", page=page, form=form)


@bp.route("/pages/archive")
@teachers_only
def pages_archive():
    """Archived pages of the space, to bring back."""
    archived = (Page.select().where((Page.space == g.space) & Page.archived_at.is_null(False))
                .order_by(Page.archived_at.desc()))
    return render("spaces/pages_archive.html", archived=list(archived), form=EmptyForm())


@bp.route("/pages/<int:page_id>/restore-archive", methods=["POST"])
@teachers_only
def page_unarchive(page_id):
    page = Page.get_or_none((Page.id == page_id) & (Page.space == g.space)
                            & Page.archived_at.is_null(False)) or abort(404)
    if not permissions.can_archive_page(current_user, g.space, g.membership, page):
        refuse(permissions.can_archive_page, page)
    if not EmptyForm().validate_on_submit():
        abort(400)
    page_service.bring_back(page)
    return go(url_for(".pages_archive"), _("“%(title)s” is back.", title=page.title))


# --- Inserting a material (T-2) -------------------------------------------------------------

def _picker_filters():
    kind = request.args.get("kind", "")
    return (kind if kind in MaterialKind.ALL else ""), request.args.get("q", "")[:100]


def _id_arg(name):
    value = request.args.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) < 10):
        abort(404)
    return int(value)


PICKER_PARTIALS = {"picker-results": "spaces/page_insert_results.html",
                   "picker-body": "spaces/page_insert_picker.html"}


@bp.route("/pages/materials-picker")
@space_required()
def page_materials_picker():
    """The materials one may put into the page being written (`?page=` when editing one,
    `?parent=` for a new sub-page): a fragment for the editor's dialog; without htmx, a page
    listing them with the HTML to copy into the text."""
    page_id, parent_id = _id_arg("page"), _id_arg("parent")
    page = _page_or_404(page_id, check=_may_edit) if page_id else None
    parent = _page_or_404(parent_id) if parent_id and not page else None
    if not permissions.can_insert_materials(current_user, g.space, g.membership, page, parent):
        refuse(permissions.can_insert_materials, page, parent)
    kind, q = _picker_filters()
    materials = page_materials.insertable_materials(g.space, kind, q)
    context = dict(materials=materials, tools=_tools(), kind=kind, q=q, page=page,
                   parent=parent)
    fragment = bool(htmx) and htmx.target in PICKER_PARTIALS
    if page is not None and not fragment:
        return go(url_for(".page_insert", page_id=page.id, kind=kind or None, q=q or None))
    return render("spaces/page_insert.html", partials=PICKER_PARTIALS, form=None, **context)


@bp.route("/pages/<int:page_id>/insert", methods=["GET", "POST"])
@space_required()
def page_insert(page_id):
    """Without JavaScript: the materials of the space, each with a button that adds it at the
    end of the page as a new version, then back to editing."""
    page = _page_or_404(page_id, check=_may_edit)
    form = InsertMaterialForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        material_id = form.material_id()
        material = (page_materials.insertable_material(g.space, material_id)
                    if material_id else None)
        if material is None:
            abort(404)
        try:
            page_materials.append_material(page, current_user.id, material)
        except page_service.EditConflict:
            return go(url_for(".page_insert", page_id=page.id),
                      _("Somebody saved the page at the same moment: try again."), "error")
        return go(url_for(".page_edit", page_id=page.id),
                  _("“%(title)s” is at the end of the page.", title=material.title))
    kind, q = _picker_filters()
    return render("spaces/page_insert.html", form=form, page=page, parent=None, kind=kind, q=q,
                  materials=page_materials.insertable_materials(g.space, kind, q),
                  tools=_tools())


def _tools():
    """What the picker's macros need (imported macros do not see the context)."""
    return dict(snippet=page_materials.material_snippet, label=page_materials.document_label,
                kinds={MaterialKind.IMAGE: _("Images"), MaterialKind.VIDEO: _("Videos"),
                       MaterialKind.DOCUMENT: _("Documents")},
                kind={MaterialKind.IMAGE: _("Image"), MaterialKind.VIDEO: _("Video"),
                      MaterialKind.DOCUMENT: _("Document")})
