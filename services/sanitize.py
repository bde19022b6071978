"""The bleach policy: the only way user-written HTML enters the database or a page.

The allowlist never includes svg, math, style, noscript, iframe or form; no hx-* or on*
attribute survives, and of data-* only `data-material` on a link, with digits only (1 to 10):
a text's reference to a material of its space, which services/pages.py renders to the
material's address when the text is shown. Links may only be http, https or mailto. Cleaning
twice changes nothing.
"""
import re

import bleach
from bleach.linkifier import Linker
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "img",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
})
_MATERIAL_ID = re.compile(r"[0-9]{1,10}")


def _link_attribute(tag, name, value):
    """A link keeps href, title and lang, and `data-material` when its value is a material id
    (ASCII digits only: nothing a browser, htmx or a script could act on)."""
    if name == "data-material":
        return _MATERIAL_ID.fullmatch(value) is not None
    return name in ("href", "title", "lang")


ALLOWED_ATTRIBUTES = {
    "a": _link_attribute,
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "p": ["lang"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                          protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True)


def clean_html(html):
    """Return user HTML reduced to the allowlist, ready to store."""
    return _cleaner.clean(html or "")


# Any http(s) address, also one without a top-level domain (localhost, an IP on a school LAN).
_linker = Linker(url_re=re.compile(r"https?://[^\s<>\"']+"), parse_email=False,
                 callbacks=[bleach.callbacks.nofollow])


def linkify_text(text):
    """Escape plain text (a mail body, a chat line) and make its web addresses clickable."""
    return Markup(_linker.linkify(str(escape(text or ""))))


# Something that reads as an HTML tag or comment: "<" then a letter, "/" or "!". Plain text
# with a lone "<" ("fewer than <20 pupils", "<3") is still plain text.
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!]")
_BLOCK_TAG = re.compile(r"<\s*(?:p|h[1-6]|ul|ol|li|table|blockquote|pre|div|br|hr)\b", re.I)


def text_to_html(text, inline_html=False):
    """Plain text as stored rich text: escaped paragraphs (a blank line apart) with <br> for
    single line breaks and its web addresses as links, cleaned like any HTML. What
    text_or_html makes of plain text, and what migration 0020 made of the stored plain texts
    of mail, partner-forum posts and profiles. With `inline_html`, the text may hold inline
    tags (<b>, <a>): they are kept (and cleaned), not escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    return clean_html("".join(
        "<p>{}</p>".format(_linker.linkify(clean_html(p) if inline_html else str(escape(p)))
                           .replace("\n", "<br>"))
        for p in paragraphs))


def text_or_html(value):
    """Clean what somebody typed or the editor wrote (a rich-text field without the editor
    takes plain text or simple HTML): HTML with blocks through the allowlist; text, also with
    inline tags like <b>, into paragraphs. Either way, web addresses written as text become
    links."""
    value = (value or "").strip().replace("\r\n", "\n")
    if not _LOOKS_LIKE_HTML.search(value):
        return text_to_html(value)
    if _BLOCK_TAG.search(value):
        # The editor's HTML: addresses typed as text become links too (not those in links).
        return clean_html(_linker.linkify(clean_html(value)))
    return text_to_html(value, inline_html=True)


def has_text(html):
    """Whether stored HTML says anything: some visible text, or a picture (not only empty
    tags such as "<p></p>" or "<p><br></p>")."""
    return bool(plain_text(html).strip()) or "<img" in (html or "")


def rich_text(value):
    """An optional rich-text field's value to store: cleaned (text_or_html), or "" when
    nothing visible is left."""
    cleaned = text_or_html(value)
    return cleaned if has_text(cleaned) else ""


_BLOCK_ENDS = re.compile(
    r"<\s*(?:br|hr|/p|/h[1-6]|/li|/tr|/t[dh]|/blockquote|/pre|/div|/dt|/dd)\b[^>]*>", re.I)


def plain_text(html, limit=None):
    """The plain text of HTML (a stored text, or a rendered bit of page): tags dropped with
    blocks kept apart, entities decoded, spaces collapsed; with `limit`, cut at a word to at
    most that many characters, ending "…". For a meta description (which Jinja escapes)."""
    text = str(Markup(_BLOCK_ENDS.sub(" ", str(html or ""))).striptags())
    if limit and len(text) > limit:
        cut = text[:limit - 1]
        if text[limit - 1] != " " and " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        text = cut.rstrip(" ,.;:-\u2014") + "\u2026"
    return text
