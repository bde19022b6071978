"""services/storage.py: the type comes from the content; images lose their metadata."""
import io

import pytest
from PIL import Image

from services import storage


class Upload(io.BytesIO):
    def __init__(self, data, filename="file"):
        super().__init__(data)
        self.filename = filename


def jpeg_with_gps(width=800, height=600):
    image = Image.new("RGB", (width, height), "#336699")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"          # Make
    exif[0x8825] = {2: (40, 26, 46)}      # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_pdf_is_recognised_by_its_content(app, tmp_path):
    stored = storage.save_pdf(Upload(b"%PDF-1.4\n%%EOF", "../../etc/passwd.pdf"), tmp_path)
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "passwd.pdf"
    assert (tmp_path / stored.path).read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"<html><script>alert(1)</script></html>", "not_pdf"),
    (b"GIF89a....", "not_pdf"),
])
def test_pdf_refusals(app, tmp_path, data, reason):
    with pytest.raises(storage.UploadError) as caught:
        storage.save_pdf(Upload(data, "x.pdf"), tmp_path)
    assert caught.value.reason == reason


def test_pdf_over_the_limit_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "MAX_PDF_BYTES", 100)
    with pytest.raises(storage.UploadError) as caught:
        storage.save_pdf(Upload(b"%PDF-" + b"x" * 200), tmp_path)
    assert caught.value.reason == "too_large"


def test_images_are_reencoded_without_exif_at_several_widths(app, tmp_path):
    stored = storage.save_image(Upload(jpeg_with_gps(), "photo.jpg"), tmp_path)
    assert stored.widths == "160,480"  # no upscaling past the original's 800 px
    assert (stored.width, stored.height) == (800, 600)
    for width in (160, 480):
        path = storage.stored_path(str(tmp_path), stored, width)
        with Image.open(path) as image:
            assert image.format == "WEBP" and image.width == width
            assert not image.getexif()
    assert storage.image_size(stored, 160) == (160, 120)


@pytest.mark.parametrize("data", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"<html></html>",
    b"%PDF-1.4",
    b"\x89PNG\r\n\x1a\n" + b"broken",
])
def test_non_images_are_refused(app, tmp_path, data):
    with pytest.raises(storage.UploadError) as caught:
        storage.save_image(Upload(data, "x.png"), tmp_path)
    assert caught.value.reason == "not_image"


# --- Videos, documents, attachments (T-4..T-6, T-14) -----------------------------------------

import os  # noqa: E402
import random  # noqa: E402
import zipfile  # noqa: E402

LIMIT = 5 * 1024 * 1024
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00\x00\x00\x00mp42isom" + b"\x00" * 256
RANDOM = random.Random(7).randbytes(4096)


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "#884422").save(out, "PNG")
    return out.getvalue()


def inside(upload_dir, stored):
    path = os.path.realpath(os.path.join(str(upload_dir), stored.path))
    return path.startswith(os.path.realpath(str(upload_dir)) + os.sep) and os.path.exists(path)


def test_save_video_accepts_an_mp4_by_its_content(app, tmp_path):
    stored = storage.save_video(Upload(MP4, "clip.webm"), tmp_path, LIMIT)
    assert stored.content_type == "video/mp4" and stored.path.endswith(".mp4")
    assert stored.original_name == "clip.webm" and stored.size == len(MP4)
    assert inside(tmp_path, stored)
    assert (tmp_path / stored.path).read_bytes() == MP4


@pytest.mark.parametrize("data", [RANDOM, b"%PDF-1.4\n%%EOF", png_bytes(), b"just some text"])
def test_save_video_refuses_what_is_not_a_video(app, tmp_path, data):
    with pytest.raises(storage.UploadError) as caught:
        storage.save_video(Upload(data, "clip.mp4"), tmp_path, LIMIT)
    assert caught.value.reason == "not_video"


@pytest.mark.parametrize("data, mime, suffix", [
    (b"%PDF-1.7\n1 0 obj\n%%EOF", "application/pdf", ".pdf"),
    ("Plain notes, with accents: é ñ.\n".encode(), "text/plain", ".txt"),
])
def test_save_document_accepts_pdf_and_plain_text(app, tmp_path, data, mime, suffix):
    stored = storage.save_document(Upload(data, "notes.bin"), tmp_path, LIMIT)
    assert stored.content_type == mime and stored.path.endswith(suffix)
    assert inside(tmp_path, stored)


