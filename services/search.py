"""Full-text search of teachers, schools and projects (SPEC P-3, L-2), fast at scale.

The index lives in tables of its own (migrations/0003_search.py), not in peewee models:
- SQLite: FTS5 tables `teacher_fts`, `school_fts`, `project_fts` (rowid = the row's id), and
  plain tables `teacher_search`, `school_search`, `project_search` for browsing without a
  keyword (filters as columns and bit masks, a folded sort key, covering indexes).
- PostgreSQL: the `*_search` tables also hold the tsvector documents, under GIN indexes.

Text is folded in Python (case, accents, "ø", "ß"...) before indexing and before querying, so
both backends see the same plain tokens and neither needs `unaccent`. Filters are indexed as
tag tokens too ("zzces" = country ES, "zzs3" = the 4th subject, "zza1" = the 2nd age range), so
a keyword with filters is one index intersection. Bits and tags follow the order of the lists
in services/reference.py: after changing those lists, run reindex_all().

Call index_teacher/index_school/index_project after any change to a row (including a user's
subjects, age ranges, school, visibility, a project's partners) and remove_* after deleting.
"""
import json
import math
import os
import re
import unicodedata

from babel.support import NullTranslations, Translations
from peewee import JOIN, Case, PostgresqlDatabase, Value, fn

from models import (PartnerState, Project, ProjectAgeRange, ProjectPartner, ProjectSubject,
                    Role, School, StoredFile, User, UserAgeRange, UserLanguage, UserSubject,
                    Visibility, db)
from services.paging import Page
from services.reference import AGE_RANGES, COMMUNITY_ROLES, COUNTRY_CODES, SUBJECTS

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS_DIR = os.path.join(HERE, "translations")

MAX_KEYWORD_CHARS = 200
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 40
MAX_DOC_TOKEN_CHARS = 60
PREFIX_MIN = 2            # shorter tokens match whole words only
MAX_PER_PAGE = 100
OPERATORS = {"AND", "OR", "NOT", "NEAR"}
RANK_LIMIT = 20000        # keyword matches beyond which results are in id order, unranked
PG_RANK_LIMIT = 5000      # ts_rank reads each row's tsvector from the heap: dearer
BATCH = 5000              # rows per id range when reindexing

SUBJECT_BITS = {code: 1 << i for i, code in enumerate(SUBJECTS)}
AGE_BITS = {code: 1 << i for i, code in enumerate(AGE_RANGES)}
COUNTRY_BITS = {code: 1 << i for i, code in enumerate(COUNTRY_CODES)}
SUBJECT_TAGS = {code: f"zzs{i}" for i, code in enumerate(SUBJECTS)}
AGE_TAGS = {code: f"zza{i}" for i, code in enumerate(AGE_RANGES)}
PUBLIC_TAG = "zzpublic"
ROLE_TAGS = {code: f"zzr{i}" for i, code in enumerate(COMMUNITY_ROLES)}
MEMBER_TAG = "zzmember"


def _country_tag(code):
    return "zzc" + code.lower()


# --- Text folding and keyword parsing -------------------------------------------------------

_EXTRA_FOLDS = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                              "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th",
                              "Þ": "th", "ð": "d", "Ð": "d", "ı": "i", "ħ": "h", "Ħ": "h"})
_WORD = re.compile(r"[^\W_]+")


