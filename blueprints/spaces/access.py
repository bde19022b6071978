"""The checks every space view makes (the space itself is loaded by its parent: parents.py)."""
from functools import wraps

from flask import abort, g, make_response
from flask_babel import gettext as _
from flask_login import current_user

from models import Space
from services import permissions
from web import redirect_to_login


def space_required(rule=permissions.can_read_space):
    """Run the view only if `rule(user, space, membership)` holds (by default: may read the
    space): else log in, or 404 (a space one may not read does not exist, as far as one can
    tell)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect_to_login()
            if not rule(current_user, g.space, g.membership):
                refuse(rule)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def refuse(rule=None, *args, otherwise=404):
    """Stop the request: 403 with a page that says the space is read-only when that is the
    only reason — `rule(user, space, membership, *args)` would hold were the space open —
    else `otherwise` (404: what one may not do in a space does not exist, as far as one can
    tell)."""
    if (rule is not None and not permissions.space_is_writable(g.space)
            and current_user.is_authenticated
            and rule(current_user, _as_open(g.space), g.membership, *args)):
        from blueprints.errors import error_page
        abort(make_response(error_page(
            403, _("This space is closed"),
            _("It is read-only now: everything in it can still be read (and exported by its "
              "teachers), but nothing can be added or changed."))))
    abort(otherwise)


def _as_open(space):
    """The same space as if it were open (not saved): to ask a rule what it would allow."""
    return Space(**{**space.__data__, "closed_at": None})


def teaching_here():
    """Whether the current user teaches in the space of this request."""
    return permissions.is_space_teacher(current_user, g.space, g.membership)
