"""Writing the search index of teachers, schools and projects (see services/search.py): the
rows of each kind, written to SQLite's FTS5 and plain tables or PostgreSQL's tsvector table,
one row at a time after a change or all of them in batches (reindex_all)."""
import json

from peewee import JOIN, fn

from models import (PartnerState, Project, ProjectAgeRange, ProjectPartner, ProjectSubject,
                    Role, School, User, UserAgeRange, UserSubject, Visibility, db)
from services.search_text import *  # noqa: F401,F403
from services.search_text import _country_tag, _executemany, _is_pg, _sql  # noqa: F401


def _codes_by(model, owner_field, condition):
    result = {}
    for owner_id, code in model.select(owner_field, model.code).where(condition).tuples():
        result.setdefault(owner_id, []).append(code)
    return result


def _mask(codes, bits):
    value = 0
    for code in codes:
        value |= bits.get(code, 0)
    return value


def _level(visibility_json, field):
    """The same rule as User.visibility: a field not named is for members."""
    try:
        levels = json.loads(visibility_json or "{}")
    except ValueError:
        levels = {}
    level = levels.get(field) if isinstance(levels, dict) else None
    return level if level in Visibility.ALL else Visibility.MEMBERS


def _school_public(visibility_json):
    return _level(visibility_json, "school") == Visibility.PUBLIC


def _teacher_rows(condition):
    """(id, listed, country, subjects, ages, sort_name, pub, mem, tags, role) of teachers."""
    labels = subject_labels()
    users = list(User.select(User.id, User.name, User.country, User.listed_publicly,
                             User.profile_visibility, School.name, School.city,
                             User.community_role)
                 .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
                 .where(condition, User.role == Role.TEACHER,
                        User.disabled == False)  # noqa: E712
                 .tuples())
    if not users:
        return []
    ids = [u[0] for u in users]
    lo, hi = min(ids), max(ids)
    subjects = _codes_by(UserSubject, UserSubject.user, UserSubject.user.between(lo, hi))
    ages = _codes_by(UserAgeRange, UserAgeRange.user, UserAgeRange.user.between(lo, hi))
    school_docs = {}
    rows = []
    for uid, name, country, listed, visibility, school_name, city, role in users:
        s_codes = subjects.get(uid, [])
        a_codes = ages.get(uid, [])
        subject_text = " ".join(labels[c] for c in s_codes if c in labels)
        name = document(name)
        if (school_name, city) not in school_docs:
            school_docs[(school_name, city)] = document(school_name, city)
        school_text = school_docs[(school_name, city)]
        # Members find a teacher unless the name is kept for contacts; the school counts
        # only when members may see it.
        member_listed = _level(visibility, "name") != Visibility.CONTACTS
        school_for_members = _level(visibility, "school") != Visibility.CONTACTS
        mem = ""
        if member_listed:
            mem = " ".join(p for p in (name, school_text if school_for_members else "",
                                       subject_text) if p)
        pub = ""
        if listed:
            pub = " ".join(p for p in (name, school_text if _school_public(visibility) else "",
                                       subject_text) if p)
        tags = [SUBJECT_TAGS[c] for c in s_codes if c in SUBJECT_TAGS]
        tags += [AGE_TAGS[c] for c in a_codes if c in AGE_TAGS]
        if country in COUNTRY_BITS:
            tags.append(_country_tag(country))
        if role in ROLE_TAGS:
            tags.append(ROLE_TAGS[role])
        if member_listed:
            tags.append(MEMBER_TAG)
        rows.append((uid, bool(listed), country, _mask(s_codes, SUBJECT_BITS),
                     _mask(a_codes, AGE_BITS), name[:120], pub, mem, " ".join(tags),
                     role or "teacher", member_listed))
    return rows


def _school_rows(condition):
    rows = []
    for sid, name, city, country in (School.select(School.id, School.name, School.city,
                                                   School.country)
                                     .where(condition).tuples()):
        tags = _country_tag(country) if country in COUNTRY_BITS else ""
        rows.append((sid, country, sort_key(name), document(name, city), tags))
    return rows


