"""/healthz: for a load balancer or a monitor. 200 when the database (and Redis, where it is
used) answer, 503 when not; it names the checks and nothing else (no versions, no figures)."""
from flask import Blueprint, current_app, jsonify

from extensions import limiter
from services import health

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    healthy, checks = health.probe(current_app.config)
    response = jsonify(status="ok" if healthy else "fail", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
