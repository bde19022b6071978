"""A space's members (T-12): the list for every member; for the space's teachers, adding
pupils and guests (with a printable sheet of their passwords, shown once), inviting or adding
teachers, changing a member's type, removing a member, resetting a pupil's password and
writing to everybody."""
import re
import secrets
import unicodedata

from flask import abort, current_app, g, make_response, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from peewee import Case

from blueprints.spaces import bp
from blueprints.spaces.access import space_required, teaching_here
from blueprints.spaces.member_forms import (GuestForm, InviteTeacherForm, MessageForm,
                                            OutsideTeacherForm, PupilsForm, TypeForm,
                                            name_lines)
from models import Membership, Role, SpaceRole, User, db
from services import accounts, audit, mailbox, permissions, spaces
from services.paging import Page
from web import external_url, go, page_arg, render

teachers_only = space_required(permissions.can_manage_members)

# What a member is, for people: the roles of a membership grouped in three types (a kind of
# space may declare its own types: SpaceParent.member_types; these are the default).
TYPES = {
    "teacher": (SpaceRole.ADMIN, SpaceRole.TEACHER, SpaceRole.MODERATOR, SpaceRole.MEMBER),
    "pupil": (SpaceRole.STUDENT,),
    "guest": (SpaceRole.VISITOR,),
}
TYPE_NAMES = {"teacher": _l("Teacher"), "pupil": _l("Pupil"), "guest": _l("Guest")}
TYPE_OF = {role: kind for kind, roles in TYPES.items() for role in roles}
ROLE_ORDER = Case(Membership.role, [(SpaceRole.ADMIN, 0), (SpaceRole.TEACHER, 1),
                                    (SpaceRole.MODERATOR, 0), (SpaceRole.MEMBER, 1),
                                    (SpaceRole.STUDENT, 2),
                                    (SpaceRole.VISITOR, 3)], 4)

# Short, common, easy-to-type words for passwords a pupil copies from a sheet of paper.
WORDS = (
    "acorn amber apple arrow aspen badge baker banjo basil beach berry birch bison blaze bloom "
    "bread brick brook brush cabin cable camel candy canoe cargo cedar chalk charm cherry chess "
    "chick cider cliff cloud clover coast cocoa comet coral cotton crane crisp crown daisy delta "
    "dingo dolphin dove dream drum eagle earth easel ember fable falcon fern field finch flame "
    "flute forest fox frost fruit gecko giant ginger glade globe goose grape grass gull harbor "
    "hazel heron hill honey horse igloo iris island ivory jade jelly jolly juice kayak kettle "
    "kiwi koala lake lemon lilac lily lime lion llama lotus lucky lunar mango maple marble "
    "meadow melon mint moon moose mossy music nest noble north nutmeg oasis ocean olive onion "
    "orbit otter owl panda paper peach pearl pebble pepper piano pilot pine pixel planet plum "
    "polar pony poppy prism puffin quail quartz quiet rabbit radar rain raven reef river robin "
    "rocket rose ruby saddle salmon sand seal shell silver sky snow solar spark spice spring "
    "squid star stone storm sugar summer sun swan tiger toast topaz tulip tundra turtle valley "
    "velvet violet walnut water whale wheat willow wind wolf yak zebra"
).split()

SHEET_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def readable_password():
    """Three short words and two digits, e.g. "otter-maple-frost-42" (about 33 bits)."""
    words = [secrets.choice(WORDS) for _i in range(3)]
    return "-".join(words) + f"-{secrets.randbelow(100):02d}"


