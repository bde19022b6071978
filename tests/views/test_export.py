"""T-17: a teacher downloads the space as a static HTML archive that opens offline — every
page that is not archived, the whole diary, the materials and their files, with links
rewritten to relative paths that all resolve inside the zip — and nobody else can.

The export is shared: its tests run once per kind of space (`space_kind`). Those of the diary
section and of the settings page that offers the export are TwinSpace-only: the diary and the
settings are the TwinSpace parent's own (its `export_sections` and `export_back` hooks)."""
import datetime
import io
import posixpath
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import DiaryPost, Material, Page, SpaceRole, utcnow
from services import export as export_service
from services import spaces, storage
from tests.conftest import log_out
from tests.factories import make_space, make_user
from tests.views.test_public_view import add_document, add_image, add_video_link, folder_of, png

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 400


# The TwinSpace-only tests: a TwinSpace is the only kind of space with a diary and settings.
TWINSPACE_ONLY = pytest.mark.parametrize("space_kind", ["twinspace"])


@pytest.fixture
def world(app, space_kind):
    teacher = make_user()
    space = make_space(teacher, space_kind, title="Our rivers, our future")
    pupil, guest = make_user("student"), make_user("visitor")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    photo = add_image(app, space, "Sampling", alt="Two pupils hold a jar", public=False)
    logo = storage.save_image(png("logo.png"), app.config["UPLOAD_DIR"])
    space.logo_id = logo.id
    space.save()
    upload = io.BytesIO(MP4)
    upload.filename = "river song.mp4"
    video_file = storage.save_video(upload, app.config["UPLOAD_DIR"], 10 ** 6)
    films = folder_of(space, "video", "Films")
    video = Material.create(space=space, folder=films, kind="video", title="River song",
                            file=video_file)
    linked = add_video_link(space, "Interview", folder=films)
    document = add_document(app, space, "Measurements", name="pH results.txt")
    other_space = make_space(make_user(), space_kind, title="Another project")
    foreign = Page.create(space=other_space, title="Foreign page", body="<p>not ours</p>")
    guide = Page.create(space=space, title="River guide <script>x</script>", view_rule="public",
                        body="<p>Keep the river clean.</p>")
    # Addresses as a teacher pastes them: this space's pages and materials under its parent.
    with app.test_request_context():
        guide_url = parents.url_for_space(space, "page", page_id=guide.id)
        document_url = parents.url_for_space(space, "material", material_id=document.id)
        foreign_url = parents.url_for_space(other_space, "page", page_id=foreign.id)
        big = url_for("portal.file", file_id=photo.file_id, width=1200)
        small = url_for("portal.file", file_id=photo.file_id, width=480)
    child = Page.create(space=space, parent=guide, title="Measuring day", position=1,
                        body=(f'<p>See <a href="{guide_url}">the guide</a> and '
                              f'<a href="{document_url}">the results</a>.</p>'
                              f'<a href="{big}"><img src="{small}" alt="Two pupils hold a jar" '
                              f'width="480" height="320"></a>'
                              f'<p><a href="{foreign_url}">elsewhere</a> '
                              f'<a href="https://example.org/x?a=1&amp;b=2">web</a></p>'))
    marking = Page.create(space=space, title="Marking", view_rule="teachers",
                          body="<p>Rubric for teachers.</p>")
    Page.create(space=space, title="Old draft", body="<p>archived text</p>",
                archived_at=utcnow())
    return dict(space=space, teacher=teacher, pupil=pupil, guest=guest, outsider=make_user(),
                photo=photo, logo=logo, video=video, linked=linked, document=document,
                guide=guide, child=child, marking=marking, foreign=foreign,
                foreign_url=foreign_url)


@pytest.fixture
def diary(app, world):
    """Two posts in the diary of the world's TwinSpace, one with the (private) photo."""
    space, photo = world["space"], world["photo"]
    with app.test_request_context():
        src = url_for("portal.file", file_id=photo.file_id)
    now = utcnow()
    DiaryPost.create(space=space, title="First samples", body="<p>We took samples.</p>",
                     is_public=True, published_at=now - datetime.timedelta(days=3))
    DiaryPost.create(space=space, title="Class list", body=f'<p>Groups</p><img src="{src}" '
                     f'alt="jar">', published_at=now)


@pytest.fixture
def export_url(space_url):
    def _export_url(space):
        return space_url(space, "export")
    return _export_url


