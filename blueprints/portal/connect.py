"""Connect: search teachers, schools and projects; their public pages (P-3)."""
from flask import abort, request
from flask_babel import get_locale
from flask_login import current_user

from blueprints.portal import bp
from models import DiaryPost, PartnerState, Project, ProjectPartner, School, Space, User
from services import permissions, search
from services.reference import (AGE_RANGES, COMMUNITY_ROLES, COUNTRY_CODES, SUBJECTS,
                                country_choices)
from web import page_arg, render

KINDS = ("teachers", "schools", "projects")


def _filters():
    """The search filters from the URL; unknown values are dropped, not errors."""
    args = request.args
    keyword = (args.get("q") or "").strip()[:200]
    country = args.get("country") if args.get("country") in COUNTRY_CODES else ""
    age = args.get("age") if args.get("age") in AGE_RANGES else ""
    subject = args.get("subject") if args.get("subject") in SUBJECTS else ""
    role = args.get("role") if args.get("role") in COMMUNITY_ROLES else ""
    return {"q": keyword, "country": country, "age": age, "subject": subject, "role": role}


@bp.route("/connect")
def connect():
    """Find teachers, schools and projects by country, pupil age, subject and keyword."""
    kind = request.args.get("type") if request.args.get("type") in KINDS else "teachers"
    f = _filters()
    members = permissions.is_member(current_user)
    common = dict(keyword=f["q"], country=f["country"] or None, page=page_arg())
    if kind == "teachers":
        results = search.search_teachers(age_range=f["age"] or None,
                                         subject=f["subject"] or None, role=f["role"] or None,
                                         public_only=not members, **common)
    elif kind == "schools":
        results = search.search_schools(**common)
    else:
        # Only public projects, for members too: a teacher finds their own under My projects.
        results = search.search_projects(age_range=f["age"] or None,
                                         subject=f["subject"] or None,
                                         public_only=True, **common)
    cards = _teacher_cards(results.items) if kind == "teachers" else {}
    locale = str(get_locale())
    subjects = sorted(((c, str(n)) for c, n in SUBJECTS.items()), key=lambda p: p[1].casefold())
    return render("portal/connect.html", partials={"results": "portal/_connect_results.html"},
                  kind=kind, kinds=KINDS, filters=f, results=results, members=members,
                  cards=cards,
                  country_options=country_choices(locale), subject_options=subjects,
                  roles=COMMUNITY_ROLES)


def _teacher_cards(teachers):
    """What each result shows beyond the name: {user id: {"fields", "subjects", "age_ranges",
    "languages", "photo"}}, only what the viewer may see of each (visible_profile_fields),
    in one query for the page's lists (the photos came with the search)."""
    lists = search.teacher_lists([t.id for t in teachers])
    cards = {}
    for t in teachers:
        fields = permissions.visible_profile_fields(current_user, t)
        photo = getattr(t, "photo_file", None)
        card = {name: codes if name in fields else []
                for name, codes in lists.get(t.id, {}).items()}
        card["fields"] = fields
        card["photo"] = (photo if "photo" in fields and photo is not None and photo.id
                         and photo.content_type.startswith("image/") else None)
        cards[t.id] = card
    return cards


@bp.route("/teachers/<int:user_id>")
def teacher(user_id):
    """A teacher's profile, showing only the fields its owner lets this visitor see."""
    person = User.get_or_none(User.id == user_id)
    if person is None or not permissions.can_see_teacher(current_user, person):
        abort(404)
    visible = permissions.profile_fields_for(current_user, person)
    projects = []
    if "name" in visible:
        projects = list(Project.public()
                        .join(ProjectPartner, on=(ProjectPartner.project == Project.id))
                        .where(ProjectPartner.user == person,
                               ProjectPartner.state == PartnerState.ACCEPTED)
                        .order_by(Project.created_at.desc())
                        .limit(20))
    # What anybody may see (the page's meta description for search engines: never more).
    public_fields = (permissions.profile_fields_for(None, person)
                     if permissions.can_see_teacher(None, person) else set())
    return render("portal/teacher.html", person=person, visible=visible, projects=projects,
                  public_fields=public_fields)


@bp.route("/schools/<int:school_id>")
def school(school_id):
    """A school: where it is, and its teachers this visitor may see."""
    place = School.get_or_none(School.id == school_id) or abort(404)
    teachers = User.teachers().where(User.school == place).order_by(User.name)
    if not permissions.is_member(current_user):
        teachers = teachers.where(User.listed_publicly == True)  # noqa: E712
    teachers = [t for t in teachers.limit(100)
                if "school" in permissions.profile_fields_for(current_user, t)]
    return render("portal/school.html", place=place, teachers=teachers)


@bp.route("/projects/<int:project_id>")
def project(project_id):
    """A project's public page: what it is, its teachers, its public diary."""
    item = Project.get_or_none(Project.id == project_id)
    if item is None or not permissions.can_see_project(current_user, item):
        abort(404)
    diary = (DiaryPost.select()
             .join(Space)
             .where(Space.project == item, DiaryPost.is_public == True)  # noqa: E712
             .order_by(DiaryPost.published_at.desc())
             .limit(20))
    teachers = [t for t in item.teachers()
                if permissions.can_see_teacher(current_user, t)]
    space = item.space
    if space is not None:
        space.project = item  # already loaded: no second query to ask about it
    public_space = space if space and permissions.can_see_public_view(space) else None
    return render("portal/project.html", item=item, diary=list(diary), teachers=teachers,
                  space=space, public_space=public_space)
