"""Stored text names no parent (issue 11): a material inserted into a page is kept as a
reference by id (`<a data-material="<id>">`) and shown at the address of the material's page
under the space's parent — in the page, its revisions, the public view, the diary and the
forums — and as a relative path in the export. Texts stored before, with the TwinSpace
address in them, are rewritten by migration 0013 and read and export exactly as before.

A fresh reference, a pasted one and the archive's addresses are shared: those tests run once
per kind of space (the shared `cast`). The migration's test is TwinSpace-only: before issue 11
only TwinSpaces existed, and their texts held the TwinSpace address (`old_address`, the one
literal path here, is that stored format, which the migration recognises)."""
import importlib
import io
import zipfile

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import DiaryPost, Forum, Page, PageRevision, Post, db
from services import export as export_service
from services import forums as forum_service
from services import page_materials
from services import pages as page_service
from tests.views.test_public_view import add_image, add_video_link

migration = importlib.import_module("migrations.0013_page_material_refs")


@pytest.fixture
def scene(app, cast):
    """The shared cast with materials: a video and an image of its space, and `foreign`, a
    video of the other space."""
    return dict(cast, video=add_video_link(cast["space"], "Clean-up day"),
                image=add_image(app, cast["space"], "Bridge"),
                foreign=add_video_link(cast["other_space"], "Peaks"))


def old_address(space, material_id):
    """How a text held a material before issue 11: the TwinSpace's address, written out as
    it was stored (the format migration 0013 reads, so spelled out, not routed)."""
    return f"/twinspaces/{space.id}/materials/{material_id}"


def urls(app, space, shared):
    """Addresses of `shared` {name: (endpoint, values)} pages of the space through its parent,
    and of its parent's own diary and public view (a TwinSpace's)."""
    parent = parents.of(space)
    with app.test_request_context():
        found = {name: parents.url_for_space(space, endpoint, **values)
                 for name, (endpoint, values) in shared.items()}
        found["diary"] = parent.own_url("diary", space_id=space.id)
        found["public"] = parent.own_url("public_view", space_id=space.id)
        found["export"] = parents.url_for_space(space, "export")
    return found


def prose(html):
    start = html.index('<div class="prose" hx-disable>') + len('<div class="prose" hx-disable>')
    return html[start:html.index("</div>", start)]


def run_migration(direction="up"):
    getattr(migration, direction)(None, db.obj)


def test_a_fresh_insert_is_kept_by_reference_shown_at_the_parents_address_and_exported(
        client, login, scene, space_url):
    """(The public view of such a text, a TwinSpace's own page, is checked with the migrated
    texts below: a reference renders the same whether inserted or migrated.)"""
    cast = scene
    space, video = cast["space"], cast["video"]
    page = page_service.create(space, cast["teacher"].id, "River", "<p>Start</p>",
                               view_rule="public")
    login(cast["teacher"])
    insert = space_url(space, "page_insert", page_id=page.id)
    page_url = space_url(space, "page", page_id=page.id)
    video_url = space_url(space, "material", material_id=video.id)
    export_url = space_url(space, "export")
    assert client.post(insert, data={"material": str(video.id)}).status_code == 303
    stored = Page.get_by_id(page.id).body
    assert stored == f'<p>Start</p><p><a data-material="{video.id}">▶ Clean-up day</a></p>'
    assert parents.of(space).blueprint.url_prefix not in stored
    assert PageRevision.get(PageRevision.page == page, PageRevision.version == 2).body == stored
    shown = f'<p>Start</p><p><a href="{video_url}">▶ Clean-up day</a></p>'
    assert prose(client.get(page_url).get_data(as_text=True)) == shown
    zf = zipfile.ZipFile(io.BytesIO(client.post(export_url).data))
    assert (f'<p><a href="../materials.html#material-{video.id}">▶ Clean-up day</a></p>'
            in zf.read(f"pages/{page.id}.html").decode())
    assert f'id="material-{video.id}"' in zf.read("materials.html").decode()


