"""My TwinSpaces (T-1), the project diary (T-7), the teachers' bulletin (T-8), the public
view (T-9) and the space's settings (T-15)."""
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from blueprints.spaces.access import refuse, space_required, teaching_here
from blueprints.twinspace import bp
from blueprints.twinspace.forms import BulletinForm, DiaryForm, SettingsForm
from models import BulletinPost, DiaryPost, PageView, SpaceKind, User, db, utcnow
from models import Page as SpacePage
from services import permissions, spaces, storage
from services.paging import Page
from services.sanitize import text_or_html
from web import go, page_arg, render, require

teachers_only = space_required(permissions.is_space_teacher)
diary_writers = space_required(permissions.can_write_diary)


@bp.route("/")
@require(permissions.is_logged_in)
def my_spaces():
    """The TwinSpaces I am a member of, to switch between them."""
    return render("twinspace/index.html",
                  memberships=spaces.spaces_of(current_user, SpaceKind.TWINSPACE))


def _diary_query(public_only=False):
    query = DiaryPost.select(DiaryPost, User).join(
        User, JOIN.LEFT_OUTER, on=(DiaryPost.author == User.id)).where(DiaryPost.space == g.space)
    if public_only:
        query = query.where(DiaryPost.is_public == True)  # noqa: E712
    return query.order_by(DiaryPost.published_at.desc(), DiaryPost.id.desc())


@bp.route("/<int:space_id>/diary")
@space_required()
def diary():
    """The project diary: every post for members, newest first."""
    return render("twinspace/diary.html", pagination=Page.of_query(_diary_query(), page_arg(),
                                                                   per_page=10),
                  may_write=permissions.can_write_diary(current_user, g.space, g.membership))


def _post_or_404(post_id):
    return (DiaryPost.get_or_none((DiaryPost.id == post_id) & (DiaryPost.space == g.space))
            or abort(404))


@bp.route("/<int:space_id>/diary/new", methods=["GET", "POST"])
@bp.route("/<int:space_id>/diary/<int:post_id>/edit", methods=["GET", "POST"])
@diary_writers
def diary_edit(post_id=None):
    """Write or change a diary post (the space's teachers)."""
    post = _post_or_404(post_id) if post_id else None
    form = DiaryForm(obj=post)
    if post and request.method == "GET":
        form.body.data = post.body
    if form.validate_on_submit():
        post = post or DiaryPost(space=g.space, author=current_user.id, published_at=utcnow())
        post.title, post.is_public = form.title.data, form.is_public.data
        post.body = text_or_html(form.body.data)
        post.save()
        return go(url_for("twinspace.diary"), _("The diary post is saved."))
    return render("twinspace/diary_form.html", form=form, post=post)


@bp.route("/<int:space_id>/diary/<int:post_id>/delete", methods=["GET", "POST"])
@diary_writers
def diary_delete(post_id):
    """Ask first, then delete a diary post."""
    post = _post_or_404(post_id)
    if request.method == "POST":
        post.delete_instance()
        return go(url_for("twinspace.diary"), _("The diary post is deleted."))
    return render("twinspace/diary_delete.html", post=post)


@bp.route("/<int:space_id>/bulletin", methods=["GET", "POST"])
@teachers_only
def bulletin():
    """The teachers' bulletin: only the space's teachers see it (others get 404)."""
    may_write = permissions.can_write_bulletin(current_user, g.space, g.membership)
    if request.method == "POST" and not may_write:
        refuse(permissions.can_write_bulletin)
    form = BulletinForm()
    if form.validate_on_submit():
        BulletinPost.create(space=g.space, author=current_user.id,
                            body=text_or_html(form.body.data))
        return go(url_for("twinspace.bulletin"), _("Your message is on the bulletin."))
    query = (BulletinPost.select(BulletinPost, User)
             .join(User, JOIN.LEFT_OUTER, on=(BulletinPost.author == User.id))
             .where(BulletinPost.space == g.space)
             .order_by(BulletinPost.created_at.desc()))
    return render("twinspace/bulletin.html", form=form if may_write else None,
                  pagination=Page.of_query(query, page_arg(), per_page=20))


@bp.route("/<int:space_id>/public")
def public_view():
    """What anybody sees of the space, without logging in; teachers use it as a preview, so
    it shows them exactly that: public pages, public diary posts and public materials, with
    images of materials that are not public taken out of the texts."""
    from models import Material, MaterialKind, StoredFile
    from services.export import file_ids_in, strip_private_images
    if not permissions.can_see_public_view(g.space):
        if teaching_here():
            return render("twinspace/public_closed.html")
        abort(404)
    live = {p.id: p for p in SpacePage.select().where(
        SpacePage.space == g.space, SpacePage.archived_at.is_null())
        .order_by(SpacePage.position, SpacePage.id)}

    def reachable(page):  # every ancestor still there (archiving hides a whole branch)
        seen = set()
        while page.parent_id and page.parent_id not in seen:
            seen.add(page.parent_id)
            page = live.get(page.parent_id)
            if page is None:
                return False
        return True
    pages = [p for p in live.values() if p.view_rule == PageView.PUBLIC and reachable(p)]
    pagination = Page.of_query(_diary_query(public_only=True), page_arg(), per_page=10)
    materials = permissions.public_materials(g.space)
    files = {f.id: f for f in StoredFile.select().where(
        StoredFile.id.in_([m.file_id for m in materials if m.file_id]))} if materials else {}
    texts = pages + pagination.items
    referenced = set().union(*(file_ids_in(t.body) for t in texts)) if texts else set()
    hidden = referenced - set(files)
    if hidden:  # files of materials that are not public (of this space or any other)
        hidden = {m.file_id for m in Material.select(Material.file).where(
            Material.file.in_(list(hidden)))}
    for text in texts:
        text.public_body = strip_private_images(text.body, referenced - hidden)
    by_kind = {kind: [m for m in materials if m.kind == kind] for kind in MaterialKind.ALL}
    return render("twinspace/public.html", pagination=pagination, pages=pages,
                  images=by_kind[MaterialKind.IMAGE], videos=by_kind[MaterialKind.VIDEO],
                  documents=by_kind[MaterialKind.DOCUMENT], files=files,
                  preview=teaching_here())


@bp.route("/<int:space_id>/settings", methods=["GET", "POST"])
@space_required(permissions.can_change_space_settings)
def settings():
    """The space's title, description, logo and colours (its teachers)."""
    form = SettingsForm(obj=g.space)
    if form.validate_on_submit():
        upload = form.logo.data
        if upload and getattr(upload, "filename", ""):
            try:
                g.space.logo_id = storage.save_image(upload, current_app.config["UPLOAD_DIR"],
                                                     owner=current_user.id).id
            except storage.UploadError as exc:
                form.logo.errors.append(
                    storage.NO_SPACE_MESSAGE if exc.reason == "no_space"
                    else _("The logo must be a JPEG, PNG, GIF or WebP image"))
                return render("twinspace/settings.html", form=form)
        elif form.remove_logo.data:
            g.space.logo_id = None
        with db.atomic():
            g.space.title = form.title.data
            g.space.description = (form.description.data or "").strip()
            g.space.theme = form.theme.data
            g.space.meeting_url = form.meeting_url.data or ""
            g.space.save()
        return go(url_for("twinspace.settings"), _("The settings are saved."))
    return render("twinspace/settings.html", form=form)
