"""Users of each role, fast: the password hash is computed once for the whole run."""
import itertools

from models import Role, School, User
from services import accounts

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