@pytest.mark.parametrize("space_kind", ["twinspace"])  # texts of before issue 11: TwinSpaces'
def test_an_old_body_reads_and_exports_the_same_after_the_migration(app, client, login, scene):
    cast = scene
    space, video, image, foreign = cast["space"], cast["video"], cast["image"], cast["foreign"]
    other_space = cast["other_space"]
    ours = old_address(space, video.id)
    left = (  # as they were: another space's material, under its address or under ours;
        # a material that is gone; an address with a fragment.
        f'<p><a href="{old_address(other_space, foreign.id)}">theirs</a> '
        f'<a href="{old_address(space, foreign.id)}">not ours</a> '
        f'<a href="{old_address(space, 999999)}">gone</a> '
        f'<a href="{ours}#top">top</a></p>')
    body = (f'<p><a href="{ours}">▶ Clean-up day</a></p>'
            f'<p>Typed: <a href="{ours}" title="the film">our film</a>, '
            f'<a href="{old_address(space, image.id)}">the bridge</a></p>' + left)
    expected = (f'<p><a data-material="{video.id}">▶ Clean-up day</a></p>'
                f'<p>Typed: <a data-material="{video.id}" title="the film">our film</a>, '
                f'<a data-material="{image.id}">the bridge</a></p>' + left)
    # Stored as before issue 11: a page and its first revision, a diary post, forum posts.
    page = page_service.create(space, cast["teacher"].id, "River", body, view_rule="public")
    assert page.body == body
    diary = DiaryPost.create(space=space, author=cast["teacher"], title="Film", body=body,
                             is_public=True)
    forum = Forum.create(space=space, title="Our forum", created_by=cast["teacher"])
    discussion = forum_service.start_discussion(forum, cast["teacher"], title="Film",
                                                body=body)
    Post.update(is_html=True).where(Post.discussion == discussion).execute()
    plain = Post.create(discussion=discussion, author=cast["teacher"], body=body,
                        is_html=False)  # plain text: shown as typed, never rewritten
    partner_forum = Forum.create(space=None, title="Partners", category="age:12-15")
    partner_post = forum_service.start_discussion(partner_forum, cast["teacher"], title="x",
                                                  body=body)
    Post.update(is_html=True).where(Post.discussion == partner_post).execute()

    run_migration()
    assert Page.get_by_id(page.id).body == expected
    assert PageRevision.get(PageRevision.page == page).body == expected
    assert DiaryPost.get_by_id(diary.id).body == expected
    assert Post.get(Post.discussion == discussion, Post.is_html == True).body == expected  # noqa
    assert Post.get_by_id(plain.id).body == body
    assert Post.get(Post.discussion == partner_post).body == body  # no space: no material
    run_migration()  # again: nothing left to change
    assert Page.get_by_id(page.id).body == expected

    # Shown byte for byte as before: the reference renders to the same address.
    login(cast["teacher"])
    revision = PageRevision.get(PageRevision.page == page)
    at = urls(app, space, {
        "page": ("page", {"page_id": page.id}),
        "revision": ("page_revision", {"page_id": page.id, "rev_id": revision.id}),
        "discussion": ("discussion", {"discussion_id": discussion.id})})
    with app.test_request_context():
        assert parents.url_for_space(space, "material", material_id=video.id) == ours
    assert prose(client.get(at["page"]).get_data(as_text=True)) == body
    assert body in client.get(at["revision"]).get_data(as_text=True)
    assert body in client.get(at["diary"]).get_data(as_text=True)
    assert body in client.get(at["discussion"]).get_data(as_text=True)
    assert body in client.get(at["public"]).get_data(as_text=True)
    with app.test_request_context():
        project_page = url_for("portal.project", project_id=space.project_id)
    assert body in client.get(project_page).get_data(as_text=True)  # the public diary
    # And exported: our materials at their entries, the rest as it was (offline it is dead).
    zf = zipfile.ZipFile(io.BytesIO(client.post(at["export"]).data))
    for name in (f"pages/{page.id}.html", "diary.html"):
        text = zf.read(name).decode()
        root = "../" if name.startswith("pages/") else ""
        assert f'<a href="{root}materials.html#material-{video.id}">▶ Clean-up day</a>' in text
        assert (f'<a href="{root}materials.html#material-{video.id}" title="the film">our film'
                in text)
        assert f'<a href="{root}materials.html#material-{image.id}">the bridge</a>' in text
        assert f'<a href="{old_address(other_space, foreign.id)}">theirs</a>' in text
        assert "data-material" not in text

    run_migration("down")  # back to the addresses, exactly as stored before
    assert Page.get_by_id(page.id).body == body
    assert DiaryPost.get_by_id(diary.id).body == body
    run_migration()


