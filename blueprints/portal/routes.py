"""The public portal: the home page and the interface language (P-1, P-7)."""
from flask import abort, request, session, url_for
from flask_login import current_user
from peewee import fn

from blueprints.portal import bp
from models import School, User
from services.reference import LANGUAGES
from web import go, next_or, render


@bp.route("/")
def home():
    """Show what the platform is, who takes part, and the way in."""
    teachers = User.teachers()
    by_country = (teachers
                  .select(User.country, fn.COUNT(User.id).alias("count"))
                  .where(User.country.is_null(False))
                  .group_by(User.country)
                  .order_by(fn.COUNT(User.id).desc(), User.country)
                  .dicts())
    countries = list(by_country)
    figures = {
        "teachers": teachers.count(),
        "schools": School.select().count(),
        "countries": len(countries),
    }
    return render("portal/home.html", figures=figures, countries=countries)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language for this session (and remember it for the account)."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.language != lang:
        current_user.language = lang
        current_user.save(only=[User.language])
    return go(next_or(url_for("portal.home")))
