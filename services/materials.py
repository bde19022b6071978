"""Space materials (T-4..T-6): what a video link points at, and how an embed is made.

Only YouTube and Vimeo links are accepted; the app itself makes the embed address, on the
privacy-enhanced host (youtube-nocookie.com, Vimeo with dnt=1), and pages load it only after
a click (static/js/app.js), so no third party sees a visitor who did not ask to play.
"""
import re
from urllib.parse import parse_qs, urlsplit

from models import Material, MaterialKind

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


def parse_video_url(url):
    """(provider, id) for a YouTube or Vimeo address, else None."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host.startswith("m."):
        host = host[2:]
    path = [p for p in parts.path.split("/") if p]
    video_id = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video_id = path[1]
        if video_id and _YOUTUBE_ID.match(video_id):
            return ("youtube", video_id)
    elif host == "youtu.be" and path:
        if _YOUTUBE_ID.match(path[0]):
            return ("youtube", path[0])
    elif host in ("vimeo.com", "player.vimeo.com"):
        numbers = [p for p in path if _VIMEO_ID.match(p)]
        if numbers:
            return ("vimeo", numbers[0])
    return None


def embed_src(material):
    """The iframe address of a linked video, on the privacy-enhanced host; None otherwise."""
    if material.embed_provider == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{material.embed_id}?autoplay=1"
    if material.embed_provider == "vimeo":
        return f"https://player.vimeo.com/video/{material.embed_id}?dnt=1&autoplay=1"
    return None


def watch_url(material):
    """The video's own page at its host (the link for readers without JavaScript)."""
    if material.embed_provider == "youtube":
        return f"https://www.youtube.com/watch?v={material.embed_id}"
    if material.embed_provider == "vimeo":
        return f"https://vimeo.com/{material.embed_id}"
    return None


PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo"}


def is_video(material):
    return material.kind == MaterialKind.VIDEO


__all__ = ["parse_video_url", "embed_src", "watch_url", "PROVIDER_NAMES", "Material"]


# --- Lists, search and clean-up for the materials views (T-4..T-6) --------------------------

import os  # noqa: E402

from peewee import JOIN, fn  # noqa: E402

from models import Folder, MaterialPerson, Membership, SpaceRole, StoredFile, User  # noqa: E402

SEARCH_LIMIT = 50  # per kind


def listed(user_id, is_teacher):
    """What a member sees in lists: everything, except images still without alt text, which
    only their uploader and the space's teachers see (marked "needs a description"), and
    what a moderator hid after a report (G-8), which only the space's teachers see."""
    if is_teacher:
        return True
    return (Material.hidden_at.is_null()
            & ((Material.kind != MaterialKind.IMAGE) | (Material.alt_text != "")
               | (Material.created_by == user_id)))


def is_listed(material, user_id, is_teacher):
    return is_teacher or (material.hidden_at is None and (
        material.kind != MaterialKind.IMAGE or bool(material.alt_text)
        or material.created_by_id == user_id))


def folder_summaries(space, user_id, is_teacher):
    """The space's folders by kind, each with `.count` (what this member sees) and, for
    albums, `.cover` (the newest described image's file, or None). Two queries."""
    counted = (Folder.select(Folder, fn.COUNT(Material.id).alias("count"))
               .join(Material, JOIN.LEFT_OUTER,
                     on=((Material.folder == Folder.id) & listed(user_id, is_teacher)))
               .where(Folder.space == space.id)
               .group_by(Folder).order_by(fn.LOWER(Folder.title), Folder.id))
    folders = {kind: [] for kind in MaterialKind.ALL}
    for folder in counted:
        folder.cover = None
        folders.setdefault(folder.kind, []).append(folder)
    albums = {f.id: f for f in folders[MaterialKind.IMAGE]}
    if albums:
        newest = (Material.select(fn.MAX(Material.id))
                  .where(Material.folder.in_(list(albums)), Material.kind == MaterialKind.IMAGE,
                         Material.alt_text != "", Material.file.is_null(False),
                         Material.hidden_at.is_null())
                  .group_by(Material.folder))
        for material in (Material.select(Material.folder, StoredFile).join(StoredFile)
                         .where(Material.id.in_(newest))):
            albums[material.folder_id].cover = material.file
    return folders


