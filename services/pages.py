"""Pages of a space (T-2) and their history (T-3): the tree, saving with edit-conflict
detection, reordering, archiving, and a readable diff between two texts.

Every save writes a PageRevision; history is never rewritten (restoring an old version is a
new revision with the old text).

Materials in stored text are kept by reference, never by address. An image or a document
inserted into a page points at its stored file (/files/<id>, an address that belongs to no
kind of space); a video is a link to the material's page, which lives under the space's
parent (a TwinSpace's, a Group's), so the text keeps only the material's id:
`<a data-material="12">▶ Title</a>`. `link_materials` gives that link its address when a
space's text is shown (pages, revisions, public view, diary, forums: the `material_links`
template filter, under the space's own parent) or exported (a relative path in the zip), so
the same text reads the same under any parent. Migration 0013 turned the addresses stored
before into references.
Why a data attribute rather than a made-up scheme (`href="material:12"`): the sanitiser
drops every data-* but this one, on links only and with digits only, so nothing a browser
or htmx acts on can ride on it; a new scheme would be allowed on every link of every text
and show as a dead link wherever a text is not rendered through here. A reference that is
not rendered is a link without an address: plain text, never a wrong address."""
import difflib
import html
import re

from models import Page, PageEdit, PageRevision, PageView, db, fn, utcnow
from services.sanitize import text_or_html


class EditConflict(Exception):
    """The page changed since the editor opened it: nothing was saved."""


def live_pages(space):
    """The space's pages that are not archived, in tree order (parent, position)."""
    return (Page.select().where((Page.space == space) & Page.archived_at.is_null())
            .order_by(Page.position, Page.id))


def tree(space, may_view):
    """Nested [(page, children)] of the pages `may_view(page)` allows, in `position` order.
    One query. A page under an archived or hidden page is left out with it."""
    by_parent = {}
    for page in live_pages(space):
        by_parent.setdefault(page.parent_id, []).append(page)

    def build(parent_id):
        return [(page, build(page.id)) for page in by_parent.get(parent_id, [])
                if may_view(page)]
    return build(None)


class Place:
    """Where a page sits in the tree a reader sees: `ancestors` (top first), the `previous`
    and `next` page in reading order (the tree's order, depth first) and its `children`."""

    def __init__(self, ancestors=(), previous=None, next=None, children=()):
        self.ancestors, self.previous, self.next = list(ancestors), previous, next
        self.children = list(children)


def place(space, page, may_view):
    """The Place of `page` among the pages `may_view` allows (one query, like `tree`). A page
    outside that tree (under a page the reader may not see) gets an empty Place, so that no
    title of a hidden page shows."""
    order, ancestors_of, children_of = [], {}, {}

    def walk(nodes, ancestors):
        for node, children in nodes:
            order.append(node)
            ancestors_of[node.id] = ancestors
            children_of[node.id] = [child for child, _ in children]
            walk(children, ancestors + [node])
    walk(tree(space, may_view), [])
    ids = [p.id for p in order]
    if page.id not in ids:
        return Place()
    at = ids.index(page.id)
    return Place(ancestors_of[page.id], order[at - 1] if at > 0 else None,
                 order[at + 1] if at + 1 < len(order) else None, children_of[page.id])


def is_reachable(page):
    """Whether no ancestor of the page is archived (archiving hides the whole branch)."""
    seen = set()
    while page.parent_id and page.parent_id not in seen:
        seen.add(page.parent_id)
        page = Page.get_or_none(Page.id == page.parent_id)
        if page is None or page.archived_at is not None:
            return False
    return True


def create(space, author, title, body, parent=None, view_rule=None, edit_rule=None):
    """A new page at the end of its siblings, with its first revision."""
    with db.atomic():
        last = (Page.select(fn.MAX(Page.position))
                .where((Page.space == space) & (Page.parent == parent)
                       if parent is not None else
                       (Page.space == space) & Page.parent.is_null())
                .scalar())
        view_rule = view_rule or (parent.view_rule if parent else PageView.MEMBERS)
        edit_rule = edit_rule or (parent.edit_rule if parent else PageEdit.TEACHERS)
        page = Page.create(space=space, parent=parent, title=title, body=text_or_html(body),
                           position=(last if last is not None else -1) + 1,
                           view_rule=view_rule, edit_rule=edit_rule,
                           created_by=author, version=1)
        PageRevision.create(page=page, version=1, title=page.title, body=page.body,
                            author=author)
    return page


def save(page, author, title, body, base_version, view_rule=None, edit_rule=None):
    """Store a new version of the page, unless somebody saved since `base_version`: then
    raise EditConflict and change nothing."""
    body = text_or_html(body)
    changes = {Page.title: title, Page.body: body, Page.version: base_version + 1,
               Page.updated_at: utcnow()}
    if view_rule:
        changes[Page.view_rule] = view_rule
    if edit_rule:
        changes[Page.edit_rule] = edit_rule
    with db.atomic():
        updated = (Page.update(changes)
                   .where((Page.id == page.id) & (Page.version == base_version))
                   .execute())
        if not updated:
            raise EditConflict()
        PageRevision.create(page=page.id, version=base_version + 1, title=title, body=body,
                            author=author)
    return Page.get_by_id(page.id)