def fold(text):
    """Lower-case `text` and strip accents: "Alcalá" -> "alcala", "Øre" -> "ore"."""
    text = (text or "").translate(_EXTRA_FOLDS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def tokens(text):
    """The folded word tokens of a text (each cut to MAX_DOC_TOKEN_CHARS)."""
    return [t[:MAX_DOC_TOKEN_CHARS] for t in _WORD.findall(fold(text))]


def document(*parts):
    """One indexable text: folded tokens separated by spaces (what both backends index)."""
    return " ".join(t for part in parts if part for t in tokens(part))


def keyword_tokens(keyword):
    """Safe query tokens: words only, no operators, at most MAX_TOKENS, deduplicated."""
    keyword = (keyword or "")[:MAX_KEYWORD_CHARS]
    result = []
    for raw in _WORD.findall(keyword):
        if raw in OPERATORS:
            continue
        for token in tokens(raw):
            token = token[:MAX_TOKEN_CHARS]
            if token not in result:
                result.append(token)
    return result[:MAX_TOKENS]


def sort_key(text):
    return document(text)[:120]


_subject_labels = None


def _spanish():
    """The Spanish catalogue: the compiled .mo, else the .po (a fresh checkout has no .mo)."""
    translations = Translations.load(TRANSLATIONS_DIR, ["es"])
    if type(translations) is not NullTranslations:
        return translations
    po = os.path.join(TRANSLATIONS_DIR, "es", "LC_MESSAGES", "messages.po")
    if not os.path.exists(po):
        return translations
    from babel.messages.pofile import read_po
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale="es")

    class _Catalog:
        def gettext(self, msgid):
            message = catalog.get(msgid)
            return message.string if message is not None and message.string else msgid
    return _Catalog()


def subject_labels():
    """Every subject code's names to index: English and Spanish, whatever the request."""
    global _subject_labels
    if _subject_labels is None:
        translations = _spanish()
        labels = {}
        for code, lazy in SUBJECTS.items():
            # The English msgid, whatever the locale of a request that may be under way.
            english = lazy._args[0] if getattr(lazy, "_args", None) else str(lazy)
            labels[code] = document(english, translations.gettext(english))
        _subject_labels = labels
    return _subject_labels


# --- Result pages --------------------------------------------------------------------------

class SearchPage(Page):
    """One page of results: items, total, page (1-based), pages, per_page, has_prev/has_next."""

    def __repr__(self):
        return f"<SearchPage {self.page}/{self.pages} total={self.total}>"


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _paging(total, page, per_page):
    per_page = min(max(_int(per_page, 20), 1), MAX_PER_PAGE)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(_int(page, 1), 1), pages)
    return page, per_page


def _empty(per_page):
    return SearchPage([], 0, 1, min(max(_int(per_page, 20), 1), MAX_PER_PAGE))


class _Unknown(Exception):
    """A filter value not in the reference lists: the result is empty."""


def _country(value):
    if not value:
        return None
    code = str(value).strip().upper()
    if code not in COUNTRY_CODES:
        raise _Unknown(value)
    return code


def _code(value, known):
    if not value:
        return None
    if value not in known:
        raise _Unknown(value)
    return value


def _is_pg():
    return isinstance(db.obj, PostgresqlDatabase)


def _sql(sql):
    """Our SQL is written with '?' placeholders; PostgreSQL's driver wants '%s'."""
    return sql.replace("?", "%s") if _is_pg() else sql


def _fetch(sql, params=()):
    return db.execute_sql(_sql(sql), params).fetchall()


class _Query:
    """Conditions of a search: the FTS match (tokens + tags) and the plain-table filters."""

    def __init__(self):
        self.words = []      # keyword tokens
        self.tags = []       # filter tokens, ANDed with the words
        self.where = []      # conditions on the *_search table
        self.params = []

    def fts5(self, columns):
        """An FTS5 MATCH expression; every token is quoted, so no syntax gets through."""
        parts = []
        for word in self.words:
            star = "*" if len(word) >= PREFIX_MIN else ""
            parts.append(f'{columns} : "{word}"{star}')
        parts.extend(f'tags : "{tag}"' for tag in self.tags)
        return " AND ".join(parts)

    def tsquery(self):
        """A tsquery text; tokens are letters and digits only, so none is an operator."""
        parts = [f"'{w}':*" if len(w) >= PREFIX_MIN else f"'{w}'" for w in self.words]
        parts.extend(f"'_{tag}'" for tag in self.tags)
        return " & ".join(parts)

    def filter(self, condition, *params):
        self.where.append(condition)
        self.params.extend(params)

    def where_sql(self):
        return (" WHERE " + " AND ".join(self.where)) if self.where else ""


