"""Running a group (G-4): its settings (moderators of an active group), the ice-breaker of the
start checklist, and the group's events (L-5: events attached to the group's space)."""
from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.groups import bp
from blueprints.groups.forms import GroupSettingsForm, IceBreakerForm, language_choices_now
from blueprints.groups.parent import upcoming_events
from blueprints.groups.requests import save_image
from blueprints.spaces.access import refuse, space_required
from models import Event
from services import group_members, group_search, groups, permissions
from web import go, render


def _group():
    return groups.of_space(g.space) or abort(404)


@bp.route("/<int:space_id>/settings", methods=["GET", "POST"])
@space_required(permissions.can_run_group)
def settings():
    """Title, description, objectives, topics, languages, openness, welcome and image: only
    while the group is active (before, its request is what changes)."""
    group = _group()
    if not permissions.can_change_group_settings(current_user, g.space, g.membership, group):
        from blueprints.errors import error_page
        return error_page(403, _("Not yet"),
                          _("The group's settings can be changed once central support staff "
                            "have approved it."))
    form = GroupSettingsForm(language_choices=language_choices_now())
    if not _posted():
        form.fill(g.space, group)
    if form.validate_on_submit():
        logo_id = save_image(form)
        if logo_id is not False:
            groups.update(group, form.values(), logo_id, remove_logo=form.remove_logo.data)
            group_search.index_group(group)
            return go(url_for("groups.settings"), _("The settings are saved."))
    return render("groups/settings.html", form=form, group=group)


def _posted():
    from flask import request
    return request.method == "POST"


@bp.route("/<int:space_id>/ice-breaker", methods=["GET", "POST"])
@space_required(permissions.can_run_group)
def ice_breaker():
    """Start the ice-breaker discussion (a title and a first message, suggested)."""
    group = _group()
    existing = group_members.ice_breaker(group)
    if existing is not None:
        return go(g.space_parent.url("discussion", discussion_id=existing.id),
                  _("The ice-breaker is already started."), "info")
    form = IceBreakerForm(data=None if _posted() else {
        "title": str(group_members.ICE_BREAKER_TITLE),
        "body": str(group_members.ICE_BREAKER_TEXT)})
    if form.validate_on_submit():
        discussion = group_members.start_ice_breaker(group, current_user, title=form.title.data,
                                                     body=form.body.data)
        return go(g.space_parent.url("discussion", discussion_id=discussion.id),
                  _("The ice-breaker is started."))
    return render("groups/ice_breaker.html", form=form)


@bp.route("/<int:space_id>/events")
@space_required(permissions.can_see_group_events)
def events():
    """The group's upcoming events, and a way for its members to add one."""
    return render("groups/events.html", events=upcoming_events(g.space),
                  may_add=permissions.can_add_group_event(current_user, g.space, g.membership))


@bp.route("/<int:space_id>/events/new", methods=["GET", "POST"])
@space_required()
def event_new():
    """An event of the group: the Live event form, attached to the group."""
    if not permissions.can_add_group_event(current_user, g.space, g.membership):
        refuse(permissions.can_add_group_event)
    from blueprints.live.events import apply_event_form, event_form
    form = event_form()
    if form.validate_on_submit():
        item = Event(creator=current_user.id)
        apply_event_form(item, form)
        item.space = g.space.id
        item.save()
        return go(url_for("groups.events"), _("The event is published for the group."))
    return render("live/event_form.html", form=form, item=None)
