"""A space as a static HTML archive (T-17), and the stored-HTML rewriting it shares with the
public view (T-9).

Page and diary bodies were cleaned by services/sanitize.py on write, so their tags are
well-formed, attribute values are quoted and links cannot nest: a quote-aware regex over
`<img>` and `<a>` tags is enough, and everything else is left byte for byte as it was.

The archive is written into a temporary file on disk (never whole in memory): every page,
the materials, the files they use and the sections the space's kind adds (a TwinSpace's
diary: `Section`, from its parent's `export_sections` hook), with links rewritten to
relative paths so that it opens offline from any folder. Links that refer to a material
(services/pages.py) point at its entry in materials.html; typed addresses of the space's own
pages and materials are recognised by the app's routing, so no parent's path is written
here.
"""
import datetime
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import urlsplit

from flask import current_app, render_template
from peewee import JOIN
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from models import Folder, Material, MaterialKind, StoredFile
from services import page_materials
from services import pages as page_service
from services import storage

# A tag whose attribute values may contain ">" (they are always quoted after sanitising).
_TAG = re.compile(r"<(img|a)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(.*?)</a\s*>",
                     re.IGNORECASE | re.DOTALL)
_URL_ATTR = re.compile(r"(\s(?:src|href)\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_FILE_PATH = re.compile(r"^/files/(\d+)(?:/w(\d+))?/?$")
_FRAGMENT = re.compile(r"[\w-]*")

IMAGE_WIDTHS = (480, 1200)


def _url_of(tag_attrs):
    match = _URL_ATTR.search(tag_attrs)
    return match.group(2)[1:-1].strip() if match else None


def _file_id(url):
    match = _FILE_PATH.match(url or "")
    return int(match.group(1)) if match else None


def file_ids_in(html):
    """The ids of stored files that the images and links of some HTML point at."""
    ids = set()
    for match in _TAG.finditer(html or ""):
        file_id = _file_id(_url_of(match.group(2)))
        if file_id is not None:
            ids.add(file_id)
    return ids


def strip_private_images(html, allowed_file_ids):
    """Remove every image whose src is a stored file (/files/<id>[/w<n>]) not in
    `allowed_file_ids`, and unwrap links to such files (their text stays). Images and links
    elsewhere are kept as they are."""
    allowed = set(allowed_file_ids)

    def private(attrs):
        file_id = _file_id(_url_of(attrs))
        return file_id is not None and file_id not in allowed

    def anchor(match):
        return match.group(2) if private(match.group(1)) else match.group(0)

    def image(match):
        if match.group(1).lower() == "img" and private(match.group(2)):
            return ""
        return match.group(0)
    return _TAG.sub(image, _ANCHOR.sub(anchor, html or ""))


def rewrite_urls(html, resolve):
    """Replace the src/href of every <img> and <a> by `resolve(url)` when it returns a new
    address (None keeps the old one). The new address is escaped for a quoted attribute."""
    def attribute(match):
        old = match.group(2)[1:-1]
        new = resolve(old.strip().replace("&amp;", "&"))
        if new is None:
            return match.group(0)
        return match.group(1) + '"' + new.replace("&", "&amp;").replace('"', "&quot;") + '"'

    def tag(match):
        return "<" + match.group(1) + _URL_ATTR.sub(attribute, match.group(2)) + ">"
    return _TAG.sub(tag, html or "")


# --- The archive ---------------------------------------------------------------------------

def _slug(text):
    ascii_text = (unicodedata.normalize("NFKD", str(text or ""))
                  .encode("ascii", "ignore").decode("ascii"))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def archive_filename(space, today=None, fallback="space"):
    """e.g. our-rivers-our-future-2026-12-03.zip: ASCII only, safe in any file system. A title
    with no ASCII letter gives way to `fallback` (the parent's word for a space)."""
    today = today or datetime.date.today()
    return f"{_slug(space.title) or _slug(fallback) or 'space'}-{today.isoformat()}.zip"


@dataclass
class Section:
    """A file a kind of space adds to its spaces' archives (a TwinSpace's diary), declared by
    its parent's `export_sections` hook. `name` is its path in the zip ("diary.html"), written
    from `template` with the archive's context (space, archive, root, sections) and `context`
    (queries in it run only when the archive is built); `title` names it in the archive's
    menu, `link` on the archive's home, followed by `count()` if given; `holds` says on the
    export page what it holds."""
    name: str
    template: str
    title: object
    link: object
    holds: object
    context: dict = field(default_factory=dict)
    count: Optional[Callable[[], str]] = None


def image_name(stored, width):
    return f"files/{stored.id}-w{width}.webp"


def file_name(stored):
    return f"files/{stored.id}-{secure_filename(storage.download_name(stored)) or 'file'}"


class _Archive:
    """What goes into one space's archive, and how its addresses map to archive paths."""

    def __init__(self, space):
        from blueprints.spaces import parents
        self.space = space
        self.parent = parents.of(space)
        self.routes = current_app.url_map.bind("localhost")
        self.tree = page_service.tree(space, lambda page: True)
        self.pages, self.children = [], {}
        self._flatten(self.tree)
        self.page_by_id = {page.id: page for page in self.pages}
        self.page_ids = set(self.page_by_id)
        order = {kind: n for n, kind in enumerate(MaterialKind.ALL)}  # albums, videos, documents
        self.folders = sorted(Folder.select().where(Folder.space == space)
                              .order_by(Folder.title, Folder.id),
                              key=lambda folder: order.get(folder.kind, len(order)))
        self.materials = list(
            Material.select(Material, StoredFile)
            .join(StoredFile, on=(Material.file == StoredFile.id), join_type=JOIN.LEFT_OUTER)
            .where(Material.space == space).order_by(Material.created_at, Material.id))
        self.by_folder = {}
        for material in self.materials:
            self.by_folder.setdefault(material.folder_id, []).append(material)
        self.material_ids = {m.id for m in self.materials}
        self.files = {m.file.id: m.file for m in self.materials if m.file_id}
        self.logo = space.logo
        if self.logo is not None:
            self.files[self.logo.id] = self.logo

    def _flatten(self, nodes):
        for page, children in nodes:
            self.pages.append(page)
            self.children[page.id] = children
            self._flatten(children)

    def file_path(self, stored, width=None):
        """The archive path of a stored file (an image at the nearest exported width)."""
        if stored.content_type.startswith("image/"):
            chosen = 480 if width is not None and width <= 480 else 1200
            return image_name(stored, chosen)
        return file_name(stored)

    def material_path(self, material_id, prefix=""):
        """A material's entry in the archive, or None if it is not one of the space's."""
        if material_id in self.material_ids:
            return f"{prefix}materials.html#material-{material_id}"
        return None

    def space_address(self, url):
        """(endpoint, values, fragment) when `url` is an address in this space under its
        parent (a path, maybe with a fragment and a trailing slash), else None. `endpoint` is
        the shared blueprint's ("page", "material"): the routing decides, not a pattern."""
        parts = urlsplit(url)
        if (parts.scheme or parts.netloc or parts.query or not parts.path.startswith("/")
                or not _FRAGMENT.fullmatch(parts.fragment)):
            return None
        try:
            endpoint, values = self.routes.match(parts.path.rstrip("/") or "/", method="GET")
        except HTTPException:  # no such page, or a redirect to one
            return None
        if values.get("space_id") != self.space.id:
            return None
        shared = self.parent.endpoint("")
        if not endpoint.startswith(shared):
            return None
        return endpoint[len(shared):], values, parts.fragment

    def resolver(self, prefix):
        """Map an address in a body to its archive path, seen from a file under `prefix`."""
        def resolve(url):
            match = _FILE_PATH.match(url)
            if match and int(match.group(1)) in self.files:
                width = int(match.group(2)) if match.group(2) else None
                return prefix + self.file_path(self.files[int(match.group(1))], width)
            address = self.space_address(url)
            if address is not None:
                endpoint, values, fragment = address
                if endpoint == "page" and values["page_id"] in self.page_ids:
                    return (f"{prefix}pages/{values['page_id']}.html"
                            + (f"#{fragment}" if fragment else ""))
                if endpoint == "material":
                    return self.material_path(values["material_id"], prefix)
            return None
        return resolve

    def body(self, html, prefix=""):
        """A stored text as the archive shows it: its material references and addresses
        inside the space made relative to a file under `prefix`."""
        html = page_materials.link_materials(
            html, lambda material_id: self.material_path(material_id, prefix))
        return rewrite_urls(html, self.resolver(prefix))

    def stored_files(self):
        """(archive name, path on disk, compress?) of every file the archive holds."""
        upload_dir = current_app.config["UPLOAD_DIR"]
        for stored in self.files.values():
            if stored.content_type.startswith("image/"):
                for width in IMAGE_WIDTHS:
                    yield (image_name(stored, width),
                           storage.stored_path(upload_dir, stored, width), False)
            else:
                compress = not stored.content_type.startswith(("video/", "audio/"))
                yield file_name(stored), storage.stored_path(upload_dir, stored), compress


def build_archive(space, exported_by=None, sections=()):
    """Write the whole space as a zip into a temporary file; return it, positioned at 0.
    `sections` are what the space's parent adds (Section). The caller sends and closes it
    (a closed TemporaryFile is deleted)."""
    archive = _Archive(space)
    sections = list(sections)
    context = dict(space=space, archive=archive, exported_at=datetime.datetime.now(
        datetime.timezone.utc), exported_by=exported_by, kinds=MaterialKind,
        sections=sections)
    out = tempfile.TemporaryFile(prefix="opentwin-export-")
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            def text(name, template, **extra):
                zf.writestr(name, render_template(template, **context, **extra))
            text("style.css", "export/style.css")
            text("index.html", "export/index.html", root="")
            for section in sections:
                text(section.name, section.template, root="", **section.context)
            text("materials.html", "export/materials.html", root="")
            for page in archive.pages:
                text(f"pages/{page.id}.html", "export/page.html", root="../", page=page)
            for name, path, compress in archive.stored_files():
                if path and os.path.exists(path):
                    zf.write(path, name, compress_type=(zipfile.ZIP_DEFLATED if compress
                                                        else zipfile.ZIP_STORED))
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