def _slug(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return ".".join(re.findall(r"[a-z0-9]+", text))[:40].strip(".")


def username_for(name, space):
    """A free username made of the name and the space: "lucia.perez.12", then "lucia.perez.12b"…"""
    base = f"{_slug(name) or 'pupil'}.{space.id}"
    taken = {u for (u,) in User.select(User.username)
             .where(User.username.startswith(base)).tuples()}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _create_member(name, role, space_role, email=None):
    """An account made by a teacher (pupil or guest) that joins this space; with its password."""
    password = readable_password()
    for _attempt in range(5):
        try:
            user = accounts.create_user(role=role, name=name, email=email,
                                        username=username_for(name, g.space),
                                        password=password, country=current_user.country,
                                        language=current_user.language, validated=True)
            break
        except accounts.AccountExists:
            if email and User.by_login(email):
                raise
    else:
        raise accounts.AccountExists(name)
    spaces.join(g.space, user, space_role)
    return user, password


def _sheet(people, title):
    """The printable sheet of new passwords: shown in this response only, never stored."""
    body, status = render("spaces/member_sheet.html", people=people, title=title,
                          login_url=external_url("auth.login"))
    response = make_response(body, status)
    response.headers.update(SHEET_HEADERS)
    return response


def _member_or_404(user_id):
    """The membership of `user_id` in this space (a member of another space does not exist)."""
    return (Membership.select(Membership, User).join(User)
            .where(Membership.space == g.space, Membership.user == user_id)
            .first()) or abort(404)


def _types():
    """The member types of this space's parent."""
    return g.space_parent.member_types


def _admin_count():
    """How many members run the space."""
    return (Membership.select().where(Membership.space == g.space,
                                      Membership.role == _types().runner_role).count())


def _adding(what):
    """Only the forms the parent offers exist (404 otherwise)."""
    if not getattr(_types(), what):
        abort(404)


@bp.route("/members")
@space_required()
def members():
    """Every member with their type; search by name, filter by type."""
    q = (request.args.get("q") or "").strip()[:120]
    kind = request.args.get("type", "")
    all_types = _types().all_types()
    kind = kind if kind in all_types else ""
    query = (Membership.select(Membership, User).join(User)
             .where(Membership.space == g.space))
    if q:
        query = query.where(User.name.contains(q))
    if kind:
        query = query.where(Membership.role.in_(all_types[kind][1]))
    query = query.order_by(ROLE_ORDER, User.name, User.id)
    pagination = Page.of_query(query, page_arg(), per_page=50)
    parent = g.space_parent
    extra = parent.members_context(g.space, g.membership) if parent.members_context else {}
    return render("spaces/members.html", partials={"member-list": "spaces/_member_list.html"},
                  pagination=pagination, q=q, kind=kind, types=_types().names(),
                  type_of=_types().type_of(), member_types=_types(),
                  is_teacher=teaching_here(),
                  may_manage=permissions.can_manage_members(current_user, g.space, g.membership),
                  permanent=g.space_parent.hooks.permanent_member_ids(g.space), **extra)


@bp.route("/members/pupils/new", methods=["GET", "POST"])
@teachers_only
def members_add_pupils():
    """Add pupils, one per line; the answer is the sheet of their usernames and passwords."""
    _adding("adds_pupils")
    form = PupilsForm()
    if form.validate_on_submit():
        with db.atomic():
            people = [_create_member(name, Role.STUDENT, SpaceRole.STUDENT)
                      for name in name_lines(form.names.data)]
        return _sheet(people, ngettext("%(num)d pupil added", "%(num)d pupils added",
                                       len(people)))
    return render("spaces/member_pupils.html", form=form)


@bp.route("/members/guests/new", methods=["GET", "POST"])
@teachers_only
def members_add_guest():
    """Add a guest (a parent, a head teacher) with a username and a password."""
    _adding("adds_pupils")
    form = GuestForm()
    if form.validate_on_submit():
        try:
            with db.atomic():
                person = _create_member(form.name.data, Role.VISITOR, SpaceRole.VISITOR,
                                        email=form.email.data or None)
        except accounts.AccountExists:
            form.email.errors.append(_("This e-mail address already belongs to an account"))
        else:
            return _sheet([person], _("Guest added"))
    return render("spaces/member_guest.html", form=form)


def _invitable(person):
    return (person is not None and person.role == Role.TEACHER and not person.disabled
            and person.is_validated)


@bp.route("/members/teachers/invite", methods=["GET", "POST"])
@teachers_only
def members_invite_teacher():
    """Invite a validated teacher of the platform, as the space's parent does it (a TwinSpace
    through its project: they join when they accept in Live)."""
    form = InviteTeacherForm()
    if form.validate_on_submit():
        person = User.by_login(form.email.data)
        if not _invitable(person):
            form.email.errors.append(_("There is no validated teacher with this e-mail "
                                       "address on OpenTwin"))
            return render("spaces/member_invite.html", form=form)
        here = url_for(".members")
        if spaces.membership(g.space, person) is not None:
            return go(here, _("%(name)s is already a member.", name=person.name), "info")
        ok, message = g.space_parent.hooks.invite(g.space, person, current_user)
        return go(here, message, "success" if ok else "info")
    return render("spaces/member_invite.html", form=form)


@bp.route("/members/teachers/new", methods=["GET", "POST"])
@teachers_only
def members_add_teacher():
    """Add a teacher from a country outside the platform's list with their details: an
    account whose password they set through "Forgotten password". Like every new teacher it
    waits for validation (L-15) — by central staff, as no national staff covers the country —
    and meanwhile works in this space; who added it is kept for them to see."""
    _adding("adds_outside_teachers")
    form = OutsideTeacherForm()
    if form.validate_on_submit():
        try:
            with db.atomic():
                person = accounts.create_user(role=Role.TEACHER, name=form.name.data,
                                              email=form.email.data,
                                              password=secrets.token_urlsafe(24),
                                              country=form.country.data,
                                              language=current_user.language)
                person.added_by = current_user.id
                person.save(only=[User.added_by])
                spaces.join(g.space, person, _types().teacher_role)
                g.space_parent.hooks.joined(g.space, person, _types().teacher_role)
        except accounts.AccountExists:
            form.email.errors.append(_("This e-mail address already belongs to an account: "
                                       "invite the teacher instead"))
        else:
            return go(url_for(".members"),
                      _("%(name)s is now a teacher of the space. Ask them to choose a password "
                        "with “Forgotten password” on the log-in page, using %(email)s. Central "
                        "support staff will validate the account.",
                        name=person.name, email=person.email))
    return render("spaces/member_teacher.html", form=form)


def _type_choices(person):
    if person.role in (Role.STUDENT, Role.VISITOR) and _types().adds_pupils:
        return [(SpaceRole.STUDENT, _("Pupil")), (SpaceRole.VISITOR, _("Guest"))]
    if person.role == Role.TEACHER:
        return _types().teacher_choices()
    return []


@bp.route("/members/<int:user_id>/type", methods=["GET", "POST"])
@teachers_only
def member_type(user_id):
    """Pupil or guest for accounts teachers made; for teachers, whether they run the space
    (as the parent names it: teacher or admin; member or moderator)."""
    member = _member_or_404(user_id)
    choices = _type_choices(member.user)
    if not choices:
        abort(404)
    form = TypeForm(choices=choices)
    if request.method == "GET":
        form.role.data = member.role
    if form.validate_on_submit():
        new = form.role.data
        runner = _types().runner_role
        if member.role == runner and new != runner and _admin_count() <= 1:
            form.role.errors.append(_("The space needs at least one teacher who runs it: "
                                      "make another teacher run it first"))
        else:
            old = member.role
            with db.atomic():
                member.role = new
                member.save()
                if old != new:
                    audit.record(current_user, "role.change", member,
                                 detail=f"{g.space.kind} “{g.space.title}”: {old} → {new}")
            return go(url_for(".members"),
                      _("%(name)s is now: %(type)s.", name=member.user.name,
                        type=dict(choices)[new]))
    return render("spaces/member_type.html", form=form, member=member)


def _removal_problem(member):
    problem = g.space_parent.hooks.removal_problem(g.space, member)
    if problem:
        return problem
    if member.role == _types().runner_role and _admin_count() <= 1:
        return _("%(name)s is the only teacher who runs the space: make another teacher run "
                 "it first.", name=member.user.name)
    return None


@bp.route("/members/<int:user_id>/remove", methods=["GET", "POST"])
@teachers_only
def member_remove(user_id):
    """Ask first, then take a member out of the space (unless its parent keeps them: a
    project's founder stays in its TwinSpace)."""
    member = _member_or_404(user_id)
    problem = _removal_problem(member)
    if request.method == "POST":
        here = url_for(".members")
        if problem:
            return go(here, problem, "error")
        name = member.user.name
        with db.atomic():
            spaces.leave(g.space, member.user_id)
            spaces.retire_if_spaceless(member.user)
            g.space_parent.hooks.left(g.space, member)
            if member.user_id != current_user.id:
                audit.record(current_user, "member.remove", member,
                             detail=f"{g.space.kind} “{g.space.title}” ({member.role})")
        if member.user_id == current_user.id:
            return go(url_for(g.space_parent.list_endpoint), _("You left the space."))
        return go(here, _("%(name)s is no longer a member.", name=name))
    return render("spaces/member_remove.html", member=member, problem=problem)


@bp.route("/members/<int:user_id>/password", methods=["GET", "POST"])
@space_required(permissions.is_space_teacher)
def member_password(user_id):
    """Give a pupil (or guest) a new password; their open sessions end (also in a closed
    space, which its pupils may still read)."""
    member = _member_or_404(user_id)
    if not permissions.can_reset_member_password(current_user, g.space, g.membership,
                                                 member.user):
        abort(404)
    if request.method == "POST":
        password = readable_password()
        with db.atomic():
            accounts.set_password(member.user, password)
            audit.record(current_user, "password.reset", member,
                         detail=f"{g.space.kind} “{g.space.title}”")
        return _sheet([(member.user, password)], _("New password"))
    return render("spaces/member_password.html", member=member)


@bp.route("/members/message", methods=["GET", "POST"])
@teachers_only
def members_message():
    """Write one message to every other member of the space, pupils too."""
    form = MessageForm()
    recipients = [m.user for m in mailbox.space_recipients(g.space, current_user)
                  .order_by(User.name)]
    if form.validate_on_submit():
        if not recipients:
            form.body.errors.append(_("The space has no other members to write to yet"))
        else:
            mailbox.compose(current_user._get_current_object(), form.subject.data,
                            form.body.data, recipients, current_app.config, space=g.space)
            return go(url_for(".members"),
                      ngettext("Message sent to %(num)d member.",
                               "Message sent to %(num)d members.", len(recipients)))
    return render("spaces/member_message.html", form=form, count=len(recipients))
