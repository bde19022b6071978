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
    links = {}
    for item in items:
        found = report_service.link(item)
        if found:
            endpoint, values, anchor = found
            values = {k: v for k, v in values.items() if v is not None}
            links[item.id] = (parents.url_for_space(item.space, endpoint, **values)
                              + (f"#{anchor}" if anchor else ""))
    return render("admin/reports.html", items=items, links=links, state=state,
                  kinds=report_service.KIND_NAMES, states=report_service.STATE_NAMES,
                  words={p.kind: p.words["word"] for p in parents.all_parents()})
