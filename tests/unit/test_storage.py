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
