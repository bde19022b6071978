"""Live: my profile (L-1) — how others see it, how complete it is, and editing it with the
privacy of each field. A refused teacher answers the refusal by saving it (L-15)."""
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FileField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, ValidationError)
from wtforms.validators import DataRequired, Length

from blueprints.auth.forms import single_line
from blueprints.live import bp
from blueprints.richtext_forms import RichText
from models import School, Validation, Visibility, db
from services import permissions, search, storage
from services.reference import (AGE_RANGES, COMMUNITY_ROLES, CONTENT_LANGUAGES, SUBJECTS,
                                language_choices)
from services.sanitize import rich_text
from web import go, render, require

UPLOAD_MESSAGES = {
    "empty": _l("The file is empty: choose another photo"),
    "too_large": _l("The photo is too large: choose one under 15 MB"),
    "not_pdf": _l("The file must be a JPEG, PNG, GIF or WebP image"),
    "not_image": _l("The file must be a JPEG, PNG, GIF or WebP image"),
    "no_space": storage.NO_SPACE_MESSAGE,
}

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anybody, also without logging in"),
    Visibility.MEMBERS: _l("Members: people logged in to OpenTwin"),
    Visibility.CONTACTS: _l("Only my contacts"),
}

# Beside each field of "What others see".
SEEN_BY = {
    Visibility.PUBLIC: _l("Seen by: everybody"),
    Visibility.MEMBERS: _l("Seen by: members"),
    Visibility.CONTACTS: _l("Seen by: your contacts"),
}

# The fields whose privacy the owner chooses, with the question each radio group asks.
VISIBILITY_FIELDS = {
    "name": _l("Who can see your name?"),
    "photo": _l("Who can see your photo?"),
    "school": _l("Who can see your school?"),
    "subjects": _l("Who can see your subjects?"),
    "age_ranges": _l("Who can see the ages of your pupils?"),
    "languages": _l("Who can see your languages?"),
    "offer": _l("Who can see what you can offer?"),
}

# What the completeness meter counts: (field, how it is named, the id to jump to on the form).
COMPLETENESS = (
    ("photo", _l("A photo"), "photo"),
    ("school", _l("Your school"), "school"),
    ("subjects", _l("The subjects you teach"), "subjects-0"),
    ("age_ranges", _l("The ages of your pupils"), "age_ranges-0"),
    ("languages", _l("The languages you speak"), "languages-0"),
    ("offer", _l("What you can offer partners"), "offer"),
)

OFFER_MAX = 2000


def _choose_visibility(form, field):
    if field.data not in Visibility.ALL:
        raise ValidationError(_l("Choose who can see it: public, members or only your contacts"))


def _visibility_field(question):
    return RadioField(question, validate_choice=False, validators=[_choose_visibility],
                      choices=[(level, VISIBILITY_LABELS[level]) for level in Visibility.ALL])


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[single_line], validators=[
        DataRequired(_l("Enter your full name")),
        Length(max=120, message=_l("Enter a name of at most 120 characters"))])
    vis_name = _visibility_field(VISIBILITY_FIELDS["name"])
    photo = FileField(_l("Photo"))
    remove_photo = BooleanField(_l("Remove my photo"))
    vis_photo = _visibility_field(VISIBILITY_FIELDS["photo"])
    school = SelectField(_l("School"), validate_choice=False)
    community_role = SelectField(_l("Your role at school"), validate_choice=False)
    vis_school = _visibility_field(VISIBILITY_FIELDS["school"])
    subjects = SelectMultipleField(_l("Subjects you teach"), validate_choice=False)
    vis_subjects = _visibility_field(VISIBILITY_FIELDS["subjects"])
    age_ranges = SelectMultipleField(_l("Ages of your pupils"), validate_choice=False)
    vis_age_ranges = _visibility_field(VISIBILITY_FIELDS["age_ranges"])
    languages = SelectMultipleField(_l("Languages you speak"), validate_choice=False)
    vis_languages = _visibility_field(VISIBILITY_FIELDS["languages"])
    offer = TextAreaField(_l("What I can offer"), validators=[
        RichText(OFFER_MAX, _l("Enter at most 2000 characters about what you can offer"))])
    vis_offer = _visibility_field(VISIBILITY_FIELDS["offer"])

    def __init__(self, *args, user, locale="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.subjects.choices = sorted(((code, str(name)) for code, name in SUBJECTS.items()),
                                       key=lambda choice: choice[1].casefold())
        self.age_ranges.choices = [(code, str(name)) for code, name in AGE_RANGES.items()]
        self.languages.choices = language_choices(locale)
        self.community_role.choices = [(code, str(name))
                                       for code, name in COMMUNITY_ROLES.items()]
        self.schools = list(School.of_country(user.country)) if user.country else []
        if user.school_id and user.school_id not in {s.id for s in self.schools}:
            self.schools.insert(0, user.school)
        choices = [(str(s.id), f"{s.name} — {s.city}" if s.city else s.name)
                   for s in self.schools]
        if not user.school_id:
            choices.insert(0, ("", _l("Choose your school")))
        self.school.choices = choices

    def validate_community_role(self, field):
        if not field.data:
            field.data = self.user.community_role  # a form from before the field existed
        if field.data not in COMMUNITY_ROLES:
            raise ValidationError(_l("Choose your role from the list"))

    def validate_school(self, field):
        if field.data and field.data not in {str(s.id) for s in self.schools}:
            raise ValidationError(_l("Choose a school from the list for your country"))

    def validate_subjects(self, field):
        if not set(field.data or ()) <= set(SUBJECTS):
            raise ValidationError(_l("Choose subjects from the list"))

    def validate_age_ranges(self, field):
        if not set(field.data or ()) <= set(AGE_RANGES):
            raise ValidationError(_l("Choose age ranges from the list"))

    def validate_languages(self, field):
        if not set(field.data or ()) <= set(CONTENT_LANGUAGES):
            raise ValidationError(_l("Choose languages from the list"))