def restore(page, revision, author):
    """A new revision with the text of an earlier one."""
    return save(page, author, revision.title, revision.body, page.version)


def move(page, direction, may_view):
    """Swap the page with its previous ("up") or next ("down") sibling that `may_view`
    allows; positions of the siblings are renumbered 0..n. Returns whether it moved."""
    parent = (Page.parent == page.parent_id) if page.parent_id else Page.parent.is_null()
    siblings = list(live_pages(page.space_id).where(parent))
    ids = [p.id for p in siblings]
    if page.id not in ids:
        return False
    visible = [p for p in siblings if p.id == page.id or may_view(p)]
    at = [p.id for p in visible].index(page.id)
    other = at - 1 if direction == "up" else at + 1
    if other < 0 or other >= len(visible):
        return False
    i, j = ids.index(page.id), ids.index(visible[other].id)
    siblings[i], siblings[j] = siblings[j], siblings[i]
    with db.atomic():
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                Page.update(position=position).where(Page.id == sibling.id).execute()
    return True


def archive(page):
    Page.update(archived_at=utcnow()).where(Page.id == page.id).execute()


def bring_back(page):
    Page.update(archived_at=None).where(Page.id == page.id).execute()


_BREAKS = re.compile(r"<\s*(br|/p|/h[1-6]|/li|/tr|/blockquote|/pre|hr)\b[^>]*>", re.I)
_CELLS = re.compile(r"<\s*/t[dh]\s*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


def text_lines(body):
    """The stored HTML as plain lines of text, tags stripped, for comparing."""
    text = _CELLS.sub(" | ", _BREAKS.sub("\n", body or ""))
    text = html.unescape(_TAGS.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


class Block:
    """One paragraph of a comparison: `kind` is "same", "changed", "removed" (only in the old
    text), "added" (only in the new) or "skip" (`count` unchanged paragraphs left out);
    `segments` are (op, text) with op "same", "del" or "ins". Texts are plain (tags stripped,
    entities decoded): the template escapes them, so no stored markup reaches the page."""

    def __init__(self, kind, segments=(), count=0):
        self.kind, self.segments, self.count = kind, list(segments), count


class Comparison:
    """The `blocks` to show, and how many paragraphs `changed` (one replaced by another
    counts once)."""

    def __init__(self, blocks, changed):
        self.blocks, self.changed = blocks, changed


_WORDS = re.compile(r"\s+|[^\s]+")
CONTEXT = 1  # unchanged paragraphs kept around a change; longer runs are left out


def _inline(old, new):
    """Word by word: what stayed, what went (del) and what came (ins), adjacent runs merged."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    segments = []

    def add(op, words):
        text = "".join(words)
        core = text.strip()
        if op != "same" and core != text:  # spaces around changed words are not a change
            lead = text[:len(text) - len(text.lstrip())]
            add("same", [lead])
            add(op, [core])
            add("same", [text[len(lead) + len(core):]])
            return
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return segments


def _similar(old, new):
    """Whether two paragraphs share enough words to show one as a change of the other."""
    return difflib.SequenceMatcher(None, old.split(), new.split(),
                                   autojunk=False).ratio() >= 0.4


def compare(old_body, new_body):
    """What changed from one stored text to another, paragraph by paragraph: a paragraph
    partly changed shows its words struck out or added in place; long runs of unchanged
    paragraphs are left out but for CONTEXT paragraphs next to a change."""
    old, new = text_lines(old_body), text_lines(new_body)
    blocks, changed = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.extend(Block("same", [("same", line)]) for line in old[i1:i2])
            continue
        gone, came = old[i1:i2], new[j1:j2]
        changed += max(len(gone), len(came))
        for k in range(max(len(gone), len(came))):
            before = gone[k] if k < len(gone) else None
            after = came[k] if k < len(came) else None
            if before is not None and after is not None and _similar(before, after):
                blocks.append(Block("changed", _inline(before, after)))
                continue
            if before is not None:
                blocks.append(Block("removed", [("del", before)]))
            if after is not None:
                blocks.append(Block("added", [("ins", after)]))
    return Comparison(_leave_out_unchanged(blocks), changed)


def _leave_out_unchanged(blocks):
    near = set()
    for at, block in enumerate(blocks):
        if block.kind != "same":
            near.update(range(at - CONTEXT, at + CONTEXT + 1))
    kept, skipped = [], 0
    for at, block in enumerate(blocks):
        if block.kind == "same" and at not in near:
            skipped += 1
            continue
        if skipped:
            kept.append(Block("skip", count=skipped))
            skipped = 0
        kept.append(block)
    if skipped:
        kept.append(Block("skip", count=skipped))
    return kept
