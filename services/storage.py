"""Uploads: checking what a file really is, storing it, re-encoding images, serving paths.

The type comes from the content, never the name. Images are decoded and re-encoded with
Pillow (which drops EXIF and GPS) at a few widths; SVG, HTML and anything else unexpected
are refused. Files live under UPLOAD_DIR by their hash, outside the static folder.
"""
import codecs
import errno
import hashlib
import io
import os
import tempfile
import time

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from models import StoredFile

MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_WIDTHS = (160, 480, 1200)
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# What every upload form says next to its file field when the disk is full.
NO_SPACE_MESSAGE = _l("The server has no room for this file now; nothing was saved. Try again "
                      "later or tell your support service.")


class UploadError(ValueError):
    """The file cannot be accepted; `reason` says why: empty, too_large, not_pdf, not_image,
    no_space (the disk is full: nothing of the file was kept)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _read(upload, limit):
    data = upload.read(limit + 1)
    if not data:
        raise UploadError("empty")
    if len(data) > limit:
        raise UploadError("too_large")
    return data


# The disk is full (or the account's quota is): the upload is refused, nothing half-written.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _store(upload_dir, digest, suffix, data, created=None):
    """Write `data` under its hash, all or nothing: into a temporary `<name>.<random>.part`
    beside it, synced, then renamed. A process killed mid-write leaves at most a `.part`
    (never served: no StoredFile points at one; remove_stale_parts() clears them). A full
    disk raises UploadError("no_space") with the `.part` removed. `created` (a list) gets the
    path when this call wrote it (an identical file already there is shared, not rewritten)."""
    relative = os.path.join(digest[:2], f"{digest}{suffix}")
    path = os.path.join(upload_dir, relative)
    if os.path.exists(path):
        return relative
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path),
                                   prefix=os.path.basename(path) + ".", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as error:
        if error.errno in _NO_ROOM:
            raise UploadError("no_space") from error
        raise
    finally:
        if tmp is not None:
            _remove(tmp)
    if created is not None:
        created.append(path)
    return relative


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def remove_stale_parts(upload_dir, older_than=3600):
    """Remove `.part` files left by a process killed while writing (older than `older_than`
    seconds, so another process's write in progress is left alone). Returns how many."""
    removed = 0
    limit = time.time() - older_than
    try:
        folders = [e.path for e in os.scandir(upload_dir) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".part"):
                try:
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        os.remove(entry.path)
                        removed += 1
                except OSError:
                    pass
    return removed


def _name(upload, default):
    name = os.path.basename((getattr(upload, "filename", "") or "").replace("\\", "/"))
    return (name or default)[:255]


def save_pdf(upload, upload_dir, owner=None):
    """Store an uploaded PDF; raise UploadError if it is empty, too large or not a PDF."""
    data = _read(upload, MAX_PDF_BYTES)
    if not data.startswith(b"%PDF-"):
        raise UploadError("not_pdf")
    digest = hashlib.sha256(data).hexdigest()
    relative = _store(upload_dir, digest, ".pdf", data)
    return StoredFile.create(sha256=digest, size=len(data), content_type="application/pdf",
                             original_name=_name(upload, "document.pdf"), path=relative,
                             owner=owner)


def save_image(upload, upload_dir, owner=None, widths=IMAGE_WIDTHS):
    """Decode an image, re-encode it as WebP at each width, store; raise UploadError if not."""
    data = _read(upload, MAX_IMAGE_BYTES)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise UploadError("not_image")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise UploadError("not_image")
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    digest = hashlib.sha256(data).hexdigest()
    kept, created = [], []
    try:
        for width in widths:
            if kept and width > image.width:
                break
            copy = image.copy()
            copy.thumbnail((width, width * 4))
            out = io.BytesIO()
            copy.save(out, "WEBP", quality=80, method=4)  # a fresh file: no EXIF, no GPS
            _store(upload_dir, digest, f"-{width}.webp", out.getvalue(), created)
            kept.append(width)
    except BaseException:
        # One width failed (a full disk): the widths written before it go too.
        for path in created:
            _remove(path)
        raise
    ratio = image.height / image.width
    return StoredFile.create(sha256=digest, size=len(data), content_type="image/webp",
                             original_name=_name(upload, "image"), path=f"{digest[:2]}/{digest}",
                             widths=",".join(map(str, kept)), width=image.width,
                             height=round(image.width * ratio) if image.width else None,
                             owner=owner)


def discard(stored_files, upload_dir):
    """Delete stored files just made for a request that then failed (one of several uploads
    was refused): their rows, and their bytes unless another stored file shares them."""
    for stored in stored_files:
        stored.delete_instance()
        if StoredFile.select().where(StoredFile.path == stored.path).exists():
            continue
        widths = [w for w in (stored.widths or "").split(",") if w]
        for name in ([f"{stored.path}-{w}.webp" for w in widths] if widths else [stored.path]):
            full = os.path.normpath(os.path.join(upload_dir, name))
            if full.startswith(os.path.normpath(upload_dir) + os.sep):
                _remove(full)


def stored_path(upload_dir, stored, width=None):
    """The file on disk for a stored file (an image at one of its widths); None if unknown."""
    if stored.content_type.startswith("image/"):
        available = [int(w) for w in stored.widths.split(",") if w]
        if not available:
            return None
        chosen = width if width in available else available[-1]
        return os.path.join(upload_dir, f"{stored.path}-{chosen}.webp")
    return os.path.join(upload_dir, stored.path)


def image_size(stored, width):
    """The (width, height) an image is shown at for a given stored width (for <img> sizes)."""
    available = [int(w) for w in stored.widths.split(",") if w]
    shown = min(width, stored.width or width, available[-1] if available else width)
    height = round(shown * (stored.height or 1) / (stored.width or 1))
    return shown, height


# --- Space materials and mail attachments (T-4..T-6, T-14) -----------------------------------

import filetype  # noqa: E402  (content sniffing by magic numbers, a small pure-Python library)

VIDEO_TYPES = {"video/mp4": ".mp4", "video/webm": ".webm", "video/ogg": ".ogv",
               "video/quicktime": ".mov", "video/x-m4v": ".m4v"}
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/rtf": ".rtf",
    "application/epub+zip": ".epub",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/x-wav": ".wav",
    "audio/mp4": ".m4a",
    "application/zip": ".zip",
}
# What filetype names differently from the list above.
_ALIASES = {"audio/wav": "audio/x-wav", "audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4",
            "application/x-zip-compressed": "application/zip"}


