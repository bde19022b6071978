"""The consent register of a space (T-16): per pupil, what the family agreed to (photos,
video, voice, real name), whether only inside the space or also in public, and until when.

Only the space's teachers read and keep it; for anybody else it does not exist (404). The
public view reads it through permissions.material_is_public / public_materials."""
import datetime

from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from blueprints.spaces.consent_forms import ConsentForm
from models import Consent, ConsentScope, Membership, SpaceRole, User, db, utcnow
from services import permissions
from web import go, render

consent_readers = space_required(permissions.can_read_consent)
consent_keepers = space_required(permissions.can_manage_consent)


def _pupils():
    """The pupils of the space, by name (one query)."""
    return list(User.select().join(Membership, on=(Membership.user == User.id))
                .where(Membership.space == g.space, Membership.role == SpaceRole.STUDENT)
                .order_by(User.name, User.id))


def _pupil_or_404(user_id):
    pupil = (User.select().join(Membership, on=(Membership.user == User.id))
             .where(Membership.space == g.space, Membership.role == SpaceRole.STUDENT,
                    User.id == user_id).first())
    return pupil or abort(404)


@bp.route("/consent")
@consent_readers
def consent():
    """The register: every pupil of the space with what their family agreed to."""
    pupils = _pupils()
    consents = {c.student_id: c for c in Consent.select().where(Consent.space == g.space)}
    return render("spaces/consent.html", rows=[(p, consents.get(p.id)) for p in pupils],
                  today=datetime.date.today(), public=ConsentScope.PUBLIC,
                  may_change=permissions.can_manage_consent(current_user, g.space,
                                                            g.membership))


@bp.route("/consent/<int:user_id>", methods=["GET", "POST"])
@consent_keepers
def consent_edit(user_id):
    """Record or change one pupil's consent."""
    pupil = _pupil_or_404(user_id)
    record = Consent.get_or_none((Consent.space == g.space) & (Consent.student == pupil.id))
    form = ConsentForm(obj=record)
    if form.validate_on_submit():
        with db.atomic():
            record = record or Consent(space=g.space, student=pupil.id)
            for kind in ConsentForm.KINDS:
                setattr(record, kind, bool(getattr(form, kind).data))
            record.scope = form.scope.data
            record.until = form.until.data
            record.note = (form.note.data or "").strip()
            record.updated_by = current_user.id
            record.updated_at = utcnow()
            record.save()
        message = _("The consent of %(name)s is saved.", name=pupil.name)
        if record.until and record.until < datetime.date.today():
            message += " " + _("Its end date has passed, so it counts as expired.")
        return go(url_for(".consent") + f"#pupil-{pupil.id}", message)
    return render("spaces/consent_form.html", form=form, pupil=pupil, record=record,
                  back=url_for(".consent"))
