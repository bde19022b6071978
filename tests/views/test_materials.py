"""T-4, T-5, T-6: albums, video and document folders of a space — uploads (with and without
the uploader script), alt text before others see an image, video links, editing, moving,
deleting, search — and that nothing of one space is reachable through another, nor by a
member whose role does not allow it."""
import io
import os
import random

import pytest
from PIL import Image
from playhouse.test_utils import count_queries

from blueprints.spaces import parents
from models import Folder, Material, MaterialPerson, SpaceRole, StoredFile
from services import spaces
from tests.conftest import hx, switch
from tests.factories import make_space, make_user

XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4000


def png(name="river.png", size=(600, 400), colour=(20, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return (io.BytesIO(out.getvalue()), name)


def noise_png(name="big.png", side=800):
    rng = random.Random(4)
    image = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8)
                                                      for _ in range(side * side * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return (io.BytesIO(out.getvalue()), name)


def folder(space, kind="image", title="Trip", user=None):
    return Folder.create(space=space, kind=kind, title=title, created_by=user)


def image(space, album, user, title="Bank", alt="Pupils on the river bank", upload_dir=None,
          **extra):
    from services import storage
    data, name = png(title + ".png", colour=(random.randrange(255), 40, 90))
    stored = storage.save_image(FakeUpload(data, name), upload_dir, owner=user.id)
    return Material.create(space=space, folder=album, kind="image", title=title, alt_text=alt,
                           file=stored, created_by=user, **extra)


class FakeUpload:
    def __init__(self, data, filename):
        self.data, self.filename = data, filename

    def read(self, n=-1):
        return self.data.read(n)


@pytest.fixture
def upload_dir(app):
    return app.config["UPLOAD_DIR"]


# --- Folders and the overview -----------------------------------------------------------

def test_teacher_makes_an_album_and_sees_it_in_the_overview(client, login, cast, space_url):
    space = cast["space"]
    login(cast["teacher"])
    html = client.get(space_url(space, "materials")).get_data(as_text=True)
    for heading in ("Albums", "Video folders", "Document folders", "New album or folder"):
        assert heading in html
    response = client.post(space_url(space, "folder_new"), data={
        "kind": "image", "title": "Field trip", "description": "At the river"})
    album = Folder.get(Folder.title == "Field trip")
    assert response.status_code == 303 and response.location.endswith(
        space_url(space, "folder", folder_id=album.id))
    assert album.kind == "image" and album.space_id == space.id
    html = client.get(space_url(space, "materials")).get_data(as_text=True)
    assert "Field trip" in html and "0 images" in html
    response = client.post(space_url(space, "folder_new"), data={"kind": "poster", "title": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a title" in html and "<title>Error:" in html


def test_visitor_sees_but_cannot_add(client, login, cast, upload_dir, space_url):
    space = cast["space"]
    album = folder(space)
    image(space, album, cast["teacher"], upload_dir=upload_dir)
    login(cast["guest"])
    html = client.get(space_url(space, "materials")).get_data(as_text=True)
    assert "Trip" in html and "New album" not in html
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert "Bank" in html and "Upload the images" not in html
    assert client.post(space_url(space, "folder_new"),
                       data={"kind": "image", "title": "X"}).status_code == 404
    response = client.post(space_url(space, "folder_upload", folder_id=album.id),
                           data={"files": [png()]}, content_type="multipart/form-data")
    assert response.status_code == 404 and Material.select().count() == 1


def test_only_teachers_rename_and_delete_folders_and_only_empty_ones(client, login, cast,
                                                                     upload_dir, space_url):
    space = cast["space"]
    album, empty = folder(space), folder(space, "document", "Empty")
    image(space, album, cast["pupil"], upload_dir=upload_dir)
    login(cast["pupil"])
    assert client.get(space_url(space, "folder_edit", folder_id=album.id)).status_code == 404
    assert client.post(space_url(space, "folder_delete", folder_id=empty.id)).status_code == 404
    login(cast["teacher"])
    response = client.post(space_url(space, "folder_edit", folder_id=album.id),
                           data={"title": "Spring trip", "description": ""})
    assert response.status_code == 303 and Folder.get_by_id(album.id).title == "Spring trip"
    html = client.get(space_url(space, "folder_delete", folder_id=album.id)).get_data(as_text=True)
    assert "still holds 1 material" in html and "Delete “Spring trip”</button>" not in html
    assert client.post(space_url(space, "folder_delete", folder_id=album.id)).status_code == 409
    assert Folder.get_or_none(Folder.id == album.id) is not None
    response = client.post(space_url(space, "folder_delete", folder_id=empty.id))
    assert response.status_code == 303 and Folder.get_or_none(Folder.id == empty.id) is None


# --- Images: upload, describe, who sees what --------------------------------------------

def test_upload_then_describe_then_everybody_sees_them(client, login, cast, space_url, url):
    space = cast["space"]
    album = folder(space)
    login(cast["pupil"])
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert 'type="file"' in html and "multiple" in html and "js/uploader.js" in html
    # Only the space's teachers mark a material public (issue 10.3).
    assert "families agreed" not in html
    assert cast["pupil2"].name in html  # pupils shown
    response = client.post(space_url(space, "folder_upload", folder_id=album.id), data={
        "files": [png("river_bank.png"), png("IMG 001.jpeg")],
        "people": [str(cast["pupil2"].id), str(cast["outsider"].id)], "is_public": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 303 and response.location.endswith(
        space_url(space, "folder_describe", folder_id=album.id))
    new = list(Material.select().order_by(Material.id))
    assert [m.title for m in new] == ["river bank", "IMG 001"]
    assert all(m.alt_text == "" and not m.is_public and m.file.content_type == "image/webp"
               for m in new)
    assert [p.user_id for p in MaterialPerson.select()] == [cast["pupil2"].id] * 2

    # Not described yet: the other pupil does not see them; a teacher sees them, marked.
    login(cast["pupil2"])
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert "river bank" not in html and "No images" not in html
    assert client.get(space_url(space, "material", material_id=new[0].id)).status_code == 404
    login(cast["teacher"])
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert "river bank" in html and "Needs a description" in html

    login(cast["pupil"])
    html = client.get(
        space_url(space, "folder_describe", folder_id=album.id)).get_data(as_text=True)
    assert "Describe the new images" in html and 'value="river bank"' in html
    data = {f"title_{new[0].id}": "Our river", f"alt_{new[0].id}": "Three pupils at the water",
            f"title_{new[1].id}": "IMG 001", f"alt_{new[1].id}": ""}
    response = client.post(space_url(space, "folder_describe", folder_id=album.id), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="alt_{new[1].id}-error"' in html and "Three pupils at the water" in html
    assert "Image 2: Describe the image" in html
    assert Material.get_by_id(new[0].id).alt_text == ""  # nothing saved
    data[f"alt_{new[1].id}"] = "x" * 301
    assert client.post(space_url(space, "folder_describe", folder_id=album.id),
                       data=data).status_code == 422
    data[f"alt_{new[1].id}"] = "A heron"
    response = client.post(space_url(space, "folder_describe", folder_id=album.id), data=data)
    assert response.status_code == 303
    assert Material.get_by_id(new[0].id).title == "Our river"
    login(cast["pupil2"])
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert "Our river" in html and 'alt="Three pupils at the water"' in html
    assert "w160 160w" in html and "w480 480w" in html and "data-lightbox-item" in html
    html = client.get(space_url(space, "material", material_id=new[0].id)).get_data(as_text=True)
    assert "w1200" in html and "Three pupils at the water" in html and cast["pupil"].name in html
    assert 'rel="next"' in html and 'rel="prev"' not in html and "Image 1 of 2" in html
    assert "Delete" not in html.split("</h1>")[1]  # not theirs
    html = client.get(space_url(space, "materials")).get_data(as_text=True)
    cover = url("portal.file", file_id=new[1].file_id, width=160)
    assert "2 images" in html and cover in html


def test_the_uploader_script_sends_one_file_per_request_and_gets_json(client, login, cast,
                                                                      space_url):
    space = cast["space"]
    album = folder(space)
    login(cast["teacher"])
    response = client.post(space_url(space, "folder_upload", folder_id=album.id),
                           data={"files": [png("one.png")]}, headers=XHR,
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.json == {"ok": True, "stored": 1, "errors": [],
                             "next": space_url(space, "folder_describe", folder_id=album.id)}
    response = client.post(space_url(space, "folder_upload", folder_id=album.id),
                           data={"files": [(io.BytesIO(b"<svg/>"), "two.png")]}, headers=XHR,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["ok"] is False
    assert "“two.png” is not an image we can read" in response.json["errors"][0]
    response = client.post(space_url(space, "folder_upload", folder_id=album.id),
                           data={"files": [png()]}, headers=XHR, csrf=False,
                           content_type="multipart/form-data")
    assert response.status_code in (400, 422) and Material.select().count() == 1


def test_bad_images_are_refused_one_by_one_and_the_good_one_is_kept(client, login, cast, space_url):
    space = cast["space"]
    album = folder(space)
    login(cast["teacher"])
    response = client.post(space_url(space, "folder_upload", folder_id=album.id), data={"files": [
        (io.BytesIO(b""), "empty.png"),
        (io.BytesIO(os.urandom(2000)), "x.jpg"),
        (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                    b'</svg>'), "drawing.png"),
        png("good.png")]}, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "“empty.png” is empty" in html
    assert "“x.jpg” is not an image we can read" in html
    assert "“drawing.png” is not an image we can read" in html
    assert 'id="files-error"' in html and 'aria-invalid="true"' in html
    assert "1 file was uploaded" in html and "/describe" in html
    assert [m.title for m in Material.select()] == ["good"]
    response = client.post(space_url(space, "folder_upload", folder_id=album.id), data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose one or more files" in response.get_data(
        as_text=True)


def test_too_large_files_get_a_clear_message(make_app, space_kind):
    app = make_app(MAX_UPLOAD_MB=1)
    client = app.test_client()
    teacher = make_user()
    space = make_space(teacher, space_kind)
    album, docs = folder(space), folder(space, "document", "Docs")
    switch(client, teacher)
    with app.test_request_context():
        to_album, to_docs = (parents.url_for_space(space, "folder_upload", folder_id=f.id)
                             for f in (album, docs))
    response = client.post(to_album, data={"files": [noise_png()]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "“big.png” is larger than 1 MB" in response.get_data(as_text=True)
    response = client.post(to_docs, data={
        "files": [(io.BytesIO(b"a" * (1024 * 1024 + 10)), "notes.txt")]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "“notes.txt” is larger than 1 MB" in response.get_data(as_text=True)
    assert "up to 1 MB" in response.get_data(as_text=True)
    assert Material.select().count() == 0


# --- Documents -----------------------------------------------------------------------------

def test_documents_upload_list_and_refusals(client, login, cast, upload_dir, space_url, url):
    space = cast["space"]
    docs = folder(space, "document", "Worksheets")
    login(cast["pupil"])
    long_name = "a" * 296 + ".pdf"
    response = client.post(space_url(space, "folder_upload", folder_id=docs.id), data={"files": [
        (io.BytesIO(b"%PDF-1.4 river"), "../../x.pdf"),
        (io.BytesIO(b"%PDF-1.4 long"), long_name),
        (io.BytesIO(b"<!doctype html><script>alert(1)</script>"), "page.html"),
        (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "game.exe")]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "“page.html” cannot be shared here" in html and "“game.exe” cannot be shared" in html
    assert "Web pages, SVG images and programs are not allowed" in html
    stored = list(StoredFile.select().order_by(StoredFile.id))
    assert [s.original_name for s in stored][0] == "x.pdf"
    assert len(stored[1].original_name) == 255 and stored[1].original_name.startswith("aaa")
    root = os.path.realpath(upload_dir)
    for s in stored:
        assert os.path.realpath(os.path.join(upload_dir, s.path)).startswith(root + os.sep)
    assert not os.path.exists(os.path.join(os.path.dirname(root), "x.pdf"))
    assert Material.get(Material.file == stored[0]).title == "x"
    html = client.get(space_url(space, "folder", folder_id=docs.id)).get_data(as_text=True)
    assert "x.pdf" in html and "14 bytes" in html and "PDF" in html
    assert f'href="{url("portal.file", file_id=stored[0].id)}"' in html and "Download" in html
    # One file with a title: the title is used.
    client.post(space_url(space, "folder_upload", folder_id=docs.id), data={
        "files": [(io.BytesIO(b"plain words"), "notes.txt")], "title": "Our notes",
        "description": "Week 1"}, content_type="multipart/form-data")
    notes = Material.get(Material.title == "Our notes")
    assert notes.description == "Week 1" and notes.file.content_type == "text/plain"
    response = client.get(url("portal.file", file_id=notes.file_id))
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]


# --- Videos --------------------------------------------------------------------------------

def test_video_link_and_file(client, login, cast, space_url, url):
    space = cast["space"]
    videos = folder(space, "video", "Films")
    login(cast["teacher"])
    html = client.get(space_url(space, "folder", folder_id=videos.id)).get_data(as_text=True)
    assert "Add a YouTube or Vimeo link" in html and "Upload a video file" in html
    assert "up to 50 MB" in html
    response = client.post(space_url(space, "folder_link_video", folder_id=videos.id), data={
        "link-url": "https://evil.example/watch?v=dQw4w9WgXcQ", "link-title": "Song"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="link-url-error"' in html and "Paste a link to a video on YouTube or Vimeo" in html
    assert "https://evil.example/watch?v=dQw4w9WgXcQ" in html and Material.select().count() == 0
    response = client.post(space_url(space, "folder_link_video", folder_id=videos.id), data={
        "link-url": "https://youtu.be/dQw4w9WgXcQ", "link-title": "River song",
        "link-people": [str(cast["pupil"].id)]})
    video = Material.get(Material.title == "River song")
    assert response.status_code == 303 and response.location.endswith(
        space_url(space, "material", material_id=video.id))
    assert (video.embed_provider, video.embed_id) == ("youtube", "dQw4w9WgXcQ")
    html = client.get(space_url(space, "material", material_id=video.id)).get_data(as_text=True)
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<iframe" not in html and "data-embed-play" in html and cast["pupil"].name in html

    response = client.post(space_url(space, "folder_upload", folder_id=videos.id), data={
        "files": (io.BytesIO(MP4), "clip.mp4"), "title": ""},
        content_type="multipart/form-data")
    assert response.status_code == 303
    clip = Material.get(Material.title == "clip")
    html = client.get(space_url(space, "material", material_id=clip.id)).get_data(as_text=True)
    assert 'preload="none"' in html and url("portal.file", file_id=clip.file_id) in html
    response = client.get(url("portal.file", file_id=clip.file_id), headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 0-9/{len(MP4)}"
    assert response.data == MP4[:10] and response.headers["Content-Type"] == "video/mp4"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post(space_url(space, "folder_upload", folder_id=videos.id), data={
        "files": (io.BytesIO(b"%PDF-1.4"), "film.mp4")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "“film.mp4” is not a video" in response.get_data(
        as_text=True)


# --- Editing, moving, deleting --------------------------------------------------------------

def test_edit_move_and_tag(client, login, cast, upload_dir, space_url):
    space = cast["space"]
    album, other_album = folder(space), folder(space, title="Lab")
    docs = folder(space, "document", "Docs")
    photo = image(space, album, cast["pupil"], upload_dir=upload_dir)
    login(cast["teacher"])  # moving, publishing and untagging: teachers (issue 10.3)
    html = client.get(
        space_url(space, "material_edit", material_id=photo.id)).get_data(as_text=True)
    assert "Lab" in html and "Docs" not in html and "Alt text" in html
    response = client.post(space_url(space, "material_edit", material_id=photo.id), data={
        "title": "Bank", "description": "d", "alt_text": "", "folder": str(other_album.id)})
    assert response.status_code == 422 and "Describe the image" in response.get_data(
        as_text=True)
    response = client.post(space_url(space, "material_edit", material_id=photo.id), data={
        "title": "Bank", "description": "d", "alt_text": "Reeds", "folder": str(docs.id)})
    assert response.status_code == 422 and Material.get_by_id(photo.id).folder_id == album.id
    assert "Choose a folder from the list" in response.get_data(as_text=True)
    response = client.post(space_url(space, "material_edit", material_id=photo.id), data={
        "title": "Reeds", "description": "Spring", "alt_text": "Tall reeds",
        "folder": str(other_album.id), "is_public": "y",
        "people": [str(cast["pupil2"].id), str(cast["outsider"].id)]})
    assert response.status_code == 303
    photo = Material.get_by_id(photo.id)
    assert (photo.title, photo.alt_text, photo.folder_id, photo.is_public) == (
        "Reeds", "Tall reeds", other_album.id, True)
    assert [p.user_id for p in photo.people] == [cast["pupil2"].id]


def test_a_pupil_changes_only_what_they_added(client, login, cast, upload_dir, space_url, url):
    space = cast["space"]
    album = folder(space)
    teachers = image(space, album, cast["teacher"], title="Teacher", upload_dir=upload_dir)
    mine = image(space, album, cast["pupil"], title="Mine", upload_dir=upload_dir)
    login(cast["pupil"])
    html = client.get(space_url(space, "material", material_id=teachers.id)).get_data(as_text=True)
    assert "/delete" not in html and "/edit" not in html
    for endpoint in ("material_edit", "material_delete"):
        address = space_url(space, endpoint, material_id=teachers.id)
        assert client.get(address).status_code == 404
        assert client.post(address, data={"title": "Hacked"}).status_code == 404
    assert Material.get_by_id(teachers.id).title == "Teacher"
    login(cast["guest"])
    assert client.post(space_url(space, "material_delete", material_id=mine.id)).status_code == 404
    login(cast["pupil"])
    html = client.get(space_url(space, "material", material_id=mine.id)).get_data(as_text=True)
    delete = space_url(space, "material_delete", material_id=mine.id)
    assert delete in html
    assert "cannot be undone" in client.get(delete).get_data(as_text=True)
    file_id, path = mine.file_id, mine.file.path
    response = client.post(delete)
    assert response.status_code == 303 and Material.get_or_none(Material.id == mine.id) is None
    assert StoredFile.get_or_none(StoredFile.id == file_id) is None
    assert not os.path.exists(os.path.join(upload_dir, path + "-160.webp"))
    assert client.get(url("portal.file", file_id=file_id)).status_code == 404
    # A teacher may delete a pupil's image.
    other = image(space, album, cast["pupil2"], title="Other", upload_dir=upload_dir)
    login(cast["teacher"])
    assert client.post(space_url(space, "material_delete", material_id=other.id)).status_code == 303


def test_nothing_of_another_space_is_reachable(client, login, cast, upload_dir, space_url, url):
    space = cast["space"]
    album, docs = folder(space), folder(space, "document", "Docs")
    photo = image(space, album, cast["teacher"], upload_dir=upload_dir)
    stranger = make_user()
    elsewhere = make_space(stranger, space.kind, title="Elsewhere")
    spaces.join(elsewhere, cast["pupil"], SpaceRole.STUDENT)
    login(stranger)
    the_album, the_photo = {"folder_id": album.id}, {"material_id": photo.id}
    for endpoint, values in (("folder", the_album), ("folder_edit", the_album),
                             ("folder_delete", the_album), ("folder_describe", the_album),
                             ("material", the_photo), ("material_edit", the_photo),
                             ("material_delete", the_photo)):
        address = space_url(elsewhere, endpoint, **values)
        assert client.get(address).status_code == 404, address
    for endpoint, values in (("folder_upload", {"folder_id": docs.id}),
                             ("folder_delete", the_album), ("material_edit", the_photo),
                             ("material_delete", the_photo)):
        address = space_url(elsewhere, endpoint, **values)
        response = client.post(address, data={
            "files": [png()], "title": "x"}, content_type="multipart/form-data")
        assert response.status_code == 404, address
    assert client.get(space_url(space, "materials")).status_code == 404  # not a member
    assert client.get(url("portal.file", file_id=photo.file_id)).status_code == 404
    assert client.get(url("portal.file", file_id=photo.file_id, width=160)).status_code == 404
    # A pupil of both spaces cannot reach space A's material through space B's URLs.
    login(cast["pupil"])
    assert client.get(space_url(elsewhere, "material", material_id=photo.id)).status_code == 404
    assert client.get(space_url(space, "material", material_id=photo.id)).status_code == 200
    assert Material.select().count() == 1 and Folder.select().count() == 2


# --- Search --------------------------------------------------------------------------------

def test_search_by_title_description_and_file_name(client, login, cast, upload_dir, space_url):
    space = cast["space"]
    album, docs = folder(space), folder(space, "document", "Docs")
    image(space, album, cast["teacher"], title="Heron", upload_dir=upload_dir)
    hidden = image(space, album, cast["teacher"], title="Heron nest", alt="",
                   upload_dir=upload_dir)
    from services import storage
    stored = storage.save_document(FakeUpload(io.BytesIO(b"%PDF-1.4"), "Water_Quality.pdf"),
                                   upload_dir, 10 ** 6)
    Material.create(space=space, folder=docs, kind="document", title="Report",
                    description="all about HERONS", file=stored, created_by=cast["teacher"])
    Material.create(space=space, folder=folder(space, "video", "V"), kind="video",
                    title="Herons flying", embed_provider="vimeo", embed_id="1234",
                    created_by=cast["teacher"])
    other = make_space(make_user(), space.kind, title="Other")
    Material.create(space=other, folder=folder(other, "video"), kind="video",
                    title="Heron elsewhere", embed_provider="vimeo", embed_id="9")
    login(cast["pupil"])

    def search(words=None, **kwargs):
        response = client.get(space_url(space, "materials", q=words), **kwargs)
        return response.get_data(as_text=True)
    html = search("heron")
    assert "3 materials found for “heron”" in html
    assert "Heron elsewhere" not in html and "Heron nest" not in html
    section = html.split('id="material-results"')[1]
    assert section.index("Images") < section.index("Videos") < section.index("Documents")
    html = search("water_q")
    assert "1 material found" in html and "Water_Quality.pdf" in html
    assert "0 materials found" in search("100%")
    html = search("heron", headers=hx("material-results"))
    assert html.lstrip().startswith('<div id="material-results">') and "<h1>" not in html
    assert 'hx-trigger="input changed delay:300ms' in search()
    # Accents and case do not matter, and every word must match.
    Material.create(space=space, folder=docs, kind="document", title="Lucía's río notes",
                    created_by=cast["teacher"])
    assert "1 material found" in search("LUCIA RIO")
    assert "0 materials found" in search("lucia heron")
    login(cast["teacher"])
    assert "Heron nest" in search("nest")
    assert hidden.alt_text == ""


# --- Query budgets -------------------------------------------------------------------------

def test_list_pages_have_a_query_budget(client, login, cast, upload_dir, space_url):
    space = cast["space"]
    albums = [folder(space, title=f"Album {n}") for n in range(4)]
    for n in range(12):
        image(space, albums[n % 4], cast["teacher"], title=f"Photo {n}", upload_dir=upload_dir)
    docs = folder(space, "document", "Docs")
    from services import storage
    for n in range(6):
        stored = storage.save_document(FakeUpload(io.BytesIO(b"%PDF-1.4 " + bytes([65 + n])),
                                                  f"d{n}.pdf"), upload_dir, 10 ** 6)
        Material.create(space=space, folder=docs, kind="document", title=f"Doc {n}",
                        file=stored, created_by=cast["pupil"])
    login(cast["pupil"])
    for path, expected in ((space_url(space, "materials"), "Album 3"),
                           (space_url(space, "folder", folder_id=albums[0].id), "Photo 8"),
                           (space_url(space, "folder", folder_id=docs.id), "Doc 5"),
                           (space_url(space, "materials", q="photo"), "Photo 11")):
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200 and expected in response.get_data(as_text=True)
        assert counter.count <= 9, (path, counter.count)
