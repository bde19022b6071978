"""The public directory of groups in the portal's Progress section (P-5): active groups,
featured first, searchable by keyword (title, description, topics) and language."""
from blueprints.groups.finding import run_search
from blueprints.portal import bp
from web import render


@bp.route("/progress/groups")
def group_directory():
    """Anybody may look: the listed groups are the active ones, and what a card shows (title,
    description, languages, topics, member count, latest activity, image) is public."""
    form, results, cards, status = run_search()
    return render("portal/groups.html", partials={"group-results": "groups/_results.html"},
                  status=status, form=form, results=results, cards=cards,
                  endpoint="portal.group_directory")
