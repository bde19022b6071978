"""The Group as a parent of the shared space: its words, its own navigation (events,
settings), its home (state, description, objectives, the welcome, joining and leaving, the
start checklist, upcoming events), its members (moderators and members, all teachers; pending
requests to join), who may read it without being a member (an open group: any teacher), and
its membership rules (never without a moderator; invited teachers accept first)."""
from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.spaces.parents import Hooks, MemberTypes, NavEntry, SpaceParent
from models import Event, GroupState, Membership, SpaceRole, User, utcnow
from services import group_members, groups, permissions


class GroupHooks(Hooks):
    """A group always keeps at least one moderator; invited teachers accept first."""

    def removal_problem(self, space, member):
        if (member.role == SpaceRole.MODERATOR
                and groups.moderator_ids(space) == {member.user_id}):
            return _("%(name)s is the group's only moderator: name another moderator first.",
                     name=member.user.name)
        return None

    def invite(self, space, person, inviter):
        """An invitation the teacher accepts or declines on the Groups page."""
        return group_members.invite(groups.of_space(space), person, inviter,
                                    current_app.config)


def group_of(space):
    """The Group row of `space`, read once per request (the navigation and the rules ask
    for it on every page)."""
    if not has_request_context():
        return groups.of_space(space)
    cached = g.get("group_row")
    if cached is None or cached.space_id != space.id:
        cached = g.group_row = groups.of_space(space)
    return cached


def _readers(user, space):
    return permissions.can_read_group(user, space, group_of(space))


def upcoming_events(space, limit=None):
    query = (Event.select().where(Event.space == space.id, Event.cancelled_at.is_null(),
                                  Event.ends_at >= utcnow())
             .order_by(Event.starts_at, Event.id))
    return list(query.limit(limit) if limit else query)


def _logo_is_public(space):
    """An active group is listed in the portal's public directory, with its image."""
    group = groups.of_space(space)
    return group is not None and group.state == GroupState.ACTIVE


def _home_context(space, membership):
    from flask_login import current_user
    group = groups.of_space(space)
    moderator = permissions.is_group_moderator(current_user, space, membership)
    context = {
        "group": group,
        "state_name": groups.STATE_NAMES.get(group.state),
        "is_moderator": moderator,
        "is_member": permissions.is_space_member(current_user, space, membership),
        "may_join": permissions.can_join_group(current_user, space, membership),
        "join_problem": group_members.refusal(group),
        "moderators": list(User.select().join(Membership, on=(Membership.user == User.id))
                           .where(Membership.space == space.id,
                                  Membership.role == SpaceRole.MODERATOR)
                           .order_by(User.name)),
        "language_codes": [row.code for row in group.languages],
        "events": upcoming_events(space, 5),
        "may_add_event": permissions.can_add_group_event(current_user, space, membership),
        "checklist": None,
    }
    if moderator and group.state == GroupState.ACTIVE and group_members.is_young(group):
        context["checklist"] = group_members.checklist(group)
        context["ice_breaker"] = group_members.ice_breaker(group)
    if moderator:
        context["request_count"] = len(group_members.pending_requests(group))
    return context


def _members_context(space, membership):
    from flask_login import current_user
    if not permissions.can_run_group(current_user, space, membership):
        return {"join_requests": None}
    return {"join_requests": group_members.pending_requests(groups.of_space(space))}


def parent(blueprint):
    return SpaceParent(
        kind="group",
        blueprint=blueprint,
        words={"word": _l("Group"), "plural": _l("Groups"),
               "in_this": _l("In this group"), "mail": _l("Group mail"),
               "mine": _l("My groups"),
               "invite_hint": _l("The teacher is invited to the group; they join it when "
                                 "they accept the invitation on their Groups page.")},
        list_endpoint="groups.index",
        nav=[NavEntry(_l("Group events"), "events", after="forums"),
             NavEntry(_l("Requests to join"), "requests", rule=permissions.can_run_group,
                      after="members"),
             # No query for the navigation: the settings page itself says when the group is
             # not active yet.
             NavEntry(_l("Group settings"), "settings", rule=permissions.can_run_group)],
        home_template="groups/_home.html",
        home_context=_home_context,
        hooks=GroupHooks(),
        public_view=None,
        readers=_readers,
        logo_is_public=_logo_is_public,
        member_types=MemberTypes(
            types={"moderator": (_l("Moderator"), (SpaceRole.MODERATOR,)),
                   "member": (_l("Member"), (SpaceRole.MEMBER, SpaceRole.TEACHER,
                                             SpaceRole.ADMIN))},
            runner_role=SpaceRole.MODERATOR, teacher_role=SpaceRole.MEMBER,
            runner_label=_l("Moderator (runs the group with the others)"),
            teacher_label=_l("Member"),
            adds_pupils=False, adds_outside_teachers=False),
        members_extra="groups/_requests.html",
        members_context=_members_context,
    )
