"""T-2: inserting a material (image, video, document) of the space into a page — the picker
fragment of the editor's dialog, the no-JavaScript page that appends to the end of the page
as a new revision, the snippets (escaped, stable under the sanitiser), the video players
under a page that links to the space's videos, and the refusals (other spaces, pupils who
may not edit, visitors, outsiders)."""
import html as htmllib
import io
import re

import pytest
from PIL import Image

from blueprints.spaces import parents
from models import Folder, Material, Page, PageRevision, SpaceRole
from services import pages as page_service
from services import spaces, storage
from services.sanitize import clean_html
from tests.conftest import hx
from tests.factories import make_user
from tests.views.test_twinspace import make_space

EVIL = 'Quote " and \' <script>alert(1)</script>'


class Upload(io.BytesIO):
    def __init__(self, data, filename="file"):
        super().__init__(data)
        self.filename = filename


def png(width=800, height=600):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#2a7ab0").save(out, "PNG")
    return out.getvalue()


def add_material(app, space, kind, title, alt="", embed=False, author=None):
    folder = (Folder.get_or_none(Folder.space == space, Folder.kind == kind)
              or Folder.create(space=space, kind=kind, title=f"{kind} folder"))
    upload_dir = app.config["UPLOAD_DIR"]
    stored, provider, embed_id = None, "", ""
    if kind == "image":
        stored = storage.save_image(Upload(png(), "photo.png"), upload_dir)
    elif kind == "document":
        stored = storage.save_document(Upload(b"%PDF-1.4\n" + b"x" * 1_250_000, "guide.pdf"),
                                       upload_dir, 50 * 1024 * 1024)
    elif embed:
        provider, embed_id = "youtube", "dQw4w9WgXcQ"
    else:
        stored = storage.save_video(Upload(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
                                           "clip.mp4"), upload_dir, 50 * 1024 * 1024)
    return Material.create(space=space, folder=folder, kind=kind, title=title, alt_text=alt,
                           file=stored, embed_provider=provider, embed_id=embed_id,
                           created_by=author)


@pytest.fixture
def cast(app):
    teacher = make_user()
    space = make_space(teacher)
    pupil, guest = make_user("student"), make_user("visitor")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    other_teacher = make_user()
    other_space = make_space(other_teacher, title="Mountains")
    page = page_service.create(space, teacher.id, "River", "<p>Start</p>")
    shared = page_service.create(space, teacher.id, "Shared", "<p>Ours</p>",
                                 edit_rule="teachers_students")
    return dict(space=space, teacher=teacher, pupil=pupil, guest=guest, page=page,
                shared=shared, other_space=other_space, other_teacher=other_teacher,
                outsider=make_user(),
                image=add_material(app, space, "image", "Bridge", alt="The old bridge"),
                no_alt=add_material(app, space, "image", "Nameless photo", alt=""),
                doc=add_material(app, space, "document", "Guide"),
                video=add_material(app, space, "video", "Clean-up day", embed=True),
                foreign=add_material(app, other_space, "image", "Peak", alt="A peak"))


def as_user(client, login, user):
    client.post("/auth/logout")
    login(user)


