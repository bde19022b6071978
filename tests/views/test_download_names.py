"""Issues 10.10 and 10.11: a stored file downloads under a name whose extension says what it
was stored as — text that looks like HTML as .txt (never a page opened from the disk), an
image re-encoded to WebP as .webp — in the space, in mail, and in the space's archive."""
import io

from PIL import Image

from models import Folder, MailAttachment, Material, Role, SpaceRole
from services import export, spaces, storage
from tests.conftest import switch
from tests.factories import make_space, make_user

# HTML, but not starting with a tag and with no <script>: sniffed as plain text.
NOTES = b"Notes for Friday\n<p>Bring <b>boots</b></p>\n<img src=x onerror=alert(1)>\n"


def test_a_text_document_called_html_downloads_as_txt(client, login, space_url, url):
    teacher = make_user()
    space = make_space(teacher)
    docs = Folder.create(space=space, kind="document", title="Docs", created_by=teacher)
    login(teacher)
    response = client.post(
        space_url(space, "folder_upload", folder_id=docs.id),
        data={"files": [(io.BytesIO(NOTES), "notes.html")], "title": "Notes"},
        content_type="multipart/form-data")
    assert response.status_code == 303
    material = Material.get(Material.title == "Notes")
    assert material.file.content_type == "text/plain"
    download = client.get(url("portal.file", file_id=material.file_id))
    assert download.status_code == 200 and download.data == NOTES
    assert download.mimetype == "text/plain"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename=notes.txt" in disposition
    assert ".html" not in disposition
    page = client.get(space_url(space, "material",
                                material_id=material.id)).get_data(as_text=True)
    assert "Download “notes.txt”" in page
    # The space's archive names it the same way.
    assert export.file_name(material.file) == f"files/{material.file_id}-notes.txt"


def test_an_attached_png_downloads_as_the_webp_it_became(client, login, space_url, url):
    teacher = make_user(name="Ana Teacher")
    space = make_space(teacher)
    pupil = make_user(Role.STUDENT)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    picture = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(picture, "PNG")
    login(pupil)
    response = client.post(space_url(space, "mail_new"), data={
        "recipients": [str(teacher.id)], "subject": "Our river", "body": "Look",
        "attachments": [(io.BytesIO(picture.getvalue()), "att.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    stored = MailAttachment.get().file
    assert stored.content_type == "image/webp" and stored.original_name == "att.png"
    switch(client, teacher)
    download = client.get(url("portal.file", file_id=stored.id))
    assert download.status_code == 200 and download.mimetype == "image/webp"
    assert "filename=att.webp" in download.headers["Content-Disposition"]
    page = client.get(url("live.mail_thread", thread_id=MailAttachment.get()
                          .message.thread_id)).get_data(as_text=True)
    assert 'download="att.webp"' in page and "att.png" not in page


def test_names_that_already_fit_their_type_are_kept():
    class Stored:
        def __init__(self, name, content_type):
            self.original_name, self.content_type = name, content_type
    assert storage.download_name(Stored("pH results.TXT", "text/plain")) == "pH results.TXT"
    assert storage.download_name(Stored("river.webp", "image/webp")) == "river.webp"
    assert storage.download_name(Stored("plan.pdf", "application/pdf")) == "plan.pdf"
    assert storage.download_name(Stored("song.mp3", "audio/mpeg")) == "song.mp3"
    assert storage.download_name(Stored("clip.mov", "video/mp4")) == "clip.mp4"
    assert storage.download_name(Stored("readme", "text/plain")) == "readme.txt"
    assert storage.download_name(Stored("x" * 255, "text/plain")) == "x" * 251 + ".txt"
