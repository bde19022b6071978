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

Reading is here; writing the index is services/search_index.py, and what both share (folding,
tags, database helpers) services/search_text.py. Call index_teacher/index_school/index_project
(re-exported here) after any change to a row (including a user's
subjects, age ranges, school, visibility, a project's partners) and remove_* after deleting.
"""
import math

from peewee import JOIN, Case, Value, fn

from models import (Project, Role, School, StoredFile, User, UserAgeRange, UserLanguage,
                    UserSubject, db)
from services import counts
from services.paging import Page
from services.reference import AGE_RANGES, COMMUNITY_ROLES, COUNTRY_CODES, SUBJECTS
from services.search_text import *  # noqa: F401,F403
from services.search_text import _country_tag, _fetch, _is_pg  # noqa: F401
from services.search_index import (index_project, index_school, index_teacher,  # noqa: F401
                                   reindex_all, remove_project, remove_school,
                                   remove_teacher)


# Tags on (nearly) every row of their index: ranking leaves them out (see _ranked).
BROAD_TAGS = (MEMBER_TAG,)


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


class _Query:
    """Conditions of a search: the FTS match (tokens + tags) and the plain-table filters."""

    def __init__(self):
        self.words = []      # keyword tokens
        self.tags = []       # filter tokens, ANDed with the words
        self.where = []      # conditions on the *_search table
        self.params = []

    def fts5(self, columns, without=()):
        """An FTS5 MATCH expression; every token is quoted, so no syntax gets through."""
        parts = []
        for word in self.words:
            star = "*" if len(word) >= PREFIX_MIN else ""
            parts.append(f'{columns} : "{word}"{star}')
        parts.extend(f'tags : "{tag}"' for tag in self.tags if tag not in without)
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


def _count(table, condition, params):
    """How many rows match, counted up to COUNT_CAP + 1 (at 360,000 teachers a common name
    matches thousands: counting them all cost 10–30 ms a search, for a number nobody pages
    through); a large count may be up to a minute old (services/counts.py)."""
    sql = (f"SELECT count(*) FROM (SELECT 1 FROM {table}{condition} LIMIT {COUNT_CAP + 1}) "
           f"AS capped")
    return counts.of_sql(db.obj.database, sql, params, lambda: _fetch(sql, params)[0][0])


def _ranked(q, *, fts_table, fts_columns, weights, plain_table, id_column, sort_column,
            pg_doc, page, per_page):
    """Run a search: (ids of the page, total, page, per_page, more), in 2 queries.

    At most COUNT_CAP results are counted and paged (`more` says there are others: a word or
    a filter finds them). A keyword orders by relevance then id, unless it matches more
    than that: then by id only (ranking every row of such a set costs ~1 us per row and
    tells little).
    """
    pg = _is_pg()
    if q.words:
        if pg:
            tsq = q.tsquery()
            cond = f"{pg_doc} @@ ?::tsquery" + "".join(" AND " + w for w in q.where)
            params = [tsq] + q.params
            total = _count(plain_table, f" WHERE {cond}", params)
            page, per_page = _paging(min(total, COUNT_CAP), page, per_page)
            if total <= COUNT_CAP:
                order, order_params = f"ts_rank({pg_doc}, ?::tsquery) DESC, {id_column}", [tsq]
            else:
                order, order_params = id_column, []
            rows = _fetch(f"SELECT {id_column} FROM {plain_table} WHERE {cond} "
                          f"ORDER BY {order} LIMIT ? OFFSET ?",
                          params + order_params + [_limit(page, per_page), (page - 1) * per_page])
        else:
            match = q.fts5(fts_columns)
            total = _count(fts_table, f" WHERE {fts_table} MATCH ?", [match])
            page, per_page = _paging(min(total, COUNT_CAP), page, per_page)
            order = f"bm25({fts_table}, {weights}), rowid" if total <= COUNT_CAP else "rowid"
            rank_match = q.fts5(fts_columns, without=BROAD_TAGS)
            if total <= COUNT_CAP and rank_match != match:
                # bm25 counts, for every phrase of the MATCH, the rows holding it: for a tag
                # that nearly every row has, that is the whole table. Tags weigh 0 in the
                # score, so ranking by the keyword without it gives the same scores; the full
                # match (read once, '+rowid' keeps it a filter) still chooses the rows.
                rows = _fetch(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ? "
                              f"AND +rowid IN (SELECT rowid FROM {fts_table} "
                              f"WHERE {fts_table} MATCH ?) ORDER BY {order} LIMIT ? OFFSET ?",
                              [rank_match, match, _limit(page, per_page), (page - 1) * per_page])
            else:
                rows = _fetch(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ? "
                              f"ORDER BY {order} LIMIT ? OFFSET ?",
                              [match, _limit(page, per_page), (page - 1) * per_page])
    else:
        where = q.where_sql()
        total = _count(plain_table, where, q.params)
        page, per_page = _paging(min(total, COUNT_CAP), page, per_page)
        collate = ' COLLATE "C"' if pg else ""
        rows = _fetch(f"SELECT {id_column} FROM {plain_table}{where} "
                      f"ORDER BY {sort_column}{collate}, {id_column} LIMIT ? OFFSET ?",
                      q.params + [_limit(page, per_page), (page - 1) * per_page])
    return [r[0] for r in rows], min(total, COUNT_CAP), page, per_page, total > COUNT_CAP


def _limit(page, per_page):
    """Rows of this page, never past the COUNT_CAP-th result."""
    return max(0, min(per_page, COUNT_CAP - (page - 1) * per_page))


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
    ids, total, page, per_page, more = _ranked(
        q, fts_table="teacher_fts", fts_columns=column, weights=weights,
        plain_table="teacher_search", id_column="user_id", sort_column="sort_name",
        pg_doc=column, page=page, per_page=per_page)
    # The photo's file comes in the same query (.photo_file; its id is None without one).
    query = (User.select(User, School, StoredFile)
             .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
             .switch(User)
             .join(StoredFile, JOIN.LEFT_OUTER, on=(User.photo_id == StoredFile.id),
                   attr="photo_file"))
    return SearchPage(_in_order(query, User, ids), total, page, per_page, more)


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
    ids, total, page, per_page, more = _ranked(
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
    return SearchPage(items, total, page, per_page, more)


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
    ids, total, page, per_page, more = _ranked(
        q, fts_table="project_fts", fts_columns="body", weights="1.0, 0.0",
        plain_table="project_search", id_column="project_id", sort_column="sort_title",
        pg_doc="doc", page=page, per_page=per_page)
    query = Project.select(Project, User).join(User, on=(Project.founder == User.id))
    return SearchPage(_in_order(query, Project, ids), total, page, per_page, more)


# --- Building index rows -------------------------------------------------------------------
