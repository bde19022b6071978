"""Accounts: password rules and hashing, creating users, and signed links sent by mail."""
import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from peewee import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from models import Role, User, Validation, db, utcnow
from services import search

MIN_PASSWORD = 10
MAX_PASSWORD = 128
CONFIRM_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 3600

# Checked when no account matches, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountExists(Exception):
    """The e-mail address or username already belongs to an account."""


def hash_password(password):
    return generate_password_hash(password)


def check_login(identifier, password):
    """Return the active user these credentials belong to, or None (taking the same time)."""
    user = User.by_login(identifier)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or user.disabled:
        return None
    return user


def password_problem(password, email=None):
    """Return why a new password is not acceptable (a code), or None if it is fine."""
    if len(password) < MIN_PASSWORD:
        return "short"
    if len(password) > MAX_PASSWORD:
        return "long"
    if email and password.strip().lower() == email.strip().lower():
        return "email"
    return None


def create_user(*, role, name, password=None, password_hash=None, email=None, username=None,
                country=None, school=None, language="en", confirmed=False, validated=False,
                subjects=(), age_ranges=()):
    """Create an account; raise AccountExists when the e-mail or username is taken."""
    if role not in Role.ALL:
        raise ValueError(f"unknown role {role!r}")
    email = email.strip().lower() if email else None
    username = username.strip().lower() if username else None
    try:
        with db.atomic():
            user = User.create(
                role=role, name=name.strip(), email=email, username=username,
                password_hash=password_hash or hash_password(password),
                country=country, school=school, language=language,
                email_confirmed_at=utcnow() if confirmed else None,
                validation=Validation.VALIDATED if validated else Validation.PENDING)
            if subjects:
                user.set_subjects(subjects)
            if age_ranges:
                user.set_age_ranges(age_ranges)
    except IntegrityError as exc:
        raise AccountExists(str(exc)) from exc
    if role == Role.TEACHER:
        search.index_teacher(user)
    return user


def set_password(user, password):
    """Change a password and end every session of the user (the old cookies stop working)."""
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    user.save()


# --- Signed links -------------------------------------------------------------------------

def _serializer(secret, purpose):
    return URLSafeTimedSerializer(secret, salt=f"opentwin-{purpose}")


def _fingerprint(password_hash):
    # A reset link names the password it replaces: once that changes, the link is spent.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def password_fingerprint(user):
    """A short digest of the user's current password hash: what changes when it changes."""
    return _fingerprint(user.password_hash)


def confirm_token(secret, user):
    return _serializer(secret, "confirm").dumps({"u": user.id, "e": user.email})


def reset_token(secret, user):
    return _serializer(secret, "reset").dumps({"u": user.id,
                                               "p": _fingerprint(user.password_hash)})


def user_for_confirm_token(secret, token):
    """Return the user whose current e-mail the token confirms, or None."""
    data = _load(secret, "confirm", token, CONFIRM_MAX_AGE)
    if not data:
        return None
    user = User.get_or_none(User.id == data.get("u"))
    return user if user and user.email == data.get("e") else None


def user_for_reset_token(secret, token):
    """Return the user a reset token is for, if it is fresh and its password is unchanged."""
    data = _load(secret, "reset", token, RESET_MAX_AGE)
    if not data:
        return None
    user = User.get_or_none((User.id == data.get("u")) & (User.disabled == False))  # noqa: E712
    if user is None or _fingerprint(user.password_hash) != data.get("p"):
        return None
    return user


def _load(secret, purpose, token, max_age):
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer(secret, purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None
