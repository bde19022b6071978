"""T-2: inserting a material (image, video, document) of the space into a page — the picker
fragment of the editor's dialog, the no-JavaScript page that appends to the end of the page
as a new revision, the snippets (escaped, stable under the sanitiser), the video players
under a page that links to the space's videos, and the refusals (other spaces, pupils who
may not edit, visitors, outsiders). Inserting is a shared feature: every test runs once per
kind of space (the shared `cast`)."""
import html as htmllib
import io
import re

import pytest
from PIL import Image

from models import Folder, Material, Page, PageRevision
from services import page_materials
from services import pages as page_service
from services import storage
from services.sanitize import clean_html
from tests.conftest import hx, log_out

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
def scene(app, cast):
    """The shared cast, with two pages of its space (one pupils may edit too) and materials:
    listed ones of each kind, an image without alt text, and `foreign`, another space's."""
    space, teacher = cast["space"], cast["teacher"]
    page = page_service.create(space, teacher.id, "River", "<p>Start</p>")
    shared = page_service.create(space, teacher.id, "Shared", "<p>Ours</p>",
                                 edit_rule="teachers_students")
    return dict(cast, page=page, shared=shared,
                image=add_material(app, space, "image", "Bridge", alt="The old bridge"),
                no_alt=add_material(app, space, "image", "Nameless photo", alt=""),
                doc=add_material(app, space, "document", "Guide"),
                video=add_material(app, space, "video", "Clean-up day", embed=True),
                foreign=add_material(app, cast["other_space"], "image", "Peak", alt="A peak"))


@pytest.fixture
def picker(space_url):
    """picker(space, page=3, kind="image"): the material picker of `space`'s page editor."""
    def _picker(space, **args):
        return space_url(space, "page_materials_picker", **args)
    return _picker


def snippet_of(html, title):
    """The data-insert-snippet of the Insert button for `title`, unescaped as a browser would."""
    for attr, label in re.findall(r'data-insert-snippet="([^"]*)"[^>]*>[^<]*<span[^>]*> “([^”]*)”',
                                  html):
        if htmllib.unescape(label) == title:
            return htmllib.unescape(attr)
    raise AssertionError(f"no Insert button for {title}")


def test_picker_lists_this_spaces_materials_with_insert_buttons(client, login, scene, picker,
                                                                url):
    cast = scene
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
    src = url("portal.file", file_id=cast["image"].file_id, width=480)
    assert image == f'<img src="{src}" alt="The old bridge" width="{width}" height="{height}">'
    assert (width, height) == (480, 360)
    assert snippet_of(html, "Guide") == (
        f'<a href="{url("portal.file", file_id=cast["doc"].file_id)}">Guide (PDF, 1.2 MB)</a>')
    # A video is a link by reference (its page lives under the space's parent).
    assert snippet_of(html, "Clean-up day") == (
        f'<p><a data-material="{cast["video"].id}">▶ Clean-up day</a></p>')


def test_picker_filters_by_kind_and_search(client, login, scene, picker):
    cast = scene
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