def _project_rows(condition):
    projects = list(Project.select(Project.id, Project.title, Project.description,
                                   Project.is_public).where(condition).tuples())
    if not projects:
        return []
    ids = [p[0] for p in projects]
    lo, hi = min(ids), max(ids)
    in_range = ProjectSubject.project.between(lo, hi)
    subjects = _codes_by(ProjectSubject, ProjectSubject.project, in_range)
    ages = _codes_by(ProjectAgeRange, ProjectAgeRange.project,
                     ProjectAgeRange.project.between(lo, hi))
    countries = {}
    for pid, country in (ProjectPartner.select(ProjectPartner.project, User.country)
                         .join(User, on=(ProjectPartner.user == User.id))
                         .where(ProjectPartner.project.between(lo, hi),
                                ProjectPartner.state == PartnerState.ACCEPTED)
                         .tuples()):
        countries.setdefault(pid, set()).add(country)
    for pid, country in (Project.select(Project.id, User.country)
                         .join(User, on=(Project.founder == User.id))
                         .where(Project.id.between(lo, hi)).tuples()):
        countries.setdefault(pid, set()).add(country)
    rows = []
    for pid, title, description, is_public in projects:
        s_codes = subjects.get(pid, [])
        a_codes = ages.get(pid, [])
        c_codes = sorted(c for c in countries.get(pid, ()) if c in COUNTRY_BITS)
        tags = [SUBJECT_TAGS[c] for c in s_codes if c in SUBJECT_TAGS]
        tags += [AGE_TAGS[c] for c in a_codes if c in AGE_TAGS]
        tags += [_country_tag(c) for c in c_codes]
        if is_public:
            tags.append(PUBLIC_TAG)
        rows.append((pid, bool(is_public), _mask(c_codes, COUNTRY_BITS),
                     _mask(s_codes, SUBJECT_BITS), _mask(a_codes, AGE_BITS), sort_key(title),
                     document(title, description), " ".join(tags)))
    return rows


# --- Writing the index ---------------------------------------------------------------------


def _write_teachers(rows):
    _executemany("INSERT INTO teacher_search (user_id, listed, country, subjects, ages, "
                 "sort_name, role, member_listed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 [r[:6] + (r[9], r[10]) for r in rows])
    _executemany("INSERT INTO teacher_fts (rowid, pub, mem, tags) VALUES (?, ?, ?, ?)",
                 [(r[0], r[6], r[7], r[8]) for r in rows])


def _pg_teacher(r):
    # The public document carries the tags only when there is a public document at all.
    return r[:6] + (r[9], r[10], _tsvector(r[6], r[8] if r[6] else ""),
                    _tsvector(r[7], r[8] if r[7] else ""))


def _tsvector(words, tags):
    """A tsvector literal built here, not by PostgreSQL's parser, so it holds exactly our
    tokens. Filter tags are stored as "_zz...": a keyword token (letters and digits only)
    can never match one, even as a prefix. (No weight restriction in queries: it would make
    GIN recheck every candidate row.) Words get weight A, tags D."""
    positions = {}
    position = 0
    for weight, text in (("A", words), ("D", tags)):
        for token in text.split():
            token = token if weight == "A" else "_" + token
            position = min(position + 1, 16383)
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{lexeme}':{','.join(p[:255])}" for lexeme, p in positions.items())


def _pg_values_template(n_plain, n_docs):
    return "(" + ", ".join(["%s"] * n_plain + ["%s::tsvector"] * n_docs) + ")"


def _write_schools(rows):
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, "INSERT INTO school_search (school_id, country, sort_name, "
                           "doc) VALUES %s",
                           [(r[0], r[1], r[2], _tsvector(r[3], r[4])) for r in rows],
                           template=_pg_values_template(3, 1), page_size=1000)
    else:
        _executemany("INSERT INTO school_search (school_id, country, sort_name) "
                     "VALUES (?, ?, ?)", [r[:3] for r in rows])
        _executemany("INSERT INTO school_fts (rowid, body, tags) VALUES (?, ?, ?)",
                     [(r[0], r[3], r[4]) for r in rows])


def _write_projects(rows):
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, "INSERT INTO project_search (project_id, is_public, "
                           "countries, subjects, ages, sort_title, doc) VALUES %s",
                           [r[:6] + (_tsvector(r[6], r[7]),) for r in rows],
                           template=_pg_values_template(6, 1), page_size=1000)
    else:
        _executemany("INSERT INTO project_search (project_id, is_public, countries, "
                     "subjects, ages, sort_title) VALUES (?, ?, ?, ?, ?, ?)",
                     [r[:6] for r in rows])
        _executemany("INSERT INTO project_fts (rowid, body, tags) VALUES (?, ?, ?)",
                     [(r[0], r[6], r[7]) for r in rows])