def completeness(user, subjects, age_ranges, languages):
    """How much of the profile is filled in: (percent, [(label, anchor) of what is missing])."""
    have = {"photo": bool(user.photo_id), "school": bool(user.school_id),
            "subjects": bool(subjects), "age_ranges": bool(age_ranges),
            "languages": bool(languages), "offer": bool((user.offer or "").strip())}
    missing = [(label, anchor) for field, label, anchor in COMPLETENESS if not have[field]]
    percent = round(100 * (len(COMPLETENESS) - len(missing)) / len(COMPLETENESS))
    return percent, missing


def _me():
    return current_user._get_current_object()


@bp.route("/profile")
@require(permissions.can_edit_profile)
def profile():
    """My profile as others see it, who sees each field, what is missing, my validation."""
    user = _me()
    subjects, age_ranges = user.subject_codes, user.age_range_codes
    languages = user.language_codes
    percent, missing = completeness(user, subjects, age_ranges, languages)
    return render("live/profile.html", user=user, school=user.school, photo=user.photo,
                  subjects=subjects, age_ranges=age_ranges, languages=languages,
                  levels=user.visibility, percent=percent, missing=missing,
                  visibility_labels=SEEN_BY)


@bp.route("/profile/edit", methods=["GET", "POST"])
@require(permissions.can_edit_profile)
def profile_edit():
    """Change my profile and who sees each field; a refused account asks again by saving."""
    user = _me()
    locale = str(get_locale() or "en")
    form = ProfileForm(user=user, locale=locale)
    if not form.is_submitted():
        _fill(form, user)
    elif form.validate():
        stored = None
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            try:
                stored = storage.save_image(upload, current_app.config["UPLOAD_DIR"],
                                            owner=user.id)
            except storage.UploadError as exc:
                form.photo.errors = [UPLOAD_MESSAGES[exc.reason]]
        if not form.photo.errors:
            asked_again = _save(form, user, stored)
            message = (_("Your profile is saved. National support staff will look at your "
                         "account again.") if asked_again else _("Your profile is saved."))
            return go(url_for("live.profile"), message)
    return render("live/profile_edit.html", form=form, user=user, photo=user.photo,
                  visibility_fields=VISIBILITY_FIELDS)


def _fill(form, user):
    levels = user.visibility
    form.name.data = user.name
    form.school.data = str(user.school_id) if user.school_id else ""
    form.community_role.data = user.community_role
    form.subjects.data = user.subject_codes
    form.age_ranges.data = user.age_range_codes
    form.languages.data = user.language_codes
    form.offer.data = user.offer
    for field in VISIBILITY_FIELDS:
        form[f"vis_{field}"].data = levels[field]


def _save(form, user, stored):
    """Write the profile; return True when a refused account went back to the queue."""
    levels = {field: form[f"vis_{field}"].data for field in VISIBILITY_FIELDS}
    levels["country"] = user.visibility["country"]
    asked_again = user.validation == Validation.REFUSED
    with db.atomic():
        user.name = form.name.data
        if form.school.data:
            user.school = int(form.school.data)
        user.offer = rich_text(form.offer.data)
        user.community_role = form.community_role.data
        if stored is not None:
            user.photo_id = stored.id
        elif form.remove_photo.data:
            user.photo_id = None
        user.set_visibility(levels)
        if asked_again:
            # Saving is how a refused teacher answers: back to the queue of national staff.
            user.validation = Validation.PENDING
        user.save()
        user.set_subjects(form.subjects.data or [])
        user.set_age_ranges(form.age_ranges.data or [])
        user.set_languages(form.languages.data or [])
    search.index_teacher(user)
    return asked_again
