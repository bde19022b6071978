"""Who is in which space: keeps memberships in step with a project's teachers."""
from peewee import JOIN

from models import Membership, Role, Space, SpaceRole, db, utcnow


def join(space, user, role=SpaceRole.TEACHER):
    """Make `user` a member of `space` (an existing membership keeps its role)."""
    if space is None:
        return None
    with db.atomic():
        member, _created = Membership.get_or_create(space=space, user=getattr(user, "id", user),
                                                    defaults={"role": role})
    return member


def leave(space, user):
    if space is not None:
        (Membership.delete()
         .where(Membership.space == space, Membership.user == getattr(user, "id", user))
         .execute())


def close(space, when=None):
    """Make the space read-only from `when` on (see permissions.space_is_writable)."""
    if space is not None and space.closed_at is None:
        space.closed_at = when or utcnow()
        space.save(only=[Space.closed_at])


def reopen(space):
    """Make a closed space writable again."""
    if space is not None and space.closed_at is not None:
        space.closed_at = None
        space.save(only=[Space.closed_at])


def membership(space, user):
    if space is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.get_or_none((Membership.space == space) & (Membership.user == user.id))


def with_membership(space_id, kind, user):
    """(the space of that kind, or None; `user`'s membership in it, or None) in one query:
    every page of a space needs both."""
    this = (Space.id == space_id) & (Space.kind == kind)
    if user is None or not getattr(user, "is_authenticated", False):
        return Space.get_or_none(this), None
    mine = (Membership.space == Space.id) & (Membership.user == user.id)
    space = (Space.select(Space, Membership)
             .join(Membership, JOIN.LEFT_OUTER, on=mine, attr="my_membership")
             .where(this).first())
    if space is None:
        return None, None
    membership = space.__dict__.pop("my_membership", None)
    if membership is None or membership.id is None:
        return space, None
    membership.space = space
    return space, membership


def spaces_of(user, kind=None):
    """My spaces (of one kind, if given) with my role in each, newest first."""
    query = (Membership.select(Membership, Space)
             .join(Space)
             .where(Membership.user == user.id))
    if kind is not None:
        query = query.where(Space.kind == kind)
    return list(query.order_by(Space.created_at.desc()))


def retire_if_spaceless(user):
    """A pupil or guest exists only for their spaces: out of the last one, the account is
    disabled and its sessions end (a teacher who wants them back adds them anew)."""
    if user.role not in (Role.STUDENT, Role.VISITOR):
        return False
    if Membership.select().where(Membership.user == user.id).exists():
        return False
    user.disabled = True
    user.rotate_session_token()
    user.save()
    return True
