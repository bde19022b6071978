"""Users of each role, fast (the password hash is computed once for the whole run), and
spaces of each kind, made the way that kind is made."""
import itertools

from models import Group, GroupState, Project, Role, School, Space, SpaceRole, User, utcnow
from services import accounts, spaces

PASSWORD = "correct horse battery"
_HASH = accounts.hash_password(PASSWORD)
_counter = itertools.count(1)


def make_school(country="ES", name=None, city="Madrid"):
    return School.create(country=country, name=name or f"School {next(_counter)}", city=city)


def make_user(role=Role.TEACHER, *, email=None, username=None, name=None, country="ES",
              school=None, confirmed=True, validated=True, language="en", disabled=False,
              **extra):
    n = next(_counter)
    if role in (Role.STUDENT, Role.VISITOR) and email is None:
        username = username or f"pupil{n}"
    else:
        email = email or f"{role}{n}@example.org"
    if role == Role.CSS and country == "ES":
        country = None
    user = accounts.create_user(role=role, name=name or f"{role.title()} {n}", email=email,
                                username=username, password_hash=_HASH, country=country,
                                school=school, confirmed=confirmed, validated=validated,
                                language=language, **extra)
    if disabled:
        user.disabled = True
        user.save()
    return user


def reload(user):
    return User.get_by_id(user.id)


def _twinspace(teacher, public, title):
    """A TwinSpace comes with its project, founded by `teacher`."""
    project = Project.create(title=title, description="d", founder=teacher, is_public=public)
    return Space.create(kind="twinspace", title=title, project=project)


def _group(teacher, public, title):
    """An active group by invitation only (an open one lets any teacher read it: the Groups
    tests cover that), created by `teacher`; groups have no public view."""
    space = Space.create(kind="group", title=title, description="d")
    Group.create(space=space, creator=teacher, state=GroupState.ACTIVE, is_open=False,
                 approved_at=utcnow())
    return space


# How each kind of space is made: kind -> (teacher, public, title) -> Space. A new kind of
# space (Groups) is one more entry; the `space_kind` fixture (tests/conftest.py) runs the
# shared-feature tests once per entry.
SPACE_FACTORIES = {
    "twinspace": _twinspace,
    "group": _group,
}
# The role of the teacher who runs a space of each kind.
RUNNER_ROLES = {"twinspace": SpaceRole.ADMIN, "group": SpaceRole.MODERATOR}


def make_space(teacher, kind="twinspace", *, public=True, title="Rivers"):
    """A space of `kind`, run by `teacher` (its admin; a group's moderator)."""
    space = SPACE_FACTORIES[kind](teacher, public, title)
    spaces.join(space, teacher, RUNNER_ROLES[kind])
    return space


def make_group(staff, title, *, description="d", topics="", languages=("en",), state="active",
               featured=False, creator=None, is_open=True):
    """A group through its state machine (services/groups.py): requested by `creator` (a new
    teacher by default), then taken by central `staff` to `state`."""
    from services import groups
    creator = creator or make_user()
    g = groups.create(creator, title=title, description=description, objectives="o",
                      is_open=is_open, languages=languages, topics=topics)
    if state in ("active", "closed"):
        groups.act(g, "approve", staff)
    if state == "closed":
        groups.act(g, "close", staff)
    if state == "rejected":
        groups.act(g, "reject", staff, "no")
    if state == "needs_info":
        groups.act(g, "ask_info", staff, "why?")
    if featured:
        groups.act(g, "feature", staff)
    return g
