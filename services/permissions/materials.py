"""Rules of a space's materials, the consent register and files (T-4..T-6, T-9, T-16)."""
import datetime

from models import (Contact, Kit, MailMessage, MailRecipient, PartnerState, ProjectPartner,
                    Membership, Publication, PublicationFile, Role, Space, SpaceRole, User,
                    Validation, Visibility)
from models import (Consent, ConsentScope, MailAttachment, Material, MaterialKind,
                    MaterialPerson)
from services.permissions.people import *  # noqa: F401,F403
from services.permissions.spaces import *  # noqa: F401,F403

CONSENT_FIELD = {MaterialKind.IMAGE: "photo", MaterialKind.VIDEO: "video"}


def consent_allows_public(consent, kind, today=None):
    """Whether one pupil's consent lets a material of `kind` be public today."""
    today = today or datetime.date.today()
    field = CONSENT_FIELD.get(kind)
    return (consent is not None and field is not None and consent.scope == ConsentScope.PUBLIC
            and getattr(consent, field) and (consent.until is None or consent.until >= today))


def material_is_public(material, today=None):
    """A material shows in the public view only if its uploader marked it public and, for an
    image or a video, every pupil tagged in it has public consent for that kind, not expired.
    (The space must also have a public view: see can_see_public_view.)"""
    if not material.is_public or material.hidden_at is not None:
        return False
    if material.kind == MaterialKind.IMAGE and not material.alt_text:
        return False
    if material.kind not in CONSENT_FIELD:
        return True
    tagged = [p.user_id for p in MaterialPerson.select(MaterialPerson.user)
              .where(MaterialPerson.material == material.id)]
    if not tagged:
        return True
    consents = {c.student_id: c for c in Consent.select().where(
        Consent.space == material.space_id, Consent.student.in_(tagged))}
    return all(consent_allows_public(consents.get(uid), material.kind, today) for uid in tagged)


def public_materials(space, kind=None, today=None):
    """The materials of a space an anonymous visitor may see (bounded queries: three)."""
    query = Material.select().where(Material.space == space.id, Material.is_public == True,  # noqa: E712
                                    Material.hidden_at.is_null())
    if kind:
        query = query.where(Material.kind == kind)
    materials = [m for m in query.order_by(Material.created_at.desc())
                 if not (m.kind == MaterialKind.IMAGE and not m.alt_text)]
    if not materials:
        return []
    tags = {}
    for person in MaterialPerson.select().where(
            MaterialPerson.material.in_([m.id for m in materials])):
        tags.setdefault(person.material_id, []).append(person.user_id)
    consents = {c.student_id: c for c in Consent.select().where(Consent.space == space.id)}
    return [m for m in materials
            if m.kind not in CONSENT_FIELD
            or all(consent_allows_public(consents.get(uid), m.kind, today)
                   for uid in tags.get(m.id, []))]


def can_see_material(user, space, membership, material):
    """Inside the space: its members; outside: anybody, when the material is public and the
    space has a public view."""
    if material.space_id != space.id:
        return False
    if getattr(material, "hidden_at", None) is not None:  # hidden after a report (G-8)
        return is_space_teacher(user, space, membership)
    if can_read_space(user, space, membership):
        return True
    return can_see_public_view(space) and material_is_public(material)


def can_add_material(user, space, membership):
    """Uploading and linking materials, making folders: teachers and pupils of the space."""
    return (space_is_writable(space) and is_space_member(user, space, membership)
            and membership.role != SpaceRole.VISITOR)


def can_change_material(user, space, membership, material):
    """Editing or deleting a material: the space's teachers, and the pupil who added it
    (who changes only its words and may add tags: see can_curate_material)."""
    if (material.space_id != space.id or not space_is_writable(space)
            or not is_space_member(user, space, membership)):
        return False
    return (is_space_teacher(user, space, membership)
            or (membership.role == SpaceRole.STUDENT and material.created_by_id == user.id))


def can_curate_material(user, space, membership):
    """Marking a material public (or not), removing a pupil's tag, moving it to another
    folder: only the space's teachers, who keep the consent register. A pupil may tag
    classmates (that only protects them) but never untag one nor publish."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_manage_folders(user, space, membership):
    """Renaming and deleting albums and folders: the space's teachers."""
    return space_is_writable(space) and is_space_teacher(user, space, membership)


def can_read_consent(user, space, membership):
    """The consent register (T-16): only the space's teachers read it, in a kind of space
    that has pupils (a space of teachers only has no register)."""
    from blueprints.spaces import parents
    return (parents.of(space).member_types.adds_pupils
            and is_space_teacher(user, space, membership))


def can_manage_consent(user, space, membership):
    """Recording or changing a pupil's consent: the space's teachers."""
    return space_is_writable(space) and can_read_consent(user, space, membership)


def can_export_space(user, space, membership):
    """Downloading the whole space as a static HTML archive (T-17): its teachers."""
    return is_space_teacher(user, space, membership)


def can_see_material_file(user, stored):
    """The file of a material: members of its space and those its parent lets read it (an
    open group's teachers), or anybody if the material is public in a space with a public
    view. A material hidden after a report: the space's teachers only; an image still without
    its alt text: its uploader and the teachers."""
    material = Material.get_or_none(Material.file == stored.id)
    if material is None:
        return False
    space = material.space
    membership = is_logged_in(user) and Membership.get_or_none(
        (Membership.space == space.id) & (Membership.user == user.id))
    if material.hidden_at is not None:  # hidden by a moderator (G-8): the teachers only
        return bool(membership) and membership.role in SpaceRole.TEACHERS
    if membership:
        # An image still waiting for its alt text: its uploader (the owner) and the teachers.
        return (material.kind != MaterialKind.IMAGE or bool(material.alt_text)
                or membership.role in SpaceRole.TEACHERS)
    if can_read_space(user, space, None):
        return material.kind != MaterialKind.IMAGE or bool(material.alt_text)
    return can_see_public_view(space) and material_is_public(material)


def can_see_attachment(user, stored):
    """A mail attachment: whoever holds a copy of the very message it came with (its
    recipients and its sender; not everybody who holds some other message of the thread)."""
    if not is_logged_in(user):
        return False
    return (MailRecipient.select(MailRecipient.id)
            .join(MailAttachment, on=(MailAttachment.message == MailRecipient.message))
            .where(MailAttachment.file == stored.id, MailRecipient.user == user.id)
            .exists())


def can_download(user, stored):
    """A stored file: its owner, central staff, and whoever may see what it belongs to (a
    portal publication, a profile photo, a space logo, a space material, a mail attachment)."""
    if is_logged_in(user) and (stored.owner_id == user.id or user.role == Role.CSS):
        return True
    return (file_is_public(stored) or can_see_profile_photo(user, stored)
            or can_see_space_logo(user, stored) or can_see_material_file(user, stored)
            or can_see_attachment(user, stored) or can_see_member_photo(user, stored))
