"""Stored text names no parent (issue 11): a link to a material of the text's own space written
as its TwinSpace address, `<a href="/twinspaces/<space>/materials/<id>">` (the video snippet
of T-2 inserted it; a teacher may have typed it), becomes a reference by id,
`<a data-material="<id>">`, which services/pages.py renders to the material's address under
the space's parent. In page bodies, page revisions, diary posts and the HTML posts of space
forums. A link to another space's material, to a material that is gone, or with a fragment
or a query, stays as it was. Nothing else in a text changes, byte for byte."""
import re

# A link tag of a cleaned text (attribute values are always double-quoted, may hold ">").
LINK = re.compile(r"<a\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
OLD = re.compile(r'(\s)href="/twinspaces/([0-9]{1,10})/materials/([0-9]{1,10})/?"')
NEW = re.compile(r'(\s)data-material="([0-9]{1,10})"')

# The texts that may hold such links: (table, query of (id, space id, body) whose last
# parameter is a LIKE pattern, the parameters before it). {p}: the database's mark.
TEXTS = [
    ("page", "SELECT id, space_id, body FROM page WHERE body LIKE {p}", ()),
    ("page_revision", "SELECT page_revision.id, page.space_id, page_revision.body "
                      "FROM page_revision JOIN page ON page.id = page_revision.page_id "
                      "WHERE page_revision.body LIKE {p}", ()),
    ("diary_post", "SELECT id, space_id, body FROM diary_post WHERE body LIKE {p}", ()),
    ("post", "SELECT post.id, forum.space_id, post.body FROM post "
             "JOIN discussion ON discussion.id = post.discussion_id "
             "JOIN forum ON forum.id = discussion.forum_id "
             "WHERE forum.space_id IS NOT NULL AND post.is_html = {p} "
             "AND post.body LIKE {p}", (True,)),  # plain-text posts show their text as typed
]


def _by_id(db, sql, ids):
    """{id: value} of `sql` ("SELECT id, x FROM t WHERE id IN ({marks})") for `ids`."""
    found, ids = {}, sorted(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join([db.param] * len(chunk))
        found.update(db.execute_sql(sql.format(marks=marks), chunk).fetchall())
    return found


def to_references(body, space_id, space_of):
    """The text with every link to a material of `space_id` by its address made a reference
    (`space_of`: material id -> its space id, for the materials that exist)."""
    def tag(match):
        attrs = match.group(1)
        link = OLD.search(attrs)
        if (link is None or "data-material" in attrs or int(link.group(2)) != space_id
                or space_of.get(int(link.group(3))) != space_id):
            return match.group(0)
        return ("<a" + attrs[:link.start()] + f'{link.group(1)}data-material="{link.group(3)}"'
                + attrs[link.end():] + ">")
    return LINK.sub(tag, body)


def to_addresses(body, space_id, kind):
    """The other way (down): a TwinSpace's references back to addresses."""
    def tag(match):
        attrs = match.group(1)
        ref = NEW.search(attrs)
        if ref is None or kind != "twinspace":
            return match.group(0)
        return ("<a" + attrs[:ref.start()]
                + f'{ref.group(1)}href="/twinspaces/{space_id}/materials/{ref.group(2)}"'
                + attrs[ref.end():] + ">")
    return LINK.sub(tag, body)


def _rewrite(db, pattern, change):
    """Apply change(rows) -> {row id: new body} to every kind of text."""
    for table, sql, args in TEXTS:
        rows = db.execute_sql(sql.format(p=db.param), args + (pattern,)).fetchall()
        for row_id, body in change(db, rows).items():
            db.execute_sql(f"UPDATE {table} SET body = {db.param} WHERE id = {db.param}",
                           (body, row_id))


def _up(db, rows):
    ids = {int(m.group(3)) for _, _, body in rows for m in OLD.finditer(body or "")}
    space_of = _by_id(db, "SELECT id, space_id FROM material WHERE id IN ({marks})", ids)
    changed = {}
    for row_id, space_id, body in rows:
        new = to_references(body or "", space_id, space_of)
        if new != body:
            changed[row_id] = new
    return changed


def _down(db, rows):
    kinds = _by_id(db, "SELECT id, kind FROM space WHERE id IN ({marks})",
                   {space_id for _, space_id, _ in rows})
    changed = {}
    for row_id, space_id, body in rows:
        new = to_addresses(body or "", space_id, kinds.get(space_id))
        if new != body:
            changed[row_id] = new
    return changed


def up(migrator, db):
    _rewrite(db, "%/twinspaces/%/materials/%", _up)


def down(migrator, db):
    _rewrite(db, "%data-material=%", _down)
