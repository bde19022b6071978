"""The one place that answers "may this user see or change this?".

Views call these rules (through web.require or directly) before doing anything; templates may
ask them only to decide whether to show a button. Each rule takes the user first.
"""
from models import Role


def is_logged_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_use_live(user):
    """The Live desktop is the teachers' place."""
    return is_logged_in(user) and user.role == Role.TEACHER


def can_use_admin(user):
    """National and central support staff have the admin screens."""
    return is_logged_in(user) and user.role in Role.STAFF


def can_read_outbox(user):
    """Every mail the platform sent: central staff only (it holds reset links)."""
    return is_logged_in(user) and user.role == Role.CSS


def can_list_people(user):
    return can_use_admin(user)


def people_country_scope(user):
    """The country whose accounts a staff member may list; None means every country."""
    return None if user.role == Role.CSS else user.country

