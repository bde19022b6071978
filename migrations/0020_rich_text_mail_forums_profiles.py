"""Rich text in mail, partner forums and profiles (issue 14): the texts that were stored as
plain text (and shown escaped, their web addresses linked) become the HTML the write path
now stores, so that every row of each field has one format:
- mail_message.body (Live mail and every space's mail);
- post.body where post.is_html is false (the partner forums of Live; also any space-forum
  post from before T-10), which then gets is_html true;
- user.offer ("What I can offer", Live profile) and user.space_about (the profile in spaces);
- bulletin_post.body (the teachers' bulletin of a TwinSpace).

A plain text becomes services.sanitize.text_to_html of it: escaped paragraphs (a blank line
apart) with <br> for line breaks and its web addresses as links, exactly what text_or_html
makes of typed plain text. A text as it was shown is never read as HTML: "<b>" typed in a
mail stays the four characters. An empty profile text stays empty. Rows are read and
written in batches, by id.

Down: the same rows back to plain text (paragraphs a blank line apart, line breaks, the
words of links); the partner-forum posts get is_html false again (space-forum posts keep
their HTML: their pages show both formats).
"""
import html
import re

from services.sanitize import text_to_html

BATCH = 500

# (table, the column, the condition on rows to convert). Table names are quoted ("user").
TEXTS = [
    ("mail_message", "body", "1 = 1"),
    ("post", "body", "is_html = {p}"),
    ("user", "offer", "offer <> ''"),
    ("user", "space_about", "space_about <> ''"),
    ("bulletin_post", "body", "1 = 1"),
]


def to_html(text):
    """A stored plain text as the write path stores it now."""
    return text_to_html(text or "")


_BREAK = re.compile(r"<br\s*/?>", re.I)
_PARAGRAPH_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|tr|table|ul|ol)\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def to_text(stored):
    """The other way: HTML back to plain text, paragraphs a blank line apart."""
    text = _PARAGRAPH_END.sub("\n\n", _BREAK.sub("\n", stored or ""))
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _batches(db, table, column, where, args):
    """[(id, value), ...] of the rows to convert, BATCH at a time, by id."""
    last = 0
    while True:
        rows = db.execute_sql(
            f'SELECT id, {column} FROM "{table}" WHERE id > {db.param} AND ({where}) '
            f'ORDER BY id LIMIT {BATCH}', (last,) + args).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def convert(db, change, forum_posts_only=False, is_html_from=False, is_html_to=True):
    """Rewrite every text of TEXTS with change(value) -> new value, a batch at a time."""
    for table, column, where in TEXTS:
        args = ()
        if table == "post":
            where, args = where.format(p=db.param), (is_html_from,)
            if forum_posts_only:
                where += (" AND discussion_id IN (SELECT discussion.id FROM discussion "
                          "JOIN forum ON forum.id = discussion.forum_id "
                          "WHERE forum.space_id IS NULL)")
            sql = f"UPDATE post SET body = {db.param}, is_html = {db.param} WHERE id = {db.param}"
        else:
            sql = f'UPDATE "{table}" SET {column} = {db.param} WHERE id = {db.param}'
        for rows in _batches(db, table, column, where, args):
            if table == "post":
                params = [(change(value), is_html_to, row_id) for row_id, value in rows]
            else:
                params = [(change(value), row_id) for row_id, value in rows]
            db.cursor().executemany(sql, params)


def up(migrator, db):
    convert(db, to_html)


def down(migrator, db):
    convert(db, to_text, forum_posts_only=True, is_html_from=True, is_html_to=False)
