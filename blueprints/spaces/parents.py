"""Kinds of space. Each parent (the TwinSpace of a project; a Group) is one `SpaceParent`
object, declared once by the parent's own package and registered here. The shared `spaces`
blueprint, its templates and the services reach their parent only through it (`g.space_parent`
during a request, `of(space)` outside one): they never name a parent's endpoints, URLs or
models.

A new kind of space is one object and one blueprint:

    bp = Blueprint("groups", __name__, url_prefix="/groups")
    GROUP = SpaceParent(kind="group", blueprint=bp, words={...}, nav=[...],
                        list_endpoint="groups.index", hooks=GroupHooks())
    register(GROUP)   # nests `spaces` under /groups/<id>, loads only spaces of kind "group"
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

from flask import abort, current_app, g, url_for
from flask_login import current_user

_PARENTS = {}   # kind -> SpaceParent, in registration order


@dataclass(frozen=True)
class NavEntry:
    """A link a parent adds to the shared navigation of its spaces: `endpoint` is the parent's
    own (relative to its blueprint, e.g. "diary"); `rule(user, space, membership)` says to whom
    it shows (None: every member); `label_for_teachers` replaces the label for teachers;
    `after` names the shared entry it follows (SHARED_NAV keys; None: at the end)."""
    label: object
    endpoint: str
    rule: Optional[Callable] = None
    label_for_teachers: object = None
    after: Optional[str] = None


@dataclass(frozen=True)
class MemberTypes:
    """The kinds of member a space has and which forms its members page shows. The default is
    a space of teachers, pupils and guests, where a teacher may "run the space"; a kind of
    space made only of teachers declares its own (e.g. runners and members, no pupils)."""
    # type code -> (label, roles of that type), in the order the list shows them
    types: dict = None
    runner_role: str = "admin"      # the role of the teachers who run the space
    teacher_role: str = "teacher"   # a teacher who does not run it
    runner_label: object = None     # the name of each, in "Change type"
    teacher_label: object = None
    adds_pupils: bool = True        # "Add pupils" and "Add a guest"
    adds_outside_teachers: bool = True   # "Add a teacher from another country"

    def all_types(self):
        if self.types is not None:
            return self.types
        from flask_babel import lazy_gettext as _l

        from models import SpaceRole
        return {"teacher": (_l("Teacher"), (SpaceRole.ADMIN, SpaceRole.TEACHER,
                                            SpaceRole.MODERATOR, SpaceRole.MEMBER)),
                "pupil": (_l("Pupil"), (SpaceRole.STUDENT,)),
                "guest": (_l("Guest"), (SpaceRole.VISITOR,))}

    def type_of(self):
        """role -> type code."""
        return {role: code for code, (_label, roles) in self.all_types().items()
                for role in roles}

    def names(self):
        return {code: label for code, (label, _roles) in self.all_types().items()}

    def teacher_choices(self):
        """(role, label) a teacher member may be given."""
        from flask_babel import gettext as _
        return [(self.teacher_role, self.teacher_label or _("Teacher")),
                (self.runner_role, self.runner_label or _("Teacher who runs the space"))]


class Hooks:
    """What happens around membership. The defaults do nothing: a kind of space overrides what
    it needs (a TwinSpace keeps its project's partners in step)."""

    def permanent_member_ids(self, space):
        """Members who may not be removed (their removal would need another way out)."""
        return set()

    def removal_problem(self, space, member):
        """Why `member` may not be removed now (text), or None."""
        return None

    def joined(self, space, user, role):
        """After a teacher was added to the space directly (not by invitation)."""

    def left(self, space, member):
        """After `member` (a Membership, already deleted) left the space."""

    def invite(self, space, person, inviter):
        """Invite a platform teacher; return (ok, message) for the inviter. By default they
        join at once, as a teacher of the space."""
        from flask_babel import gettext as _

        from models import SpaceRole
        from services import spaces
        spaces.join(space, person, SpaceRole.TEACHER)
        return True, _("%(name)s is now a teacher of the space.", name=person.name)

    # And what a kind of space adds to the export (T-17).

    def export_sections(self, space):
        """Files the kind of space adds to the space's archive beside its pages and materials
        (a TwinSpace's diary): a list of services.export.Section."""
        return []

    def export_back(self, space):
        """(url, label) of the parent's page that offers the export, for the export page's
        back link; None: no back link."""
        return None


@dataclass
class SpaceParent:
    """What differs between kinds of space, declared once."""
    kind: str                       # Space.kind of its spaces
    blueprint: object               # the parent's Blueprint, with its url_prefix
    words: dict                     # lazy texts: "word", "plural", "in_this", "mail", "mine",
    #                                 "invite_hint" (what inviting a teacher does)
    list_endpoint: str              # where "my spaces of this kind" are listed
    nav: list = field(default_factory=list)
    home_template: Optional[str] = None     # the parent's part of the space's home (included)
    home_context: Optional[Callable] = None  # (space, membership) -> dict for that template
    hooks: Hooks = field(default_factory=Hooks)
    public_view: Optional[Callable] = None   # (space) -> whether it shows things publicly
    readers: Optional[Callable] = None       # (user, space) -> whether a logged-in non-member
    #                                          may read it (permissions.can_read_space)
    logo_is_public: Optional[Callable] = None  # (space) -> whether anybody may see its logo
    #                                     beyond the public view (a space listed publicly)
    member_types: MemberTypes = field(default_factory=MemberTypes)  # who its members are
    members_extra: Optional[str] = None      # a template the members page includes above the
    #                                          list (what the parent adds: pending requests)
    members_context: Optional[Callable] = None  # (space, membership) -> dict for that template

    @property
    def name(self):
        return self.blueprint.name

    def endpoint(self, endpoint):
        """The full endpoint of a shared space page ("pages" -> "<parent>.spaces.pages")."""
        return f"{self.name}.spaces.{endpoint}"

    def url(self, endpoint, **values):
        """A shared space page of this parent (space_id from the request when inside one)."""
        return url_for(self.endpoint(endpoint), **values)

    def own_url(self, endpoint, **values):
        """One of the parent's own pages ("diary")."""
        return url_for(f"{self.name}.{endpoint}", **values)

    def relative(self, endpoint):
        """The request's endpoint without this parent's prefix: "spaces.pages", "diary"."""
        prefix = self.name + "."
        return endpoint[len(prefix):] if endpoint and endpoint.startswith(prefix) else ""

    def load_space(self, endpoint, values):
        """URL value preprocessor: `space_id` -> g.space (of this kind only, else 404),
        g.membership and g.space_parent."""
        from services import spaces
        g.space = g.membership = None
        g.space_parent = self
        if values and "space_id" in values:
            space_id = values.pop("space_id")
            g.space, g.membership = spaces.with_membership(space_id, self.kind, current_user)
            if g.space is None:
                abort(404)


def add_space_id(endpoint, values):
    """URL defaults: links inside a space keep pointing into the same space."""
    space = getattr(g, "space", None)
    if (space is not None and "space_id" not in values
            and current_app.url_map.is_endpoint_expecting(endpoint, "space_id")):
        values["space_id"] = space.id


def register(parent, shared_blueprint):
    """Make `parent` a kind of space: its blueprint loads its spaces and nests the shared one
    at /<space_id>. Called once at import time (never inside create_app)."""
    bp = parent.blueprint
    bp.url_value_preprocessor(parent.load_space)
    bp.url_defaults(add_space_id)
    bp.register_blueprint(shared_blueprint, url_prefix="/<int:space_id>")
    _PARENTS[parent.kind] = parent
    return parent


def all_parents():
    return list(_PARENTS.values())


def for_kind(kind):
    return _PARENTS[kind]


def of(space):
    """The parent of a Space row."""
    return _PARENTS[space.kind]


def url_for_space(space, endpoint, **values):
    """A shared page of `space` under its own parent, from anywhere (Live mail, a notification):
    url_for_space(space, "mail_thread", thread_id=3)."""
    return of(space).url(endpoint, space_id=space.id, **values)


def current():
    """The parent of this request's space (None outside a space)."""
    return getattr(g, "space_parent", None)


def space_url(endpoint, **values):
    """For templates: a shared page of the current space, under its own parent."""
    return g.space_parent.url(endpoint, **values)


# The shared entries of every space's navigation: (key, label, endpoint, endpoints it covers,
# rule). The mail entry's label is the parent's word for it.
def _shared_nav():
    from flask_babel import lazy_gettext as _l
    from services import permissions
    return [
        ("home", _l("Home"), "home", ("home",), None),
        ("pages", _l("Pages"), "pages", ("page",), None),
        ("materials", _l("Materials"), "materials", ("material", "folder"), None),
        ("forums", _l("Forums"), "forums", ("forum", "discussion"), None),
        ("live", _l("Chat and calls"), "live", ("live",), permissions.can_use_space_chat),
        ("members", _l("Members"), "members", ("member",), None),
        ("mail", None, "mail", ("mail",), permissions.is_space_member),
        ("consent", _l("Consent"), "consent", ("consent",), permissions.can_read_consent),
        ("reports", _l("Reports"), "reports", ("report",), permissions.can_handle_space_reports),
    ]


def navigation(user, space, membership, endpoint):
    """The space's navigation for this member: [{label, url, current, key}], the shared entries
    with the parent's own placed among them."""
    from services import permissions
    parent = g.space_parent
    here = parent.relative(endpoint or "")
    teacher = permissions.is_space_teacher(user, space, membership)
    items = []
    for key, label, target, covers, rule in _shared_nav():
        if rule is not None and not rule(user, space, membership):
            continue
        current = (here == "spaces.home") if key == "home" else any(
            here.startswith("spaces." + prefix) for prefix in covers)
        item = {"key": key, "label": label or parent.words["mail"],
                "url": parent.url(target), "current": current}
        if key == "reports":
            from blueprints.spaces.reports import open_count
            item["count"] = open_count(space)
        items.append(item)
    for entry in parent.nav:
        if entry.rule is not None and not entry.rule(user, space, membership):
            continue
        label = entry.label_for_teachers if (teacher and entry.label_for_teachers) \
            else entry.label
        item = {"key": entry.endpoint, "label": label, "url": parent.own_url(entry.endpoint),
                "current": here == entry.endpoint or here.startswith(entry.endpoint + "_")}
        keys = [i["key"] for i in items]
        if entry.after in keys:
            # After the named entry and any parent entries already placed after it.
            at = keys.index(entry.after) + 1
            while at < len(items) and items[at].get("after") == entry.after:
                at += 1
            item["after"] = entry.after
            items.insert(at, item)
        else:
            items.append(item)
    return items
