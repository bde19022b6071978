"""T-9 with materials: an anonymous visitor sees exactly the public pages, the public diary
posts and the public materials whose pupils' families agreed (T-16); images of materials that
are not public are taken out of the texts; the files follow the same rule; the teachers'
"see as public" preview shows the same; and the page takes a bounded number of queries.

TwinSpace only: the public view is the TwinSpace parent's own page (a project that is public
shows it); its URLs come from `parent_url`, the files' from `url`."""
import datetime
import io
import itertools
import re

import pytest
from PIL import Image
from flask import url_for
from playhouse.test_utils import count_queries

from blueprints.spaces import parents
from models import (Consent, DiaryPost, Folder, Material, MaterialKind, MaterialPerson, Page,
                    SpaceRole, utcnow)
from services import spaces, storage
from services.export import file_ids_in, strip_private_images
from tests.conftest import log_out
from tests.factories import make_space, make_user

_colour = itertools.count(1)


def png(name="river.png", size=(600, 400)):
    """A small PNG upload, a different colour each time (so a different file)."""
    data = io.BytesIO()
    n = next(_colour)
    Image.new("RGB", size, (n % 250, n // 250 % 250, 200)).save(data, "PNG")
    data.seek(0)
    data.filename = name
    return data


def folder_of(space, kind=MaterialKind.IMAGE, title="River day"):
    return Folder.create(space=space, kind=kind, title=title)


def add_image(app, space, title, alt="Pupils at the river", public=True, people=(),
              folder=None):
    stored = storage.save_image(png(title + ".png"), app.config["UPLOAD_DIR"])
    material = Material.create(space=space, folder=folder or folder_of(space), kind="image",
                               title=title, alt_text=alt, file=stored, is_public=public)
    for person in people:
        MaterialPerson.create(material=material, user=person)
    return material


def add_document(app, space, title, public=True, name="guide.txt", folder=None):
    upload = io.BytesIO(b"How to keep a river clean.\n" * 20)
    upload.filename = name
    stored = storage.save_document(upload, app.config["UPLOAD_DIR"], 10 ** 6)
    return Material.create(space=space, folder=folder or folder_of(space, "document", "Docs"),
                           kind="document", title=title, file=stored, is_public=public)


def add_video_link(space, title, public=True, people=(), folder=None):
    material = Material.create(space=space, folder=folder or folder_of(space, "video", "Films"),
                               kind="video", title=title, embed_provider="youtube",
                               embed_id="dQw4w9WgXcQ", is_public=public)
    for person in people:
        MaterialPerson.create(material=material, user=person)
    return material


def consent(space, pupil, **fields):
    values = dict(photo=True, video=True, scope="public", until=None)
    values.update(fields)
    return Consent.create(space=space, student=pupil, **values)


def img(app, material, width=480):
    """The image of `material` as a text holds it."""
    with app.test_request_context():
        src = url_for("portal.file", file_id=material.file_id, width=width)
    return f'<img src="{src}" alt="{material.alt_text}">'


@pytest.fixture
def world(app):
    teacher = make_user()
    space = make_space(teacher, "twinspace")
    lucia, marcos, sara = make_user("student"), make_user("student"), make_user("student")
    for pupil in (lucia, marcos, sara):
        spaces.join(space, pupil, SpaceRole.STUDENT)
    consent(space, lucia, until=datetime.date.today() + datetime.timedelta(days=60))
    consent(space, sara, until=datetime.date.today() - datetime.timedelta(days=1))
    album = folder_of(space)
    m = dict(
        shown=add_image(app, space, "Lucía measures", people=(lucia,), folder=album),
        untagged=add_image(app, space, "The river bank", alt="Reeds", folder=album),
        no_consent=add_image(app, space, "Marcos waves", people=(marcos,), folder=album),
        expired=add_image(app, space, "Sara smiles", people=(sara,), folder=album),
        unmarked=add_image(app, space, "Draft photo", public=False, folder=album),
        no_alt=add_image(app, space, "No words", alt="", folder=album),
        document=add_document(app, space, "River guide"),
        hidden_document=add_document(app, space, "Marks", public=False, name="marks.txt"),
        video=add_video_link(space, "Our song", people=(lucia,)),
        hidden_video=add_video_link(space, "Rehearsal", people=(marcos,)),
    )
    with app.test_request_context():
        big = url_for("portal.file", file_id=m["expired"].file_id, width=1200)
        document = parents.url_for_space(space, "material", material_id=m["document"].id)
    body = ("<p>Open guide</p>" + img(app, m["shown"]) + img(app, m["no_consent"])
            + f'<a href="{big}">{img(app, m["expired"])}</a>'
            + f'<a href="{document}">the guide</a>')
    guide = Page.create(space=space, title="Open guide", body=body, view_rule="public")
    Page.create(space=space, title="Secret plan", body="<p>members</p>")
    Page.create(space=space, title="Marking", body="<p>teachers</p>", view_rule="teachers")
    Page.create(space=space, title="Old page", body="<p>gone</p>", view_rule="public",
                archived_at=utcnow())
    hidden_parent = Page.create(space=space, title="Archived branch", view_rule="public",
                                archived_at=utcnow())
    Page.create(space=space, title="Orphan page", body="<p>under gone</p>",
                view_rule="public", parent=hidden_parent)
    DiaryPost.create(space=space, title="River day", is_public=True,
                     body="<p>We went out.</p>" + img(app, m["untagged"])
                     + img(app, m["unmarked"], 160))
    DiaryPost.create(space=space, title="Class list", is_public=False, body="<p>names</p>")
    return dict(space=space, teacher=teacher, m=m, guide=guide)


def main_of(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_visitor_sees_exactly_what_is_public(client, world, parent_url, url):
    space, m = world["space"], world["m"]
    html = main_of(client.get(parent_url(space, "public_view")).get_data(as_text=True))
    for shown in ("Open guide", "River day", "We went out.", "Lucía measures", "The river bank",
                  "River guide", "Our song"):
        assert shown in html, shown
    for hidden in ("Secret plan", "Marking", "Old page", "Orphan page", "Class list",
                   "Marcos waves", "Sara smiles", "Draft photo", "No words", "Marks",
                   "Rehearsal"):
        assert hidden not in html, hidden
    # Thumbnails with their alt text, linking to the large size; documents with name and size.
    fid = m["shown"].file_id
    big, small = (re.escape(url("portal.file", file_id=fid, width=w)) for w in (1200, 480))
    assert re.search(rf'<a href="{big}">\s*<img src="{small}" '
                     r'width="480" height="320" alt="Pupils at the river" loading="lazy">', html)
    assert 'alt="Pupils at the river"' in html and 'alt="Reeds"' in html
    assert f'href="{url("portal.file", file_id=m["document"].file_id)}"' in html
    assert "guide.txt" in html
    assert "540 Bytes" in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html  # loaded only on click
    # Images of materials that are not public are gone from page and diary texts.
    files = re.escape(url("portal.file", file_id=0).removesuffix("0"))  # the files' prefix
    shown_ids = {int(i) for i in re.findall(files + r"(\d+)", html)}
    assert shown_ids == {m[k].file_id for k in ("shown", "untagged", "document")}
    assert "the guide</a>" in html  # other links stay


def test_files_follow_the_same_rule(client, world, url):
    m = world["m"]

    def file(key, **width):
        return url("portal.file", file_id=m[key].file_id, **width)
    for key in ("shown", "untagged"):
        assert client.get(file(key, width=480)).status_code == 200
    assert client.get(file("document")).status_code == 200
    for key in ("no_consent", "expired", "unmarked", "no_alt"):
        assert client.get(file(key, width=480)).status_code == 404, key
        assert client.get(file(key)).status_code == 404, key
    assert client.get(file("hidden_document")).status_code == 404


def test_recording_consent_makes_a_photo_public(app, client, login, world, space_url,
                                                parent_url, url):
    space, m = world["space"], world["m"]
    marcos = MaterialPerson.get(MaterialPerson.material == m["no_consent"].id).user
    photo = url("portal.file", file_id=m["no_consent"].file_id, width=480)
    assert client.get(photo).status_code == 404
    login(world["teacher"])
    client.post(space_url(space, "consent_edit", user_id=marcos.id),
                data={"photo": "y", "scope": "public"})
    log_out(client)
    html = client.get(parent_url(space, "public_view")).get_data(as_text=True)
    assert "Marcos waves" in html and img(app, m["no_consent"]).split(" alt")[0] in html
    assert "Rehearsal" not in html  # photos only: the video needs its own consent
    assert client.get(photo).status_code == 200


def test_the_teachers_preview_shows_the_same(client, login, world, space_url, parent_url):
    space = world["space"]
    public = parent_url(space, "public_view")
    anonymous = main_of(client.get(public).get_data(as_text=True))
    login(world["teacher"])
    client.get(space_url(space, "home"))  # let any log-in message be shown first
    preview = main_of(client.get(public).get_data(as_text=True))
    assert "This is what visitors see" in preview
    preview = re.sub(r'<p class="notice-inline">.*?</p>', "", preview, count=1)
    assert preview.strip() == anonymous.strip()


def test_a_private_space_has_no_public_view(client, app, parent_url, url):
    teacher = make_user()
    space = make_space(teacher, "twinspace", public=False)
    image = add_image(app, space, "Hidden")
    assert client.get(parent_url(space, "public_view")).status_code == 404
    assert client.get(url("portal.file", file_id=image.file_id, width=480)).status_code == 404


def test_the_public_view_takes_a_bounded_number_of_queries(client, app, world, parent_url):
    space = world["space"]
    public = parent_url(space, "public_view")

    def count():
        with count_queries() as counter:
            assert client.get(public).status_code == 200
        return counter.count
    before = count()
    album = folder_of(space, title="More")
    pupil = make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    consent(space, pupil)
    for n in range(8):
        add_image(app, space, f"Extra {n}", people=(pupil,), folder=album)
        add_document(app, space, f"Doc {n}")
        Page.create(space=space, title=f"Public {n}", view_rule="public",
                    body=img(app, world["m"]["no_consent"]))
        DiaryPost.create(space=space, title=f"News {n}", is_public=True,
                         body=img(app, world["m"]["expired"]))
    assert count() == before
    assert before <= 12, before


# --- strip_private_images --------------------------------------------------------------------

def test_strip_private_images_keeps_everything_else():
    html = ('<p>a</p><img alt="x &gt; y > z" src="/files/3/w480" width="480">'
            '<img src="/files/4">'
            "<img src='/files/5/w160' alt='q'>"
            '<a href="/files/6/w1200"><img src="/files/6/w480" alt="big"></a>'
            '<a href="/files/3">keep</a>'
            '<img src="https://example.org/files/9/w480" alt="elsewhere">'
            '<img src="/static/img/logo.png" alt="logo"><abbr title="a">A</abbr>')
    assert file_ids_in(html) == {3, 4, 5, 6}
    out = strip_private_images(html, {3})
    assert out == ('<p>a</p><img alt="x &gt; y > z" src="/files/3/w480" width="480">'
                   '<a href="/files/3">keep</a>'
                   '<img src="https://example.org/files/9/w480" alt="elsewhere">'
                   '<img src="/static/img/logo.png" alt="logo"><abbr title="a">A</abbr>')
    assert strip_private_images(html, {3, 4, 5, 6}) == html
    assert strip_private_images("", set()) == "" and strip_private_images(None, set()) == ""
    assert strip_private_images('<p>x</p><a href="/files/7">report</a>', []) == "<p>x</p>report"