def with_file_and_author(query):
    """Materials with their stored file and who added them, in the same query."""
    return (query.select_extend(StoredFile, User)
            .join_from(Material, StoredFile, JOIN.LEFT_OUTER)
            .join_from(Material, User, JOIN.LEFT_OUTER, on=(Material.created_by == User.id)))


SCAN_LIMIT = 5000  # materials of one space looked at by a search


def search(space, q, user_id, is_teacher, limit=SEARCH_LIMIT):
    """The space's images, videos and documents whose title, description, alt text or file
    name holds every word of `q`, ignoring case and accents ("lucia" finds "Lucía"), grouped
    by kind: {kind: [material, ...]}.

    A space holds at most a few hundred materials, so the words are matched in Python on the
    space's listed materials (one query, capped at SCAN_LIMIT rows), with the same folding as
    the platform search (services.search.fold) on SQLite and PostgreSQL alike."""
    from services.search import fold
    found = {kind: [] for kind in MaterialKind.ALL}
    words = fold(q or "").split()
    if not words:
        return found
    query = with_file_and_author(Material.select()).where(
        Material.space == space.id, listed(user_id, is_teacher))
    for material in (query.order_by(Material.created_at.desc(), Material.id.desc())
                     .limit(SCAN_LIMIT)):
        haystack = fold(" ".join((material.title, material.description, material.alt_text,
                                  material.file.original_name if material.file_id else "")))
        if all(word in haystack for word in words) and len(found[material.kind]) < limit:
            found[material.kind].append(material)
    return found


def title_from_filename(name):
    """A title for an uploaded file: its name without the extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    stem, _ext = os.path.splitext(base)
    return " ".join((stem or base).replace("_", " ").split())[:200]


def human_size(size):
    """1234567 → "1.2 MB"."""
    size = size or 0
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


DOCUMENT_TYPE_NAMES = {
    "application/pdf": "PDF",
    "application/msword": "Word", "application/rtf": "RTF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "application/epub+zip": "EPUB", "application/zip": "ZIP", "text/plain": "Text",
}


def type_name(content_type):
    """A short name for a file's type: "PDF", "Word", "Audio (mpeg)"…"""
    if content_type in DOCUMENT_TYPE_NAMES:
        return DOCUMENT_TYPE_NAMES[content_type]
    major, _sep, minor = (content_type or "").partition("/")
    return f"{major.title()} ({minor.removeprefix('x-')})" if minor else content_type


def pupils_of(space):
    """The space's pupils, to tag who is shown in an image or a video: [(id, name)]."""
    return [(u.id, u.name) for u in User.select(User.id, User.name)
            .join(Membership, on=(Membership.user == User.id))
            .where(Membership.space == space.id, Membership.role == SpaceRole.STUDENT)
            .order_by(User.name, User.id)]


def set_people(material, user_ids, allowed_ids):
    """Tag the pupils shown; only pupils of the space (`allowed_ids`) are kept."""
    wanted = set(user_ids or ()) & set(allowed_ids)
    MaterialPerson.delete().where(MaterialPerson.material == material.id,
                                  MaterialPerson.user.not_in(list(wanted) or [0])).execute()
    have = {p.user_id for p in MaterialPerson.select(MaterialPerson.user)
            .where(MaterialPerson.material == material.id)}
    for uid in sorted(wanted - have):
        MaterialPerson.create(material=material.id, user=uid)


def delete_material(material, upload_dir):
    """Delete a material and its stored file; the bytes on disk go too unless another
    stored file (same content, uploaded elsewhere) still uses them."""
    stored = material.file
    material.delete_instance(recursive=True)
    if stored is None or Material.select().where(Material.file == stored.id).exists():
        return
    path, widths = stored.path, [w for w in stored.widths.split(",") if w]
    stored.delete_instance()
    if StoredFile.select().where(StoredFile.path == path).exists():
        return
    names = [f"{path}-{w}.webp" for w in widths] if widths else [path]
    for name in names:
        full = os.path.normpath(os.path.join(upload_dir, name))
        if full.startswith(os.path.normpath(upload_dir) + os.sep) and os.path.exists(full):
            os.remove(full)
