"""Materials in the stored text of pages (T-2: "insert an image, video or document from the
materials"): the picker's choices, the snippet a material becomes, references to materials kept
by id (`<a data-material="12">`) and their addresses when shown or exported, and the video
players under a page. See services/pages.py for why a text keeps references, not addresses."""
import re

from markupsafe import escape
from peewee import JOIN

from models import Material, MaterialKind, Page, StoredFile
from services import materials, storage
from services.pages import save
from services.sanitize import clean_html

PICKER_LIMIT = 60
INSERT_WIDTH = 480  # images go into a page at this stored width

# A link tag of a cleaned text (attribute values are quoted; a quoted value may hold ">"),
# the reference in it (cleaning keeps exactly this form) and its address, if any.
_LINK_TAG = re.compile(r"<a\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_MATERIAL_REF = re.compile(r'\sdata-material="([0-9]{1,10})"')
_HREF = re.compile(r"\shref\s*=\s*(?:\"[^\"]*\"|'[^']*')", re.I)


def material_reference(material_id):
    """The attribute by which a text refers to a material of its space."""
    return f'data-material="{int(material_id)}"'


def referenced_materials(html):
    """The ids of the materials that links in a stored text refer to, each once, in the order
    they first appear."""
    ids = []
    for match in _LINK_TAG.finditer(html or ""):
        ref = _MATERIAL_REF.search(match.group(1))
        if ref is not None and int(ref.group(1)) not in ids:
            ids.append(int(ref.group(1)))
    return ids


def link_materials(html, address):
    """A stored text as shown: every link that refers to a material gets `address(id)` as its
    href in place of the reference (and of any href it had), or no href at all when
    `address` returns None. Everything else is left byte for byte as it was."""
    if "data-material" not in (html or ""):
        return html or ""

    def tag(match):
        attrs = match.group(1)
        ref = _MATERIAL_REF.search(attrs)
        if ref is None:
            return match.group(0)
        url = address(int(ref.group(1)))
        href = f' href="{escape(url)}"' if url else ""
        attrs = _HREF.sub("", attrs[:ref.start()]) + href + _HREF.sub("", attrs[ref.end():])
        return "<a" + attrs + ">"
    return _LINK_TAG.sub(tag, html)


def insertable_materials(space, kind=None, q=""):
    """The space's materials a page may show, newest first (one query, files joined): images
    that have a file and alt text, documents with a file, and videos (a file or a link)."""
    query = (Material.select(Material, StoredFile)
             .join(StoredFile, JOIN.LEFT_OUTER, on=(Material.file == StoredFile.id))
             .where((Material.space == space) & Material.hidden_at.is_null()
                    & (((Material.kind == MaterialKind.IMAGE) & (Material.alt_text != "")
                        & Material.file.is_null(False))
                       | ((Material.kind == MaterialKind.DOCUMENT)
                          & Material.file.is_null(False))
                       | (Material.kind == MaterialKind.VIDEO))))
    if kind in MaterialKind.ALL:
        query = query.where(Material.kind == kind)
    q = (q or "").strip()[:100]
    if q:
        query = query.where(Material.title.contains(q) | Material.alt_text.contains(q)
                            | Material.description.contains(q))
    return list(query.order_by(Material.created_at.desc(), Material.id.desc())
                .limit(PICKER_LIMIT))


def insertable_material(space, material_id):
    """One material of this space that may go into a page, or None (another space's too)."""
    for material in (Material.select(Material, StoredFile)
                     .join(StoredFile, JOIN.LEFT_OUTER, on=(Material.file == StoredFile.id))
                     .where((Material.id == material_id) & (Material.space == space))):
        if material.kind == MaterialKind.VIDEO:
            return material
        if material.file_id and (material.kind == MaterialKind.DOCUMENT or material.alt_text):
            return material
    return None


def document_label(stored):
    """ "PDF, 1.2 MB": the type and size shown with a document (the materials' own names)."""
    return f"{materials.type_name(stored.content_type)}, {materials.human_size(stored.size)}"


def material_snippet(material):
    """The HTML a page gets for a material: built escaped, then passed through the sanitiser
    so that it is exactly what the page will store (cleaning it again changes nothing)."""
    if material.kind == MaterialKind.IMAGE:
        width, height = storage.image_size(material.file, INSERT_WIDTH)
        raw = (f'<img src="/files/{int(material.file_id)}/w{INSERT_WIDTH}" '
               f'alt="{escape(material.alt_text)}" width="{int(width)}" height="{int(height)}">')
    elif material.kind == MaterialKind.DOCUMENT:
        raw = (f'<a href="/files/{int(material.file_id)}">{escape(material.title)} '
               f'({escape(document_label(material.file))})</a>')
    else:
        raw = (f'<p><a {material_reference(material.id)}>'
               f'\u25b6 {escape(material.title)}</a></p>')
    return clean_html(raw)


def append_material(page, author, material):
    """Add a material's snippet at the end of the page, as a new revision (on top of the
    version stored now; EditConflict if somebody saves in between)."""
    current = Page.get_by_id(page.id)
    body = current.body or ""
    separator = "" if not body or body.endswith(">") else "\n"
    return save(current, author, current.title, body + separator + material_snippet(material),
                current.version)


def video_players(html, space):
    """The video materials of `space` that links in a page body refer to, in the order they
    first appear (one query). References to other spaces' materials or to non-videos are
    ignored."""
    ids = referenced_materials(html)
    if not ids:
        return []
    found = {m.id: m for m in Material.select().where(
        (Material.id.in_(ids[:50])) & (Material.space == space)
        & (Material.kind == MaterialKind.VIDEO))}
    return [found[i] for i in ids if i in found]