def test_a_reference_never_reaches_another_spaces_material(client, login, scene, space_url):
    """A reference names a material of the text's own space: one of another space (pasted)
    gives no player, leads to a 404 in this space, and is plain text in the export."""
    cast = scene
    space, foreign = cast["space"], cast["foreign"]
    body = f'<p><a data-material="{foreign.id}">▶ Peaks</a></p>'
    page = page_service.create(space, cast["teacher"].id, "Pasted", body)
    assert page.body == body
    assert page_materials.video_players(page.body, space) == []
    login(cast["teacher"])
    page_url = space_url(space, "page", page_id=page.id)
    here = space_url(space, "material", material_id=foreign.id)
    export_url = space_url(space, "export")
    html = client.get(page_url).get_data(as_text=True)
    assert prose(html) == f'<p><a href="{here}">▶ Peaks</a></p>' and "page-players" not in html
    assert client.get(here).status_code == 404
    zf = zipfile.ZipFile(io.BytesIO(client.post(export_url).data))
    assert "<p><a>▶ Peaks</a></p>" in zf.read(f"pages/{page.id}.html").decode()
    # A pupil sees the link, and the material page answers for them as it always did.
    login(cast["pupil"])
    assert prose(client.get(page_url).get_data(as_text=True)) == (
        f'<p><a href="{here}">▶ Peaks</a></p>')


def test_link_materials_replaces_only_the_reference(app):
    html = ('<p><a data-material="5" title="a > b">x</a> <a href="https://e.org">e</a> '
            '<a href="/old" data-material="6">y</a> <a data-material="7">z</a></p>')
    out = page_materials.link_materials(html, {5: "/m/5?a=1&b", 6: "/m/6"}.get)
    assert out == ('<p><a href="/m/5?a=1&amp;b" title="a > b">x</a> <a href="https://e.org">e'
                   '</a> <a href="/m/6">y</a> <a>z</a></p>')
    assert page_materials.referenced_materials(html + html) == [5, 6, 7]
    assert page_materials.link_materials("<p>none</p>", lambda i: "/x") == "<p>none</p>"
    with app.test_request_context():  # outside a space: plain text
        env = app.jinja_env
        assert env.filters["material_links"]('<a data-material="5">x</a>') == "<a>x</a>"


def test_the_archive_knows_the_spaces_own_addresses_through_its_parent(app, scene):
    cast = scene
    space = cast["space"]
    page = Page.create(space=space, title="Guide", body="<p>x</p>")
    with app.test_request_context():
        archive = export_service._Archive(space)
        page_url = parents.url_for_space(space, "page", page_id=page.id)
        other = parents.url_for_space(cast["other_space"], "page", page_id=page.id)
        assert archive.space_address(page_url + "/#part-2") == (
            "page", {"space_id": space.id, "page_id": page.id}, "part-2")
        for url in (other, page_url + "?x=1", page_url + "#a b", "https://e.org" + page_url,
                    parents.url_for_space(space, "pages"), "/nowhere", "files/1"):
            resolved = archive.space_address(url)
            assert resolved is None or resolved[0] != "page", url
