"""Finding groups (L-8 open groups, P-5 public directory, G-1 similar groups).

The index follows services/search.py (same folding, tokens and keyword parsing, imported from
there) in tables of its own (migrations/0015_group_search.py), holding ACTIVE groups only:
- SQLite: FTS5 `group_fts` (rowid = group id; columns title = title and topics, body =
  description, tags = language tags "zzl<code>") beside the plain `group_search` (featured,
  language bit mask, `since` = approval date) for browsing and ordering.
- PostgreSQL: `group_search` with a tsvector `doc` (title words weight A, description B,
  tags D as "_zzl<code>") under a GIN index.

Call index_group(group) after anything about a group changes (state, featured, title,
description, topics, languages); services/groups.act() and create() already do. Listing
order: featured first, then best match (with a keyword) or newest approval.
"""
from peewee import JOIN, fn

from models import Group, GroupLanguage, GroupState, Membership, Space, StoredFile, db
from services import group_watch
from services.paging import Page
from services.reference import CONTENT_LANGUAGES
from services.search_text import (MAX_PER_PAGE, PREFIX_MIN, _executemany, _fetch, _is_pg, _sql,
                                  document, keyword_tokens, tokens)

LANGUAGE_BITS = {code: 1 << i for i, code in enumerate(CONTENT_LANGUAGES)}
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SIMILAR_MIN_CHARS = 3      # shorter words ("de", "la") say nothing about a group's topic
SIMILAR_MAX_TOKENS = 12
# Words too common to make two groups similar (folded): English and Spanish, the interface's.
STOPWORDS = frozenset(
    "the and for with from about our your this that into group groups teachers teaching "
    "los las del por para con una uno unos unas que como sus grupo grupos docentes profesores "
    "ensenanza".split())


class UnknownLanguage(ValueError):
    """A language code outside services.reference.CONTENT_LANGUAGES."""


def _language_tag(code):
    return "zzl" + code


def _true():
    return "TRUE" if _is_pg() else "1"


# --- Writing the index ---------------------------------------------------------------------

def _rows(group_ids):
    """(id, featured, languages mask, since, title words, body words, tags) of the ACTIVE
    groups among `group_ids`."""
    groups = list(Group.select(Group.id, Group.featured, Group.approved_at, Group.created_at,
                               Group.topics, Space.title, Space.description)
                  .join(Space, on=(Group.space == Space.id))
                  .where(Group.id.in_(group_ids), Group.state == GroupState.ACTIVE)
                  .tuples())
    if not groups:
        return []
    languages = {}
    for gid, code in (GroupLanguage.select(GroupLanguage.group, GroupLanguage.code)
                      .where(GroupLanguage.group.in_([g[0] for g in groups])).tuples()):
        languages.setdefault(gid, []).append(code)
    rows = []
    for gid, featured, approved_at, created_at, topics, title, description in groups:
        codes = sorted(c for c in languages.get(gid, []) if c in LANGUAGE_BITS)
        mask = 0
        for code in codes:
            mask |= LANGUAGE_BITS[code]
        since = approved_at or created_at
        rows.append((gid, bool(featured), mask, since if _is_pg() else str(since),
                     document(title, topics.replace(",", " ")), document(description),
                     " ".join(_language_tag(c) for c in codes)))
    return rows


def _tsvector(title, body, tags):
    """A tsvector literal of exactly our tokens: title A, body B, tags D (as "_zz...", which
    no keyword token can match)."""
    positions = {}
    position = 0
    for weight, text in (("A", title), ("B", body), ("D", tags)):
        for token in text.split():
            token = "_" + token if weight == "D" else token
            position = min(position + 1, 16383)
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{lexeme}':{','.join(p[:255])}" for lexeme, p in positions.items())