def _delete(kind, ids):
    ids = [int(i) for i in ids]
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    id_column = {"teacher": "user_id", "school": "school_id", "project": "project_id"}[kind]
    db.execute_sql(_sql(f"DELETE FROM {kind}_search WHERE {id_column} IN ({marks})"), ids)
    if not _is_pg():
        db.execute_sql(f"DELETE FROM {kind}_fts WHERE rowid IN ({marks})", ids)


def _reindex_teachers(ids):
    with db.atomic():
        _delete("teacher", ids)
        _write_teachers_any(_teacher_rows(User.id.in_(ids)))


def _write_teachers_any(rows):
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, "INSERT INTO teacher_search (user_id, listed, country, "
                           "subjects, ages, sort_name, role, member_listed, pub, mem) "
                           "VALUES %s", [_pg_teacher(r) for r in rows],
                           template=_pg_values_template(8, 2), page_size=1000)
    else:
        _write_teachers(rows)


def index_teacher(user):
    """(Re)write a user's index row: gone unless an active teacher. Also their projects."""
    user_id = getattr(user, "id", user)
    _reindex_teachers([user_id])
    project_ids = [pid for (pid,) in ProjectPartner.select(ProjectPartner.project)
                   .where(ProjectPartner.user == user_id).tuples()]
    project_ids += [pid for (pid,) in Project.select(Project.id)
                    .where(Project.founder == user_id).tuples()]
    if project_ids:
        _reindex_projects(sorted(set(project_ids)))


def remove_teacher(user_id):
    with db.atomic():
        _delete("teacher", [getattr(user_id, "id", user_id)])


def index_school(school):
    """(Re)write a school's row, and its teachers' (their documents hold its name and city)."""
    school_id = getattr(school, "id", school)
    with db.atomic():
        _delete("school", [school_id])
        _write_schools(_school_rows(School.id == school_id))
        teacher_ids = [uid for (uid,) in User.select(User.id)
                       .where(User.school == school_id).tuples()]
        for start in range(0, len(teacher_ids), 500):
            _reindex_teachers(teacher_ids[start:start + 500])


def remove_school(school_id):
    with db.atomic():
        _delete("school", [getattr(school_id, "id", school_id)])


def _reindex_projects(ids):
    with db.atomic():
        _delete("project", ids)
        _write_projects(_project_rows(Project.id.in_(ids)))


def index_project(project):
    _reindex_projects([getattr(project, "id", project)])


def remove_project(project_id):
    with db.atomic():
        _delete("project", [getattr(project_id, "id", project_id)])


def _id_ranges(model):
    low, high = model.select(fn.MIN(model.id), fn.MAX(model.id)).tuples().get()
    if low is None:
        return
    for start in range(low, high + 1, BATCH):
        yield start, start + BATCH - 1


def reindex_all():
    """Rebuild every index from the tables, in batches; return the counts indexed."""
    pg = _is_pg()
    counts = {"teachers": 0, "schools": 0, "projects": 0}
    with db.atomic():
        for kind in ("teacher", "school", "project"):
            db.execute_sql(f"DELETE FROM {kind}_search")
            if not pg:
                db.execute_sql(f"DELETE FROM {kind}_fts")
        for lo, hi in _id_ranges(School):
            rows = _school_rows(School.id.between(lo, hi))
            _write_schools(rows)
            counts["schools"] += len(rows)
        for lo, hi in _id_ranges(User):
            rows = _teacher_rows(User.id.between(lo, hi))
            _write_teachers_any(rows)
            counts["teachers"] += len(rows)
        for lo, hi in _id_ranges(Project):
            rows = _project_rows(Project.id.between(lo, hi))
            _write_projects(rows)
            counts["projects"] += len(rows)
        if not pg:
            for kind in ("teacher", "school", "project"):
                db.execute_sql(f"INSERT INTO {kind}_fts({kind}_fts) VALUES ('optimize')")
    if pg:
        db.execute_sql("ANALYZE teacher_search")
        db.execute_sql("ANALYZE school_search")
        db.execute_sql("ANALYZE project_search")
    else:
        db.execute_sql("ANALYZE")
    return counts