def _ranked(q, *, fts_table, fts_columns, weights, plain_table, id_column, sort_column,
            pg_doc, page, per_page):
    """Run a search: (ids of the page, total, page, per_page), in 2 queries.

    A keyword orders by relevance then id, unless it matches more than RANK_LIMIT rows: then
    by id only (ranking every row of such a set costs ~1 us per row and tells little).
    """
    pg = _is_pg()
    if q.words:
        if pg:
            tsq = q.tsquery()
            cond = f"{pg_doc} @@ ?::tsquery" + "".join(" AND " + w for w in q.where)
            params = [tsq] + q.params
            total = _fetch(f"SELECT count(*) FROM {plain_table} WHERE {cond}", params)[0][0]
            page, per_page = _paging(total, page, per_page)
            if total <= PG_RANK_LIMIT:
                order, order_params = f"ts_rank({pg_doc}, ?::tsquery) DESC, {id_column}", [tsq]
            else:
                order, order_params = id_column, []
            rows = _fetch(f"SELECT {id_column} FROM {plain_table} WHERE {cond} "
                          f"ORDER BY {order} LIMIT ? OFFSET ?",
                          params + order_params + [per_page, (page - 1) * per_page])
        else:
            match = q.fts5(fts_columns)
            total = _fetch(f"SELECT count(*) FROM {fts_table} WHERE {fts_table} MATCH ?",
                           [match])[0][0]
            page, per_page = _paging(total, page, per_page)
            order = f"bm25({fts_table}, {weights}), rowid" if total <= RANK_LIMIT else "rowid"
            rows = _fetch(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ? "
                          f"ORDER BY {order} LIMIT ? OFFSET ?",
                          [match, per_page, (page - 1) * per_page])
    else:
        where = q.where_sql()
        total = _fetch(f"SELECT count(*) FROM {plain_table}{where}", q.params)[0][0]
        page, per_page = _paging(total, page, per_page)
        collate = ' COLLATE "C"' if pg else ""
        rows = _fetch(f"SELECT {id_column} FROM {plain_table}{where} "
                      f"ORDER BY {sort_column}{collate}, {id_column} LIMIT ? OFFSET ?",
                      q.params + [per_page, (page - 1) * per_page])
    return [r[0] for r in rows], total, page, per_page


def _in_order(query, model, ids):
    by_id = {obj.id: obj for obj in query.where(model.id.in_(ids))} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def _true():
    return "TRUE" if _is_pg() else "1"


# --- Searches ------------------------------------------------------------------------------

def search_teachers(*, keyword="", country=None, age_range=None, subject=None, role=None,
                    public_only=True, page=1, per_page=20):
    """Teachers (active, role teacher); anonymous visitors see only those listed publicly."""
    try:
        country = _country(country)
        subject = _code(subject, SUBJECTS)
        age_range = _code(age_range, AGE_RANGES)
        role = _code(role, COMMUNITY_ROLES)
    except _Unknown:
        return _empty(per_page)
    q = _Query()
    q.words = keyword_tokens(keyword)
    if public_only:
        q.filter("listed = " + _true())
    else:
        q.tags.append(MEMBER_TAG)
        q.filter("member_listed = " + _true())
    if role:
        q.tags.append(ROLE_TAGS[role])
        q.filter("role = ?", role)
    if country:
        q.tags.append(_country_tag(country))
        q.filter("country = ?", country)
    if subject:
        q.tags.append(SUBJECT_TAGS[subject])
        q.filter("(subjects & ?) <> 0", SUBJECT_BITS[subject])
    if age_range:
        q.tags.append(AGE_TAGS[age_range])
        q.filter("(ages & ?) <> 0", AGE_BITS[age_range])
    column = "pub" if public_only else "mem"
    weights = "1.0, 0.0, 0.0" if public_only else "0.0, 1.0, 0.0"
    ids, total, page, per_page = _ranked(
        q, fts_table="teacher_fts", fts_columns=column, weights=weights,
        plain_table="teacher_search", id_column="user_id", sort_column="sort_name",
        pg_doc=column, page=page, per_page=per_page)
    # The photo's file comes in the same query (.photo_file; its id is None without one).
    query = (User.select(User, School, StoredFile)
             .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
             .switch(User)
             .join(StoredFile, JOIN.LEFT_OUTER, on=(User.photo_id == StoredFile.id),
                   attr="photo_file"))
    return SearchPage(_in_order(query, User, ids), total, page, per_page)