def test_save_document_accepts_a_docx(app, tmp_path):
    stored = storage.save_document(Upload(docx_bytes(), "report.docx"), tmp_path, LIMIT)
    assert stored.content_type in (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip")
    assert stored.original_name == "report.docx" and inside(tmp_path, stored)


@pytest.mark.parametrize("data", [
    b"<html><body><script>alert(1)</script></body></html>",
    b"  <HTML><p>hi</p></HTML>",
    b"<!DOCTYPE html><title>x</title>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    b"\xef\xbb\xbf<script>alert(1)</script>",
    b"notes\n<script>alert(1)</script>",
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120,          # a Linux executable
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 64,  # Windows
    RANDOM,
])
def test_save_document_refuses_markup_executables_and_noise(app, tmp_path, data):
    with pytest.raises(storage.UploadError) as caught:
        storage.save_document(Upload(data, "harmless.pdf"), tmp_path, LIMIT)
    assert caught.value.reason == "not_document"


def test_save_attachment_takes_images_videos_and_documents(app, tmp_path):
    image = storage.save_attachment(Upload(png_bytes(), "photo.png"), tmp_path, LIMIT)
    assert image.content_type == "image/webp" and image.width == 300  # re-encoded
    video = storage.save_attachment(Upload(MP4, "clip.mp4"), tmp_path, LIMIT)
    assert video.content_type == "video/mp4"
    pdf = storage.save_attachment(Upload(b"%PDF-1.4\n%%EOF", "a.pdf"), tmp_path, LIMIT)
    assert pdf.content_type == "application/pdf"


@pytest.mark.parametrize("data, reason", [
    (b"<html><script>alert(1)</script></html>", "not_allowed"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120, "not_allowed"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not_image"),  # says PNG, is not one
])
def test_save_attachment_refusals(app, tmp_path, data, reason):
    with pytest.raises(storage.UploadError) as caught:
        storage.save_attachment(Upload(data, "x"), tmp_path, LIMIT)
    assert caught.value.reason == reason


@pytest.mark.parametrize("save", [storage.save_video, storage.save_document,
                                  storage.save_attachment])
def test_zero_bytes_are_empty_and_over_the_limit_too_large(app, tmp_path, save):
    uploads = tmp_path / "uploads"
    with pytest.raises(storage.UploadError) as caught:
        save(Upload(b"", "x.mp4"), uploads, LIMIT)
    assert caught.value.reason == "empty"
    data = MP4 if save is not storage.save_document else b"%PDF-1.4\n" + b"x" * 200
    with pytest.raises(storage.UploadError) as caught:
        save(Upload(data + b"\x00" * 100, "x.mp4"), uploads, 100)
    assert caught.value.reason == "too_large"
    assert not uploads.exists() or not list(uploads.rglob("*"))  # nothing written


def test_max_upload_bytes_reads_the_setting():
    assert storage.max_upload_bytes({}) == 50 * 1024 * 1024
    assert storage.max_upload_bytes({"MAX_UPLOAD_MB": "2"}) == 2 * 1024 * 1024


@pytest.mark.parametrize("save, data", [
    (storage.save_document, b"%PDF-1.4\n%%EOF"),
    (storage.save_video, MP4),
    (storage.save_attachment, b"%PDF-1.4\n%%EOF"),
])
def test_file_names_cannot_leave_the_upload_dir(app, tmp_path, save, data):
    stored = save(Upload(data, "../../x.pdf"), tmp_path, LIMIT)
    assert stored.original_name == "x.pdf" and inside(tmp_path, stored)
    stored = save(Upload(data, "..\\..\\windows\\y.pdf"), tmp_path, LIMIT)
    assert stored.original_name == "y.pdf" and inside(tmp_path, stored)
    long_name = "a" * 296 + ".pdf"
    stored = save(Upload(data, "dir/" + long_name), tmp_path, LIMIT)
    assert stored.original_name == long_name[:255] and len(stored.original_name) == 255
    assert inside(tmp_path, stored) and len(os.path.basename(stored.path)) < 80


def test_corrupt_images_are_not_images(app, tmp_path):
    for data in (RANDOM, b"GIF89a" + RANDOM[:200], b"\xff\xd8\xff\xe0" + RANDOM[:500]):
        with pytest.raises(storage.UploadError) as caught:
            storage.save_image(Upload(data, "photo.jpg"), tmp_path)
        assert caught.value.reason == "not_image"


def test_long_text_with_a_character_across_the_sniffing_window_is_text():
    """Type sniffing reads the first 64 KB: a multi-byte character cut there is no error."""
    assert storage.detect_type(("a" * 65535 + "é").encode()) == "text/plain"
    assert storage.detect_type(("€" * 30000).encode()) == "text/plain"
