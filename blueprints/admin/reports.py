"""Every netiquette report of every space, for central staff (G-8): where, what, its state,
who handled it and what was done; filtered by state. Deciding stays with those who run each
space (their page of reports); everyone else: 404."""
from flask import request

from blueprints.admin import bp
from blueprints.admin.group_watch import staff_only
from blueprints.spaces import parents
from models import ReportState
from services import reports as report_service
from web import render


@bp.route("/reports")
@staff_only
def reports():
    state = request.args.get("state")
    state = state if state in ReportState.ALL else None
    items = report_service.everything(state)
    return render("admin/reports.html", items=items, links=report_service.links(items),
                  state=state,
                  kinds=report_service.KIND_NAMES, states=report_service.STATE_NAMES,
                  words={p.kind: p.words["word"] for p in parents.all_parents()})
