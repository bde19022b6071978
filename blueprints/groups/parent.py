"""The Group as a parent of the shared space: its words, its own navigation, its home (the
welcome, the start checklist, joining), who may read it without being a member (an open
group: any teacher), and its membership rules (never without a moderator)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.spaces.parents import Hooks, SpaceParent
from models import GroupState, SpaceRole
from services import groups, permissions


class GroupHooks(Hooks):
    """A group always keeps at least one moderator."""

    def removal_problem(self, space, member):
        if (member.role == SpaceRole.MODERATOR
                and groups.moderator_ids(space) == {member.user_id}):
            return _("%(name)s is the group's only moderator: name another moderator first.",
                     name=member.user.name)
        return None


def _readers(user, space):
    return permissions.can_read_group(user, space, groups.of_space(space))


def _logo_is_public(space):
    """An active group is listed in the portal's public directory, with its image."""
    group = groups.of_space(space)
    return group is not None and group.state == GroupState.ACTIVE


def _home_context(space, membership):
    return {"group": groups.of_space(space)}


def parent(blueprint):
    return SpaceParent(
        kind="group",
        blueprint=blueprint,
        words={"word": _l("Group"), "plural": _l("Groups"),
               "in_this": _l("In this group"), "mail": _l("Group mail"),
               "mine": _l("My groups"),
               "invite_hint": _l("The teacher is invited to the group; they join it when "
                                 "they accept the invitation in Live.")},
        list_endpoint="groups.index",
        nav=[],
        home_template="groups/_home.html",
        home_context=_home_context,
        hooks=GroupHooks(),
        public_view=None,
        readers=_readers,
        logo_is_public=_logo_is_public,
    )