def _write(rows):
    if not rows:
        return
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, "INSERT INTO group_search (group_id, featured, languages, "
                           "since, doc) VALUES %s",
                           [r[:4] + (_tsvector(r[4], r[5], r[6]),) for r in rows],
                           template="(%s, %s, %s, %s, %s::tsvector)", page_size=1000)
    else:
        _executemany("INSERT INTO group_search (group_id, featured, languages, since) "
                     "VALUES (?, ?, ?, ?)", [(r[0], int(r[1]), r[2], r[3]) for r in rows])
        _executemany("INSERT INTO group_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)",
                     [(r[0], r[4], r[5], r[6]) for r in rows])


def _delete(ids):
    ids = [int(i) for i in ids]
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    db.execute_sql(_sql(f"DELETE FROM group_search WHERE group_id IN ({marks})"), ids)
    if not _is_pg():
        db.execute_sql(f"DELETE FROM group_fts WHERE rowid IN ({marks})", ids)


def index_group(group):
    """(Re)write a group's index row: listed only while ACTIVE. Takes a Group or its id."""
    group_id = getattr(group, "id", group)
    with db.atomic():
        _delete([group_id])
        _write(_rows([group_id]))


def remove_group(group_id):
    with db.atomic():
        _delete([getattr(group_id, "id", group_id)])


def reindex_groups():
    """Rebuild the groups' index from the tables; return how many groups are listed."""
    count = 0
    with db.atomic():
        db.execute_sql("DELETE FROM group_search")
        if not _is_pg():
            db.execute_sql("DELETE FROM group_fts")
        ids = [gid for (gid,) in Group.select(Group.id)
               .where(Group.state == GroupState.ACTIVE).order_by(Group.id).tuples()]
        for start in range(0, len(ids), 1000):
            rows = _rows(ids[start:start + 1000])
            _write(rows)
            count += len(rows)
    return count


# --- Searching -----------------------------------------------------------------------------

