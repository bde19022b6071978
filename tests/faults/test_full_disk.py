"""Issue 13, faults: a full disk on upload gives a clear message next to the file field (422)
and nothing half-written — no `.part`, no StoredFile, no Material, no image width. First with
the write made to fail (ENOSPC) on every upload form, then for real on a tiny tmpfs."""
import errno
import io
import os
import subprocess
import tempfile

import pytest
from flask import url_for
from PIL import Image

from models import Contact, ContactState, Folder, MailMessage, Material, Space, StoredFile, User
from services import storage
from tests.factories import make_space, make_user
from tests.views.test_profile import form_data

XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
NO_ROOM = ("The server has no room for this file now; nothing was saved. Try again later or "
           "tell your support service.")


def png(name="river.png", size=(1400, 900)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "PNG")
    return (io.BytesIO(out.getvalue()), name)


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder)
                  for d, _dirs, names in os.walk(folder) for f in names)


@pytest.fixture
def disk_full_after(monkeypatch):
    """disk_full_after(n): the n+1-th file written to the upload folder fails with ENOSPC
    once its bytes are partly written (at fsync, as a real full disk may)."""
    def _arm(n=0):
        calls = {"n": 0}
        real = os.fsync

        def fsync(fd):
            calls["n"] += 1
            if calls["n"] > n:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(fd)
        monkeypatch.setattr(storage.os, "fsync", fsync)
        return calls
    return _arm


def test_a_full_disk_in_the_second_width_of_an_image_removes_the_first(app, tmp_path,
                                                                      disk_full_after):
    class Upload:
        filename = "big.png"

        def __init__(self):
            self.data = png()[0]

        def read(self, n=-1):
            return self.data.read(n)
    calls = disk_full_after(1)  # the 160 px width is written, the 480 px one fails
    with pytest.raises(storage.UploadError) as refused:
        storage.save_image(Upload(), str(tmp_path / "up"))
    assert refused.value.reason == "no_space" and calls["n"] == 2
    assert files_under(tmp_path / "up") == [] and StoredFile.select().count() == 0


def test_an_identical_file_already_stored_is_kept_when_a_new_upload_fails(
        tmp_path, disk_full_after, app):
    data, _name = png()

    class Upload:
        filename = "same.png"

        def __init__(self):
            self.data = io.BytesIO(data.getvalue())

        def read(self, n=-1):
            return self.data.read(n)
    up = str(tmp_path / "up")
    first = storage.save_image(Upload(), up, widths=(160,))
    before = files_under(up)
    assert len(before) == 1
    disk_full_after(0)
    with pytest.raises(storage.UploadError):
        storage.save_image(Upload(), up)  # 160 exists (shared), 480 fails
    assert files_under(up) == before and StoredFile.select().count() == 1
    assert os.path.exists(storage.stored_path(up, first, 160))


def test_stale_part_files_are_removed_and_fresh_ones_left(tmp_path):
    folder = tmp_path / "ab"
    folder.mkdir()
    (folder / "abc.pdf").write_bytes(b"%PDF-1.4 kept")
    old, fresh = folder / "abc.pdf.x1.part", folder / "abd.pdf.x2.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (1, 1))
    assert storage.remove_stale_parts(str(tmp_path)) == 1
    assert files_under(tmp_path) == ["ab/abc.pdf", "ab/abd.pdf.x2.part"]
    assert storage.remove_stale_parts(str(tmp_path / "missing")) == 0


def test_the_app_clears_stale_part_files_when_it_starts(make_app, tmp_path):
    folder = tmp_path / "uploads" / "ab"
    folder.mkdir(parents=True)
    stale = folder / "abc.pdf.k1ll.part"
    stale.write_bytes(b"half a file")
    os.utime(stale, (1, 1))
    make_app(UPLOAD_DIR=str(tmp_path / "uploads"))
    assert files_under(tmp_path / "uploads") == []


def assert_nothing_kept(upload_dir):
    assert StoredFile.select().count() == 0 and Material.select().count() == 0
    assert files_under(upload_dir) == []


def _material_folder(kind):
    teacher = make_user()
    space = make_space(teacher)
    return teacher, space, Folder.create(space=space, kind=kind, title="Trip",
                                         created_by=teacher)