def teacher_lists(user_ids):
    """{user id: {"subjects": [...], "age_ranges": [...], "languages": [...]}} for a page of
    teachers (codes sorted, ages youngest first), in one query. Whether each may be shown is the caller's to ask."""
    lists = {uid: {"subjects": [], "age_ranges": [], "languages": []} for uid in user_ids}
    if not lists:
        return lists
    ids = list(lists)
    parts = [model.select(model.user, Value(name), model.code).where(model.user.in_(ids))
             for name, model in (("subjects", UserSubject), ("age_ranges", UserAgeRange),
                                 ("languages", UserLanguage))]
    for uid, name, code in parts[0].union_all(parts[1]).union_all(parts[2]).tuples():
        lists[uid][name].append(code)
    age_order = {code: n for n, code in enumerate(AGE_RANGES)}  # youngest first
    for entry in lists.values():
        entry["subjects"].sort()
        entry["languages"].sort()
        entry["age_ranges"].sort(key=lambda code: (age_order.get(code, len(age_order)), code))
    return lists


def search_schools(*, keyword="", country=None, page=1, per_page=20):
    """Schools by name and city; each item has .teacher_count."""
    try:
        country = _country(country)
    except _Unknown:
        return _empty(per_page)
    q = _Query()
    q.words = keyword_tokens(keyword)
    if country:
        q.tags.append(_country_tag(country))
        q.filter("country = ?", country)
    ids, total, page, per_page = _ranked(
        q, fts_table="school_fts", fts_columns="body", weights="1.0, 0.0",
        plain_table="school_search", id_column="school_id", sort_column="sort_name",
        pg_doc="doc", page=page, per_page=per_page)
    items = _in_order(School.select(), School, ids)
    counts = {}
    if ids:
        # Filter the role inside the count, so the planner walks the school index (filtering
        # it in WHERE made SQLite scan every teacher by the role index instead).
        active_teacher = Case(None, [((User.role == Role.TEACHER)
                                      & (User.disabled == False), 1)], 0)  # noqa: E712
        counts = dict(User.select(User.school, fn.SUM(active_teacher))
                      .where(User.school.in_(ids))
                      .group_by(User.school).tuples())
    for school in items:
        school.teacher_count = counts.get(school.id, 0)
    return SearchPage(items, total, page, per_page)


def search_projects(*, keyword="", country=None, age_range=None, subject=None,
                    public_only=True, page=1, per_page=20):
    """Projects by title and description; country = that of any accepted partner teacher."""
    try:
        country = _country(country)
        subject = _code(subject, SUBJECTS)
        age_range = _code(age_range, AGE_RANGES)
    except _Unknown:
        return _empty(per_page)
    q = _Query()
    q.words = keyword_tokens(keyword)
    if public_only:
        q.tags.append(PUBLIC_TAG)
        q.filter("is_public = " + _true())
    if country:
        q.tags.append(_country_tag(country))
        q.filter("(countries & ?) <> 0", COUNTRY_BITS[country])
    if subject:
        q.tags.append(SUBJECT_TAGS[subject])
        q.filter("(subjects & ?) <> 0", SUBJECT_BITS[subject])
    if age_range:
        q.tags.append(AGE_TAGS[age_range])
        q.filter("(ages & ?) <> 0", AGE_BITS[age_range])
    ids, total, page, per_page = _ranked(
        q, fts_table="project_fts", fts_columns="body", weights="1.0, 0.0",
        plain_table="project_search", id_column="project_id", sort_column="sort_title",
        pg_doc="doc", page=page, per_page=per_page)
    query = Project.select(Project, User).join(User, on=(Project.founder == User.id))
    return SearchPage(_in_order(query, Project, ids), total, page, per_page)


# --- Building index rows -------------------------------------------------------------------

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

def _executemany(sql, rows):
    if not rows:
        return
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, sql, rows, page_size=1000)
    else:
        db.cursor().executemany(sql, rows)


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
