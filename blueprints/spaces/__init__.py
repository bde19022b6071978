"""What TwinSpaces and Groups share (T-1, T-2..T-6, T-10..T-13, G-4). This blueprint is nested
under each parent (`twinspace`, `groups`) at /<int:space_id>; the parent loads the space
into `g.space` (see access.py), so one view serves both kinds with no `if kind ==`."""
from flask import Blueprint

bp = Blueprint("spaces", __name__)

from blueprints.spaces import (consent, export, forums, live, mail, materials,  # noqa: E402,F401
                               members, pages, profiles, reports, routes)