@pytest.mark.parametrize("kind, upload", [
    ("document", lambda: (io.BytesIO(b"%PDF-1.4 worksheet"), "sheet.pdf")),
    ("image", png),
    ("video", lambda: (io.BytesIO(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
                                  + b"\x00" * 4000), "clip.mp4")),
])
def test_material_uploads_say_the_disk_is_full_next_to_the_field(app, client, login,
                                                                  disk_full_after, kind, upload):
    from blueprints.spaces import parents
    teacher, space, folder = _material_folder(kind)
    login(teacher)
    with app.test_request_context():
        address = parents.url_for_space(space, "folder_upload", folder_id=folder.id)
    disk_full_after(0)
    response = client.post(address, data={"files": [upload()]},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and NO_ROOM in html and 'id="files-error"' in html
    response = client.post(address, data={"files": [upload()]}, headers=XHR,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and NO_ROOM in response.get_json()["errors"][0]
    assert_nothing_kept(app.config["UPLOAD_DIR"])


def test_profile_photo_logo_and_mail_attachment_say_the_disk_is_full(app, client, login,
                                                                    disk_full_after):
    teacher, other = make_user(name="Claire"), make_user(name="Giulia")
    Contact.create(requester=teacher, addressee=other, state=ContactState.ACCEPTED)
    space = make_space(teacher)
    login(teacher)
    disk_full_after(0)
    from blueprints.spaces import parents
    with app.test_request_context():
        profile, mail = url_for("live.profile_edit"), url_for("live.mail_new")
        settings = parents.of(space).own_url("settings", space_id=space.id)
    response = client.post(profile, data=form_data(teacher, photo=png(), offer="Kept"),
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and NO_ROOM in html and 'id="photo-error"' in html
    assert "Kept" in html and User.get_by_id(teacher.id).photo_id is None
    response = client.post(settings, data={"title": "Rivers", "theme": "blue",
                                           "logo": png("logo.png")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and NO_ROOM in html and 'id="logo-error"' in html
    assert Space.get_by_id(space.id).logo_id is None
    response = client.post(mail, data={"recipients": [str(other.id)], "subject": "Hello",
                                       "body": "See the file",
                                       "attachments": [(io.BytesIO(b"%PDF-1.4 x"), "a.pdf")]},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and NO_ROOM in html and 'id="attachments-error"' in html
    assert MailMessage.select().count() == 0
    assert_nothing_kept(app.config["UPLOAD_DIR"])


def test_a_full_disk_on_the_second_attachment_keeps_nothing_of_the_first(app, client, login,
                                                                        disk_full_after):
    teacher, other = make_user(name="Claire"), make_user(name="Giulia")
    Contact.create(requester=teacher, addressee=other, state=ContactState.ACCEPTED)
    login(teacher)
    with app.test_request_context():
        mail = url_for("live.mail_new")
    calls = disk_full_after(1)  # the first attachment is written, the second is not
    response = client.post(mail, data={"recipients": [str(other.id)], "subject": "Hello",
                                       "body": "Two files",
                                       "attachments": [(io.BytesIO(b"%PDF-1.4 one"), "a.pdf"),
                                                       (io.BytesIO(b"%PDF-1.4 two"), "b.pdf")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and NO_ROOM in response.get_data(as_text=True)
    assert calls["n"] == 2 and MailMessage.select().count() == 0
    assert_nothing_kept(app.config["UPLOAD_DIR"])


# --- For real: a 512 KB tmpfs as the upload folder ------------------------------------------

@pytest.fixture
def tiny_disk():
    if os.geteuid() != 0:
        pytest.fail("The full-disk test mounts a 512 KB tmpfs: run it as root (CI does).")
    folder = tempfile.mkdtemp(prefix="opentwin-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", folder], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)
        os.rmdir(folder)


def test_a_really_full_disk_refuses_the_upload_and_keeps_nothing(make_app, tiny_disk):
    app = make_app(UPLOAD_DIR=tiny_disk)
    client = app.test_client()
    teacher, space, folder = _material_folder("document")
    from tests.conftest import switch
    switch(client, teacher)
    from blueprints.spaces import parents
    with app.test_request_context():
        address = parents.url_for_space(space, "folder_upload", folder_id=folder.id)
    big = b"%PDF-1.4\n" + os.urandom(900 * 1024)  # more than the 512 KB there is
    response = client.post(address, data={"files": [(io.BytesIO(big), "atlas.pdf")]},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "“atlas.pdf”: " + NO_ROOM in html
    assert_nothing_kept(tiny_disk)
    # Room for a small one: it goes through, whole.
    small = b"%PDF-1.4\n" + os.urandom(50 * 1024)
    response = client.post(address, data={"files": [(io.BytesIO(small), "map.pdf")]},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    stored = StoredFile.get()
    with open(os.path.join(tiny_disk, stored.path), "rb") as fh:
        assert fh.read() == small
    assert files_under(tiny_disk) == [stored.path]