def _paging(total, page, per_page):
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    pages = max(1, -(-total // per_page))
    return min(max(int(page), 1), pages), per_page


def _groups_in_order(ids):
    """Groups with their spaces (and the space's logo file as .space.logo_file), in order."""
    if not ids:
        return []
    query = (Group.select(Group, Space, StoredFile)
             .join(Space, on=(Group.space == Space.id))
             .join(StoredFile, JOIN.LEFT_OUTER, on=(Space.logo_id == StoredFile.id),
                   attr="logo_file")
             .where(Group.id.in_(ids)))
    by_id = {g.id: g for g in query}
    return [by_id[i] for i in ids if i in by_id]


def search_groups(keyword="", language=None, page=1, per_page=20):
    """Active groups matching `keyword` (title, topics, description; accents and case
    folded; words are prefixes) in `language` (a CONTENT_LANGUAGES code or None): a Page of
    Groups, featured first, then best match, else newest. Raises UnknownLanguage."""
    if language and language not in LANGUAGE_BITS:
        raise UnknownLanguage(language)
    words = keyword_tokens(keyword)
    pg = _is_pg()
    if words:
        tags = [_language_tag(language)] if language else []
        if pg:
            parts = [f"'{w}':*" if len(w) >= PREFIX_MIN else f"'{w}'" for w in words]
            parts += [f"'_{t}'" for t in tags]
            tsq = " & ".join(parts)
            total = _fetch("SELECT count(*) FROM group_search WHERE doc @@ ?::tsquery",
                           [tsq])[0][0]
            page, per_page = _paging(total, page, per_page)
            rows = _fetch("SELECT group_id FROM group_search WHERE doc @@ ?::tsquery "
                          "ORDER BY featured DESC, ts_rank(doc, ?::tsquery) DESC, since DESC, "
                          "group_id DESC LIMIT ? OFFSET ?",
                          [tsq, tsq, per_page, (page - 1) * per_page])
        else:
            parts = [f'{{title body}} : "{w}"' + ("*" if len(w) >= PREFIX_MIN else "")
                     for w in words]
            parts += [f'tags : "{t}"' for t in tags]
            match = " AND ".join(parts)
            total = _fetch("SELECT count(*) FROM group_fts WHERE group_fts MATCH ?",
                           [match])[0][0]
            page, per_page = _paging(total, page, per_page)
            rows = _fetch("SELECT group_fts.rowid FROM group_fts JOIN group_search "
                          "ON group_search.group_id = group_fts.rowid "
                          "WHERE group_fts MATCH ? ORDER BY group_search.featured DESC, "
                          f"bm25(group_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0), "
                          "group_search.since DESC, group_fts.rowid DESC LIMIT ? OFFSET ?",
                          [match, per_page, (page - 1) * per_page])
    else:
        where, params = "", []
        if language:
            where, params = " WHERE (languages & ?) <> 0", [LANGUAGE_BITS[language]]
        total = _fetch(f"SELECT count(*) FROM group_search{where}", params)[0][0]
        page, per_page = _paging(total, page, per_page)
        rows = _fetch(f"SELECT group_id FROM group_search{where} "
                      "ORDER BY featured DESC, since DESC, group_id DESC LIMIT ? OFFSET ?",
                      params + [per_page, (page - 1) * per_page])
    return Page(_groups_in_order([r[0] for r in rows]), total, page, per_page)


def similar(title, topics="", limit=5, exclude=None):
    """G-1: active groups whose title, topics or description share words with what a
    teacher is typing (any of its words, common ones left out), best first: a list of
    Groups. `exclude`: a group id not to list (the request being edited)."""
    words = []
    for token in tokens(f"{title or ''} {(topics or '').replace(',', ' ')}"[:400]):
        if len(token) >= SIMILAR_MIN_CHARS and token not in STOPWORDS and token not in words:
            words.append(token)
    words = words[:SIMILAR_MAX_TOKENS]
    if not words:
        return []
    limit = min(max(int(limit), 1), 20)
    extra = 1 if exclude else 0
    if _is_pg():
        tsq = " | ".join(f"'{w}':*" for w in words)
        rows = _fetch("SELECT group_id FROM group_search WHERE doc @@ ?::tsquery "
                      "ORDER BY ts_rank(doc, ?::tsquery) DESC, featured DESC, since DESC, "
                      "group_id DESC LIMIT ?", [tsq, tsq, limit + extra])
    else:
        match = " OR ".join(f'{{title body}} : "{w}"*' for w in words)
        rows = _fetch("SELECT group_fts.rowid FROM group_fts JOIN group_search "
                      "ON group_search.group_id = group_fts.rowid WHERE group_fts MATCH ? "
                      f"ORDER BY bm25(group_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0), "
                      "group_search.featured DESC, group_search.since DESC, "
                      "group_fts.rowid DESC LIMIT ?", [match, limit + extra])
    ids = [r[0] for r in rows if r[0] != exclude][:limit]
    return _groups_in_order(ids)


# --- What a listed group shows ---------------------------------------------------------------

def member_counts(space_ids):
    """{space id: members} for a page of groups, in one query."""
    if not space_ids:
        return {}
    return dict(Membership.select(Membership.space, fn.COUNT(Membership.id))
                .where(Membership.space.in_(list(space_ids)))
                .group_by(Membership.space).tuples())


def languages_of(group_ids):
    """{group id: [codes, sorted]} in one query."""
    result = {gid: [] for gid in group_ids}
    if group_ids:
        for gid, code in (GroupLanguage.select(GroupLanguage.group, GroupLanguage.code)
                          .where(GroupLanguage.group.in_(list(group_ids)))
                          .order_by(GroupLanguage.code).tuples()):
            result.setdefault(gid, []).append(code)
    return result


def cards(groups):
    """What each listed group shows beside its title: {group id: {"languages", "members",
    "active_at", "logo"}} for a page of groups, in a few grouped queries."""
    space_ids = [g.space_id for g in groups]
    members = member_counts(space_ids)
    activity = group_watch.last_activity(space_ids)
    languages = languages_of([g.id for g in groups])
    result = {}
    for g in groups:
        logo = getattr(g.space, "logo_file", None)
        result[g.id] = {
            "languages": languages.get(g.id, []),
            "members": members.get(g.space_id, 0),
            "active_at": activity.get(g.space_id) or g.approved_at,
            "logo": (logo if logo is not None and logo.id
                     and logo.content_type.startswith("image/") else None),
        }
    return result
