"""The profile in a space (T-13): a member's picture, short description and role here, and
their guestbook (messages other members leave, newest first). The picture and description
are the person's own (User.photo_id, User.space_about): the same in all their spaces.

Only members of the space see its profiles and guestbooks; a person who is not a member of
this space has no profile here (404). Every member, guests too, may leave a message on
somebody else's profile (not on their own); its author or the space's teachers delete it."""
from flask import abort, current_app, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN

from blueprints.spaces import bp
from blueprints.spaces.access import refuse, space_required, teaching_here
from blueprints.spaces.members import TYPE_NAMES, TYPE_OF
from blueprints.spaces.profile_forms import GuestbookForm, SpaceProfileForm
from models import GuestbookEntry, Membership, User, db
from services import notify, permissions, storage
from services.paging import Page
from services.sanitize import linkify_text, rich_text
from web import EmptyForm, go, page_arg, render

PER_PAGE = 10

PICTURE_MESSAGES = {
    "empty": _l("The file is empty: choose another picture"),
    "too_large": _l("The picture is too large: choose one under 15 MB"),
    "not_image": _l("The file must be a JPEG, PNG, GIF or WebP image"),
    "no_space": storage.NO_SPACE_MESSAGE,
}


def _membership_or_404(user_id):
    """The membership (with its user) of `user_id` in this space, if I may see it."""
    person = (Membership.select(Membership, User).join(User)
              .where(Membership.space == g.space, Membership.user == user_id)
              .first())
    if not permissions.can_see_space_profile(current_user, g.space, g.membership, person):
        abort(404)
    return person


def _entry_or_404(user_id, entry_id):
    entry = GuestbookEntry.get_or_none((GuestbookEntry.id == entry_id)
                                       & (GuestbookEntry.space == g.space)
                                       & (GuestbookEntry.profile == user_id))
    return entry or abort(404)


def _may_delete(entry):
    return permissions.can_delete_guestbook_entry(current_user, g.space, g.membership, entry)


def _show_profile(person, form=None):
    user = person.user
    entries = (GuestbookEntry.select(GuestbookEntry, User)
               .join(User, JOIN.LEFT_OUTER, on=(GuestbookEntry.author == User.id),
                     attr="writer")
               .where(GuestbookEntry.space == g.space, GuestbookEntry.profile == user.id)
               .order_by(GuestbookEntry.created_at.desc(), GuestbookEntry.id.desc()))
    may_write = permissions.can_write_guestbook(current_user, g.space, g.membership, user)
    if form is None and may_write:
        form = GuestbookForm()
    is_me = user.id == current_user.id
    return render("spaces/profile.html", person=person, user=user, photo=user.photo,
                  kind=TYPE_NAMES[TYPE_OF.get(person.role, "guest")],
                  pagination=Page.of_query(entries, page_arg(), per_page=PER_PAGE),
                  form=form, may_write=may_write, may_delete=_may_delete, is_me=is_me,
                  may_mail=not is_me and permissions.can_write_space_mail(
                      current_user, g.space, g.membership),
                  linkify=linkify_text)


@bp.route("/members/<int:user_id>/profile")
@space_required(permissions.is_space_member)
def profile(user_id):
    """A member's picture, description, role here and guestbook."""
    return _show_profile(_membership_or_404(user_id))


@bp.route("/members/<int:user_id>/guestbook", methods=["POST"])
@space_required(permissions.is_space_member)
def guestbook_post(user_id):
    """Leave a message on somebody's profile; they are told (notification "guestbook")."""
    person = _membership_or_404(user_id)
    if not permissions.can_write_guestbook(current_user, g.space, g.membership, person.user):
        refuse(permissions.can_write_guestbook, person.user, otherwise=403)
    form = GuestbookForm()
    if not form.validate_on_submit():
        return _show_profile(person, form)
    me = current_user._get_current_object()
    GuestbookEntry.create(space=g.space, profile=person.user, author=me,
                          body=form.body.data.strip())
    link = url_for(".profile", user_id=person.user.id) + "#guestbook"
    space = g.space
    notify.notify(current_app.config, person.user, "guestbook",
                  f"guestbook:{space.id}:{person.user.id}", "guestbook", link,
                  name=me.name, space=space.title)
    return go(link, _("Your message is on %(name)s's profile.", name=person.user.name))


@bp.route("/members/<int:user_id>/guestbook/<int:entry_id>/delete", methods=["GET", "POST"])
@space_required(permissions.is_space_member)
def guestbook_delete(user_id, entry_id):
    """Delete a message of a guestbook (its author or the space's teachers), after asking."""
    person = _membership_or_404(user_id)
    entry = _entry_or_404(user_id, entry_id)
    if not _may_delete(entry):
        refuse(permissions.can_delete_guestbook_entry, entry, otherwise=403)
    form = EmptyForm()
    if form.validate_on_submit():
        entry.delete_instance()
        return go(url_for(".profile", user_id=person.user.id) + "#guestbook",
                  _("The message is deleted."))
    return render("spaces/profile_guestbook_delete.html", person=person, entry=entry,
                  form=form, linkify=linkify_text)


@bp.route("/profile/edit", methods=["GET", "POST"])
@space_required(permissions.is_space_member)
def profile_edit():
    """My picture and short description: the same in all my spaces."""
    me = User.get_by_id(current_user.id)
    form = SpaceProfileForm()
    if not form.is_submitted():
        form.about.data = me.space_about
    elif form.validate():
        stored = None
        upload = form.picture.data
        if upload and getattr(upload, "filename", ""):
            try:
                stored = storage.save_image(upload, current_app.config["UPLOAD_DIR"],
                                            owner=me.id)
            except storage.UploadError as exc:
                form.picture.errors = [PICTURE_MESSAGES.get(exc.reason,
                                                            PICTURE_MESSAGES["not_image"])]
        if not form.picture.errors:
            with db.atomic():
                me.space_about = rich_text(form.about.data)
                if stored is not None:
                    me.photo_id = stored.id
                elif form.remove_picture.data:
                    me.photo_id = None
                me.save()
            return go(url_for(".profile", user_id=me.id), _("Your profile is saved."))
    return render("spaces/profile_edit.html", form=form, user=me, photo=me.photo,
                  is_teacher=teaching_here())