def picker(space, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/twinspaces/{space.id}/pages/materials-picker" + (f"?{query}" if query else "")


def snippet_of(html, title):
    """The data-insert-snippet of the Insert button for `title`, unescaped as a browser would."""
    for attr, label in re.findall(r'data-insert-snippet="([^"]*)"[^>]*>[^<]*<span[^>]*> “([^”]*)”',
                                  html):
        if htmllib.unescape(label) == title:
            return htmllib.unescape(attr)
    raise AssertionError(f"no Insert button for {title}")


def test_picker_lists_this_spaces_materials_with_insert_buttons(client, login, cast):
    login(cast["teacher"])
    response = client.get(picker(cast["space"], page=cast["page"].id), headers=hx("picker-body"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="picker-results"' in html
    for title in ("Bridge", "Guide", "Clean-up day"):
        assert f"“{title}”" in html
    assert "Nameless photo" not in html  # no alt text: not offered
    assert "Peak" not in html  # another space's
    # Newest first.
    assert html.index("Clean-up day") < html.index("Guide") < html.index("Bridge")
    image = snippet_of(html, "Bridge")
    width, height = storage.image_size(cast["image"].file, 480)
    assert image == (f'<img src="/files/{cast["image"].file_id}/w480" alt="The old bridge" '
                     f'width="{width}" height="{height}">')
    assert (width, height) == (480, 360)
    assert snippet_of(html, "Guide") == (f'<a href="/files/{cast["doc"].file_id}">Guide '
                                         f'(PDF, 1.2 MB)</a>')
    # A video is a link by reference (its page lives under the space's parent).
    assert snippet_of(html, "Clean-up day") == (
        f'<p><a data-material="{cast["video"].id}">▶ Clean-up day</a></p>')


def test_picker_filters_by_kind_and_search(client, login, cast):
    login(cast["teacher"])
    html = client.get(picker(cast["space"], page=cast["page"].id, kind="document"),
                      headers=hx("picker-results")).get_data(as_text=True)
    assert "“Guide”" in html and "Bridge" not in html and "Clean-up" not in html
    assert 'id="picker-results"' not in html  # only the list, swapped into the region
    html = client.get(picker(cast["space"], page=cast["page"].id, q="bridge"),
                      headers=hx("picker-results")).get_data(as_text=True)
    assert "“Bridge”" in html and "Guide" not in html
    html = client.get(picker(cast["space"], page=cast["page"].id, q="nothing-like-it"),
                      headers=hx("picker-results")).get_data(as_text=True)
    assert "No materials match" in html
    # Nonsense kinds are ignored rather than failing.
    assert client.get(picker(cast["space"], kind="<x>"), headers=hx("picker-body")
                      ).status_code == 200


def test_picker_without_htmx_goes_to_the_full_page(client, login, cast):
    login(cast["teacher"])
    response = client.get(picker(cast["space"], page=cast["page"].id, kind="image"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/twinspaces/{cast['space'].id}/pages/{cast['page'].id}/insert?kind=image")
    # A new page (no page yet): the list with the HTML to copy.
    response = client.get(picker(cast["space"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HTML to copy into the text" in html
    assert "&lt;img src=&#34;/files/" in html or "&lt;img src=&quot;/files/" in html


def test_snippets_escape_titles_and_alt_text(app, client, login, cast):
    image = add_material(app, cast["space"], "image", EVIL, alt=EVIL)
    doc = add_material(app, cast["space"], "document", EVIL)
    video = add_material(app, cast["space"], "video", EVIL)
    for material in (image, doc, video):
        snippet = page_service.material_snippet(material)
        assert "<script" not in snippet and "&lt;script&gt;" in snippet
        assert clean_html(snippet) == snippet
    assert page_service.material_snippet(image).count('"') == 8  # the quote became &quot;
    login(cast["teacher"])
    html = client.get(picker(cast["space"], page=cast["page"].id),
                      headers=hx("picker-body")).get_data(as_text=True)
    assert "<script>alert" not in html
    inserted = snippet_of(html, EVIL)
    assert inserted == page_service.material_snippet(video)
    assert "<script" not in inserted


def test_the_dialog_and_the_no_js_link_are_on_the_edit_form(client, login, cast):
    login(cast["teacher"])
    html = client.get(f"/twinspaces/{cast['space'].id}/pages/{cast['page'].id}/edit"
                      ).get_data(as_text=True)
    assert 'data-picker-open="material-picker"' in html and "<dialog" in html
    assert f'href="/twinspaces/{cast["space"].id}/pages/{cast["page"].id}/insert"' in html
    assert f'materials-picker?page={cast["page"].id}' in html
    html = client.get(f"/twinspaces/{cast['space'].id}/pages/new").get_data(as_text=True)
    assert "<dialog" in html and "/insert\"" not in html


def test_no_js_append_makes_a_new_revision(client, login, cast):
    login(cast["teacher"])
    page, image = cast["page"], cast["image"]
    url = f"/twinspaces/{cast['space'].id}/pages/{page.id}/insert"
    html = client.get(url).get_data(as_text=True)
    assert "Add to the end of the page" in html and "“Bridge”" in html
    assert "Nameless photo" not in html and "Peak" not in html
    response = client.post(url, data={"material": str(image.id)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/pages/{page.id}/edit")
    stored = Page.get_by_id(page.id)
    snippet = page_service.material_snippet(image)
    assert stored.version == 2 and stored.body == "<p>Start</p>" + snippet
    assert clean_html(stored.body) == stored.body
    assert clean_html(clean_html(stored.body)) == clean_html(stored.body)
    last = PageRevision.get(PageRevision.page == page, PageRevision.version == 2)
    assert last.body == stored.body and last.author_id == cast["teacher"].id
    history = client.get(f"/twinspaces/{cast['space'].id}/pages/{page.id}/history"
                         ).get_data(as_text=True)
    assert "Version 2" in history or "version 2" in history.lower()
    # A document and a video too, each a further version.
    client.post(url, data={"material": str(cast["doc"].id)})
    client.post(url, data={"material": str(cast["video"].id)})
    stored = Page.get_by_id(page.id)
    assert stored.version == 4 and "(PDF, 1.2 MB)</a>" in stored.body
    assert stored.body.endswith(page_service.material_snippet(cast["video"]))
    assert clean_html(stored.body) == stored.body


def test_no_js_append_refuses_other_spaces_and_unlisted_materials(client, login, cast):
    login(cast["teacher"])
    url = f"/twinspaces/{cast['space'].id}/pages/{cast['page'].id}/insert"
    for material_id in (cast["foreign"].id, cast["no_alt"].id, 999999, "abc"):
        assert client.post(url, data={"material": str(material_id)}).status_code in (404, 400)
    assert client.post(url, data={"material": str(cast["foreign"].id)}).status_code == 404
    assert Page.get_by_id(cast["page"].id).version == 1
    # Without the CSRF token nothing happens.
    assert client.post(url, data={"material": str(cast["image"].id)},
                       csrf=False).status_code == 400
    # A page of another space, through this space's URL or its own.
    other_page = page_service.create(cast["other_space"], cast["other_teacher"].id, "Peaks", "x")
    assert client.get(f"/twinspaces/{cast['space'].id}/pages/{other_page.id}/insert"
                      ).status_code == 404
    assert client.get(f"/twinspaces/{cast['other_space'].id}/pages/{other_page.id}/insert"
                      ).status_code == 404
    assert client.get(picker(cast["other_space"]), headers=hx("picker-body")).status_code == 404
    assert client.get(picker(cast["space"], page=other_page.id),
                      headers=hx("picker-body")).status_code == 404


def test_pupils_who_may_not_edit_visitors_and_outsiders_get_404(client, login, cast):
    space, page, shared = cast["space"], cast["page"], cast["shared"]
    insert = f"/twinspaces/{space.id}/pages/{page.id}/insert"
    login(cast["pupil"])
    assert client.get(insert).status_code == 404
    assert client.post(insert, data={"material": str(cast["image"].id)}).status_code == 404
    assert client.get(picker(space, page=page.id), headers=hx("picker-body")).status_code == 404
    assert client.get(picker(space), headers=hx("picker-body")).status_code == 404  # top level
    # A page pupils may edit: they may insert into it.
    assert client.get(picker(space, page=shared.id), headers=hx("picker-body")).status_code == 200
    assert client.get(picker(space, parent=shared.id), headers=hx("picker-body")
                      ).status_code == 200
    response = client.post(f"/twinspaces/{space.id}/pages/{shared.id}/insert",
                           data={"material": str(cast["doc"].id)})
    assert response.status_code == 303 and Page.get_by_id(shared.id).version == 2
    for user in (cast["guest"], cast["outsider"]):
        as_user(client, login, user)
        for url in (insert, f"/twinspaces/{space.id}/pages/{shared.id}/insert"):
            assert client.get(url).status_code == 404
            assert client.post(url, data={"material": str(cast["image"].id)}).status_code == 404
        assert client.get(picker(space), headers=hx("picker-body")).status_code == 404
        assert client.get(picker(space, page=shared.id), headers=hx("picker-body")
                          ).status_code == 404
    assert Page.get_by_id(page.id).version == 1
    client.post("/auth/logout")
    assert client.get(insert).status_code in (302, 303)  # log in first


def test_video_links_show_players_below_the_page(app, client, login, cast):
    space = cast["space"]
    uploaded = add_material(app, space, "video", "River film")
    other_video = add_material(app, cast["other_space"], "video", "Alien film")
    body = (page_service.material_snippet(cast["video"])
            + page_service.material_snippet(uploaded)
            + page_service.material_snippet(cast["video"])  # twice: one player
            + f'<p><a data-material="{cast["image"].id}">img</a></p>'  # not a video
            + f'<p><a data-material="{other_video.id}">x</a></p>')  # another space's
    page = page_service.save(cast["page"], cast["teacher"].id, "River", body, 1)
    assert page_service.video_players(page.body, space) == [cast["video"], uploaded]
    assert "<iframe" not in page.body and "<video" not in page.body
    login(cast["pupil"])
    with app.test_request_context():
        page_url = parents.url_for_space(space, "page", page_id=page.id)
        video_url = parents.url_for_space(space, "material", material_id=cast["video"].id)
    html = client.get(page_url).get_data(as_text=True)
    # The reference is shown as a link to the video's page, under the space's parent.
    assert f'<p><a href="{video_url}">▶ Clean-up day</a></p>' in html
    assert "data-material" not in html
    assert html.count("<video") == 1 and f'src="/files/{uploaded.file_id}"' in html
    assert html.count("data-embed-play") == 1 and "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "Alien film" not in html and "<iframe" not in html
    assert html.index('class="prose"') < html.index("page-players")


def test_page_without_video_links_has_no_players(client, login, cast):
    login(cast["teacher"])
    html = client.get(f"/twinspaces/{cast['space'].id}/pages/{cast['page'].id}"
                      ).get_data(as_text=True)
    assert "page-players" not in html