def max_upload_bytes(config):
    return int(config.get("MAX_UPLOAD_MB", 50)) * 1024 * 1024


def detect_type(data):
    """The MIME type of some bytes from their content: a known type, "text/plain" for text
    that is not HTML or SVG, or None."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return _ALIASES.get(kind.mime, kind.mime)
    try:
        # Incremental: a character cut at byte 65,536 is not an error.
        text = codecs.getincrementaldecoder("utf-8")().decode(data[:65536], final=False)
    except UnicodeDecodeError:
        return None
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")) or "<script" in head:
        return None
    if "\x00" in text:
        return None
    return "text/plain"


def save_video(upload, upload_dir, limit, owner=None):
    """Store an uploaded video (MP4, WebM, Ogg, QuickTime); raise UploadError("not_video")."""
    data = _read(upload, limit)
    mime = detect_type(data)
    if mime not in VIDEO_TYPES:
        raise UploadError("not_video")
    return _save_bytes(data, mime, VIDEO_TYPES[mime], _name(upload, "video" + VIDEO_TYPES[mime]),
                       upload_dir, owner)


def save_document(upload, upload_dir, limit, owner=None):
    """Store a document (PDF, office files, plain text, audio, zip). HTML, SVG, scripts and
    executables are refused with UploadError("not_document")."""
    data = _read(upload, limit)
    mime = detect_type(data)
    if mime == "text/plain":
        suffix = ".txt"
    elif mime in DOCUMENT_TYPES:
        suffix = DOCUMENT_TYPES[mime]
    else:
        raise UploadError("not_document")
    return _save_bytes(data, mime, suffix, _name(upload, "document" + suffix), upload_dir, owner)


def save_attachment(upload, upload_dir, limit, owner=None):
    """A mail attachment: an image (re-encoded like any image), a video or a document."""
    head = upload.read(8192)
    upload.seek(0)
    mime = detect_type(head) if head else None
    if mime in ("image/jpeg", "image/png", "image/gif", "image/webp"):
        return save_image(upload, upload_dir, owner=owner)
    if mime in VIDEO_TYPES:
        return save_video(upload, upload_dir, limit, owner=owner)
    try:
        return save_document(upload, upload_dir, limit, owner=owner)
    except UploadError as error:
        if error.reason == "not_document":
            raise UploadError("not_allowed")
        raise


# Extensions a download may keep for each stored type (the first is the one it gets
# otherwise). Names with another extension would open as something else from the disk: a
# text file called notes.html as a web page, a photo re-encoded to WebP under att.png.
_EXTENSIONS = {"text/plain": (".txt",), "image/webp": (".webp",),
               "audio/ogg": (".ogg", ".oga", ".opus"),
               "audio/mpeg": (".mp3",), "audio/mp4": (".m4a", ".mp4"),
               "video/mp4": (".mp4", ".m4v")}
for _mime, _suffix in {**DOCUMENT_TYPES, **VIDEO_TYPES}.items():
    _EXTENSIONS.setdefault(_mime, (_suffix,))


def download_name(stored):
    """The name a stored file downloads (or goes into an archive) under: its original name,
    with the extension of the type it was stored as when the name says otherwise."""
    name = stored.original_name or "file"
    allowed = _EXTENSIONS.get(stored.content_type)
    if not allowed:
        return name
    stem, extension = os.path.splitext(name)
    if extension.lower() in allowed:
        return name
    return (stem or name)[:255 - len(allowed[0])] + allowed[0]


def _save_bytes(data, mime, suffix, name, upload_dir, owner):
    digest = hashlib.sha256(data).hexdigest()
    relative = _store(upload_dir, digest, suffix, data)
    return StoredFile.create(sha256=digest, size=len(data), content_type=mime,
                             original_name=name, path=relative, owner=owner)