class Links(HTMLParser):
    """Every href and src of a document, and every id in it."""

    def __init__(self):
        super().__init__()
        self.urls, self.ids, self.head = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name]))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag in ("html", "meta"):
            self.head.append((tag, attrs))


def download(client, address):
    response = client.post(address)
    assert response.status_code == 200, response.status_code
    return response, zipfile.ZipFile(io.BytesIO(response.data))


def test_the_teacher_downloads_an_archive_that_works_offline(app, client, login, world,
                                                             export_url):
    space, photo = world["space"], world["photo"]
    login(world["teacher"])
    html = client.get(export_url(space)).get_data(as_text=True)
    assert "Download the archive" in html and "whoever could read it" in html
    response, zf = download(client, export_url(space))
    today = datetime.date.today().isoformat()
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=our-rivers-our-future-{today}.zip")
    assert "no-store" in response.headers["Cache-Control"]

    names = set(zf.namelist())
    video, document = world["video"].file, world["document"].file
    with app.test_request_context():  # what the space's parent adds (a TwinSpace: its diary)
        added = {section.name for section in parents.of(space).hooks.export_sections(space)}
    expected = added | {"index.html", "materials.html", "style.css",
                f"pages/{world['guide'].id}.html", f"pages/{world['child'].id}.html",
                f"pages/{world['marking'].id}.html",
                f"files/{photo.file_id}-w480.webp", f"files/{photo.file_id}-w1200.webp",
                f"files/{world['logo'].id}-w480.webp", f"files/{world['logo'].id}-w1200.webp",
                f"files/{video.id}-river_song.mp4", f"files/{document.id}-pH_results.txt"}
    assert names == expected
    assert zf.read(f"files/{video.id}-river_song.mp4") == MP4
    assert zf.getinfo(f"files/{photo.file_id}-w480.webp").compress_type == zipfile.ZIP_STORED
    assert zf.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED

    texts = {name: zf.read(name).decode("utf-8") for name in names if name.endswith(".html")}
    left_as_is = set()
    for name, text in texts.items():
        parser = Links()
        parser.feed(text)
        assert text.startswith("<!doctype html>"), name
        assert ("meta", {"charset": "utf-8"}) in parser.head, name
        assert any(tag == "html" and attrs.get("lang") for tag, attrs in parser.head), name
        assert "<script" not in text and "style=" not in text and "<iframe" not in text, name
        for tag, link in parser.urls:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("/"):
                left_as_is.add(link)
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name),
                                                       unquote(parts.path))) if parts.path \
                else name
            assert target in names, (name, link)
            if parts.fragment:
                other = Links()
                other.feed(zf.read(target).decode("utf-8"))
                assert parts.fragment in other.ids, (name, link)
    # Only addresses outside the space stay as they were.
    assert left_as_is == {world["foreign_url"], "https://example.org/x?a=1&b=2",
                          "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}

    index = texts["index.html"]
    assert "Our rivers, our future" in index
    assert "River guide &lt;script&gt;x&lt;/script&gt;" in index
    assert index.index("River guide") < index.index("Measuring day") < index.index("Marking")
    assert re.search(r"<li><a href=\"pages/%d.html\">River guide.*?<ul class=\"page-tree\">\s*"
                     r"<li><a href=\"pages/%d.html\">Measuring day" % (world["guide"].id,
                                                                        world["child"].id),
                     index, re.DOTALL)
    child = texts[f"pages/{world['child'].id}.html"]
    assert f'href="{world["guide"].id}.html"' in child  # the page link, relative
    assert f'href="../materials.html#material-{world["document"].id}"' in child
    assert (f'<a href="../files/{photo.file_id}-w1200.webp"><img src="../files/{photo.file_id}'
            f'-w480.webp" alt="Two pupils hold a jar"') in child
    assert "Rubric for teachers." in texts[f"pages/{world['marking'].id}.html"]
    assert "Keep the river clean." in texts[f"pages/{world['guide'].id}.html"]
    materials = texts["materials.html"]
    assert f'<video controls preload="none" src="files/{video.id}-river_song.mp4"' in materials
    assert "Watch “Interview” on YouTube" in materials
    assert 'alt="Two pupils hold a jar"' in materials and "pH results.txt" in materials
    everything = "".join(texts.values())
    for absent in ("Foreign page", "not ours", "Old draft", "archived text", "Another project"):
        assert absent not in everything
    assert ".prose" in zf.read("style.css").decode()


@pytest.mark.parametrize("who", ["pupil", "guest", "outsider"])
def test_nobody_else_can_export(client, login, world, who, export_url):
    login(world[who])
    assert client.get(export_url(world["space"])).status_code == 404
    assert client.post(export_url(world["space"])).status_code == 404


def test_anonymous_and_forged_requests_get_nothing(client, login, world, export_url, url):
    address = export_url(world["space"])
    response = client.post(address)
    assert response.status_code in (302, 303)
    assert url("auth.login") in response.headers["Location"]
    login(world["teacher"])
    response = client.post(address, csrf=False)
    assert response.status_code == 400 and response.mimetype == "text/html"
    # A teacher of another space cannot export this one by guessing its id.
    log_out(client)
    login(make_user())
    assert client.post(address).status_code == 404


@TWINSPACE_ONLY
def test_settings_link_to_the_export(client, login, world, export_url, parent_url):
    """TwinSpace only: its settings (the parent's own page) offer the export."""
    login(world["teacher"])
    html = client.get(parent_url(world["space"], "settings")).get_data(as_text=True)
    assert f'href="{export_url(world["space"])}"' in html


def test_archive_names_and_url_rewriting():
    class S:
        title, id = "Nuestros ríos: ¡el futuro!", 1
    day = datetime.date(2026, 12, 3)
    assert export_service.archive_filename(S(), day) == "nuestros-rios-el-futuro-2026-12-03.zip"
    S.title = "日本"
    # No ASCII letter in the title: the parent's word for a space names it (the export view
    # passes it), else a neutral "space".
    assert export_service.archive_filename(S(), day, fallback="TwinSpace") == (
        "twinspace-2026-12-03.zip")
    assert export_service.archive_filename(S(), day) == "space-2026-12-03.zip"
    html = ('<a href="/a" title="x > y">a</a><img src=\'/b\' alt="c">'
            '<a href="/keep">k</a>')
    out = export_service.rewrite_urls(html, {"/a": "pages/1.html?x=1&y", "/b": "f.webp"}.get)
    assert out == ('<a href="pages/1.html?x=1&amp;y" title="x > y">a</a><img src="f.webp" '
                   'alt="c"><a href="/keep">k</a>')


@TWINSPACE_ONLY
def test_the_parent_names_the_archive_adds_the_diary_and_the_way_back(client, login, world,
                                                                      diary, space_url,
                                                                      parent_url):
    """TwinSpace only: what only a TwinSpace has comes from its parent: the file name's word
    when the title has no ASCII letter, the diary (on the export page, in the archive's menu
    and home, and the whole diary in its file, newest first, its images in the archive) and
    the link back to its settings; the shared words say "space"."""
    space, photo = world["space"], world["photo"]
    space.title = "日本"
    space.save()
    login(world["teacher"])
    export_url = space_url(space, "export")
    settings_url = parent_url(space, "settings")
    html = client.get(export_url).get_data(as_text=True)
    assert f'<a href="{settings_url}">Back to the settings</a>' in html
    assert "Every post of the project diary" in html and "Export the space" in html
    response = client.post(export_url)
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=twinspace-{datetime.date.today().isoformat()}.zip")
    zf = zipfile.ZipFile(io.BytesIO(response.data))
    index = zf.read("index.html").decode()
    assert '<a href="diary.html">The project diary</a> (2 posts)' in index
    assert '<a href="diary.html">Project diary</a>' in zf.read("materials.html").decode()
    assert "TwinSpace" not in index
    diary = zf.read("diary.html").decode()
    assert diary.index("Class list") < diary.index("First samples")  # newest first
    assert "We took samples." in diary and f'src="files/{photo.file_id}-w1200.webp"' in diary


@TWINSPACE_ONLY
def test_a_space_whose_parent_adds_nothing_exports_pages_and_materials_only(app, world, diary):
    """The shared archive holds no diary of its own: without the parent's sections there is
    no diary file and no link to one (TwinSpace only: a TwinSpace with diary posts, built
    without its parent's sections)."""
    with app.test_request_context():
        archive = export_service.build_archive(world["space"])
    zf = zipfile.ZipFile(archive)
    assert "diary.html" not in zf.namelist()
    assert "diary.html" not in zf.read("index.html").decode()
    assert "We took samples." not in "".join(zf.read(n).decode("utf-8", "ignore")
                                             for n in zf.namelist() if n.endswith(".html"))
    archive.close()