def test_picker_without_htmx_goes_to_the_full_page(client, login, scene, picker, space_url,
                                                   url):
    cast = scene
    login(cast["teacher"])
    response = client.get(picker(cast["space"], page=cast["page"].id, kind="image"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        space_url(cast["space"], "page_insert", page_id=cast["page"].id, kind="image"))
    # A new page (no page yet): the list with the HTML to copy.
    response = client.get(picker(cast["space"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HTML to copy into the text" in html
    src = url("portal.file", file_id=cast["image"].file_id, width=480)
    assert f"&lt;img src=&#34;{src}" in html or f"&lt;img src=&quot;{src}" in html


def test_snippets_escape_titles_and_alt_text(app, client, login, scene, picker):
    cast = scene
    image = add_material(app, cast["space"], "image", EVIL, alt=EVIL)
    doc = add_material(app, cast["space"], "document", EVIL)
    video = add_material(app, cast["space"], "video", EVIL)
    for material in (image, doc, video):
        snippet = page_materials.material_snippet(material)
        assert "<script" not in snippet and "&lt;script&gt;" in snippet
        assert clean_html(snippet) == snippet
    assert page_materials.material_snippet(image).count('"') == 8  # the quote became &quot;
    login(cast["teacher"])
    html = client.get(picker(cast["space"], page=cast["page"].id),
                      headers=hx("picker-body")).get_data(as_text=True)
    assert "<script>alert" not in html
    inserted = snippet_of(html, EVIL)
    assert inserted == page_materials.material_snippet(video)
    assert "<script" not in inserted


def test_the_dialog_and_the_no_js_link_are_on_the_edit_form(client, login, scene, picker,
                                                            space_url):
    cast = scene
    space, page = cast["space"], cast["page"]
    login(cast["teacher"])
    html = client.get(space_url(space, "page_edit", page_id=page.id)).get_data(as_text=True)
    assert 'data-picker-open="material-picker"' in html and "<dialog" in html
    assert f'href="{space_url(space, "page_insert", page_id=page.id)}"' in html
    assert picker(space, page=page.id) in html
    html = client.get(space_url(space, "page_new")).get_data(as_text=True)
    assert "<dialog" in html and "/insert\"" not in html


def test_no_js_append_makes_a_new_revision(client, login, scene, space_url):
    cast = scene
    login(cast["teacher"])
    page, image = cast["page"], cast["image"]
    insert = space_url(cast["space"], "page_insert", page_id=page.id)
    html = client.get(insert).get_data(as_text=True)
    assert "Add to the end of the page" in html and "“Bridge”" in html
    assert "Nameless photo" not in html and "Peak" not in html
    response = client.post(insert, data={"material": str(image.id)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        space_url(cast["space"], "page_edit", page_id=page.id))
    stored = Page.get_by_id(page.id)
    snippet = page_materials.material_snippet(image)
    assert stored.version == 2 and stored.body == "<p>Start</p>" + snippet
    assert clean_html(stored.body) == stored.body
    assert clean_html(clean_html(stored.body)) == clean_html(stored.body)
    last = PageRevision.get(PageRevision.page == page, PageRevision.version == 2)
    assert last.body == stored.body and last.author_id == cast["teacher"].id
    history = client.get(space_url(cast["space"], "page_history", page_id=page.id)
                         ).get_data(as_text=True)
    assert "Version 2" in history or "version 2" in history.lower()
    # A document and a video too, each a further version.
    client.post(insert, data={"material": str(cast["doc"].id)})
    client.post(insert, data={"material": str(cast["video"].id)})
    stored = Page.get_by_id(page.id)
    assert stored.version == 4 and "(PDF, 1.2 MB)</a>" in stored.body
    assert stored.body.endswith(page_materials.material_snippet(cast["video"]))
    assert clean_html(stored.body) == stored.body


def test_no_js_append_refuses_other_spaces_and_unlisted_materials(client, login, scene, picker,
                                                                  space_url):
    cast = scene
    login(cast["teacher"])
    insert = space_url(cast["space"], "page_insert", page_id=cast["page"].id)
    for material_id in (cast["foreign"].id, cast["no_alt"].id, 999999, "abc"):
        assert client.post(insert, data={"material": str(material_id)}).status_code in (404,
                                                                                        400)
    assert client.post(insert, data={"material": str(cast["foreign"].id)}).status_code == 404
    assert Page.get_by_id(cast["page"].id).version == 1
    # Without the CSRF token nothing happens.
    assert client.post(insert, data={"material": str(cast["image"].id)},
                       csrf=False).status_code == 400
    # A page of another space, through this space's URL or its own.
    other_page = page_service.create(cast["other_space"], cast["other_teacher"].id, "Peaks", "x")
    assert client.get(space_url(cast["space"], "page_insert", page_id=other_page.id)
                      ).status_code == 404
    assert client.get(space_url(cast["other_space"], "page_insert", page_id=other_page.id)
                      ).status_code == 404
    assert client.get(picker(cast["other_space"]), headers=hx("picker-body")).status_code == 404
    assert client.get(picker(cast["space"], page=other_page.id),
                      headers=hx("picker-body")).status_code == 404


def test_pupils_who_may_not_edit_visitors_and_outsiders_get_404(client, login, scene, picker,
                                                                space_url):
    cast = scene
    space, page, shared = cast["space"], cast["page"], cast["shared"]
    insert = space_url(space, "page_insert", page_id=page.id)
    insert_shared = space_url(space, "page_insert", page_id=shared.id)
    login(cast["pupil"])
    assert client.get(insert).status_code == 404
    assert client.post(insert, data={"material": str(cast["image"].id)}).status_code == 404
    assert client.get(picker(space, page=page.id), headers=hx("picker-body")).status_code == 404
    assert client.get(picker(space), headers=hx("picker-body")).status_code == 404  # top level
    # A page pupils may edit: they may insert into it.
    assert client.get(picker(space, page=shared.id), headers=hx("picker-body")).status_code == 200
    assert client.get(picker(space, parent=shared.id), headers=hx("picker-body")
                      ).status_code == 200
    response = client.post(insert_shared, data={"material": str(cast["doc"].id)})
    assert response.status_code == 303 and Page.get_by_id(shared.id).version == 2
    for user in (cast["guest"], cast["outsider"]):
        login(user)
        for address in (insert, insert_shared):
            assert client.get(address).status_code == 404
            assert client.post(address, data={"material": str(cast["image"].id)}
                               ).status_code == 404
        assert client.get(picker(space), headers=hx("picker-body")).status_code == 404
        assert client.get(picker(space, page=shared.id), headers=hx("picker-body")
                          ).status_code == 404
    assert Page.get_by_id(page.id).version == 1
    log_out(client)
    assert client.get(insert).status_code in (302, 303)  # log in first


def test_video_links_show_players_below_the_page(app, client, login, scene, space_url, url):
    cast = scene
    space = cast["space"]
    uploaded = add_material(app, space, "video", "River film")
    other_video = add_material(app, cast["other_space"], "video", "Alien film")
    body = (page_materials.material_snippet(cast["video"])
            + page_materials.material_snippet(uploaded)
            + page_materials.material_snippet(cast["video"])  # twice: one player
            + f'<p><a data-material="{cast["image"].id}">img</a></p>'  # not a video
            + f'<p><a data-material="{other_video.id}">x</a></p>')  # another space's
    page = page_service.save(cast["page"], cast["teacher"].id, "River", body, 1)
    assert page_materials.video_players(page.body, space) == [cast["video"], uploaded]
    assert "<iframe" not in page.body and "<video" not in page.body
    login(cast["pupil"])
    page_url = space_url(space, "page", page_id=page.id)
    video_url = space_url(space, "material", material_id=cast["video"].id)
    html = client.get(page_url).get_data(as_text=True)
    # The reference is shown as a link to the video's page, under the space's parent.
    assert f'<p><a href="{video_url}">▶ Clean-up day</a></p>' in html
    assert "data-material" not in html
    assert html.count("<video") == 1
    assert f'src="{url("portal.file", file_id=uploaded.file_id)}"' in html
    assert html.count("data-embed-play") == 1 and "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "Alien film" not in html and "<iframe" not in html
    assert html.index('class="prose"') < html.index("page-players")


def test_page_without_video_links_has_no_players(client, login, scene, space_url):
    login(scene["teacher"])
    html = client.get(space_url(scene["space"], "page", page_id=scene["page"].id)
                      ).get_data(as_text=True)
    assert "page-players" not in html
