"""Stored text names no parent (issue 11): a material inserted into a page is kept as a
reference by id (`<a data-material="<id>">`) and shown at the address of the material's page
under the space's parent — in the page, its revisions, the public view, the diary and the
forums — and as a relative path in the export. Texts stored before, with the TwinSpace
address in them, are rewritten by migration 0013 and read and export exactly as before."""
import importlib
import io
import zipfile

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import DiaryPost, Forum, Page, PageRevision, Post, SpaceRole, db
from services import export as export_service
from services import forums as forum_service
from services import pages as page_service
from services import spaces
from tests.factories import make_user
from tests.views.test_public_view import add_image, add_video_link
from tests.views.test_twinspace import make_space

migration = importlib.import_module("migrations.0013_page_material_refs")


@pytest.fixture
def cast(app):
    teacher = make_user()
    space = make_space(teacher)
    pupil = make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    other_space = make_space(make_user(), title="Mountains")
    return dict(space=space, teacher=teacher, pupil=pupil, other_space=other_space,
                video=add_video_link(space, "Clean-up day"),
                image=add_image(app, space, "Bridge"),
                foreign=add_video_link(other_space, "Peaks"))


def old_address(space, material):
    """How a text held a material before issue 11 (the TwinSpace's address, written out)."""
    return f"/twinspaces/{space.id}/materials/{material.id}"


def urls(app, space, shared):
    """Addresses of `shared` {name: (endpoint, values)} pages of the space through its parent,
    and of the TwinSpace's own diary and public view."""
    with app.test_request_context():
        found = {name: parents.url_for_space(space, endpoint, **values)
                 for name, (endpoint, values) in shared.items()}
        found["diary"] = url_for("twinspace.diary", space_id=space.id)
        found["public"] = url_for("twinspace.public_view", space_id=space.id)
        found["export"] = parents.url_for_space(space, "export")
    return found


def prose(html):
    start = html.index('<div class="prose" hx-disable>') + len('<div class="prose" hx-disable>')
    return html[start:html.index("</div>", start)]


def run_migration(direction="up"):
    getattr(migration, direction)(None, db.obj)


def test_a_fresh_insert_is_kept_by_reference_shown_at_the_parents_address_and_exported(
        app, client, login, cast):
    space, video = cast["space"], cast["video"]
    page = page_service.create(space, cast["teacher"].id, "River", "<p>Start</p>",
                               view_rule="public")
    login(cast["teacher"])
    with app.test_request_context():
        insert = parents.url_for_space(space, "page_insert", page_id=page.id)
        page_url = parents.url_for_space(space, "page", page_id=page.id)
        video_url = parents.url_for_space(space, "material", material_id=video.id)
        public_url = url_for("twinspace.public_view", space_id=space.id)
        export_url = parents.url_for_space(space, "export")
    assert client.post(insert, data={"material": str(video.id)}).status_code == 303
    stored = Page.get_by_id(page.id).body
    assert stored == f'<p>Start</p><p><a data-material="{video.id}">▶ Clean-up day</a></p>'
    assert "/twinspaces/" not in stored
    assert PageRevision.get(PageRevision.page == page, PageRevision.version == 2).body == stored
    shown = f'<p>Start</p><p><a href="{video_url}">▶ Clean-up day</a></p>'
    assert prose(client.get(page_url).get_data(as_text=True)) == shown
    assert shown in client.get(public_url).get_data(as_text=True)
    zf = zipfile.ZipFile(io.BytesIO(client.post(export_url).data))
    assert (f'<p><a href="../materials.html#material-{video.id}">▶ Clean-up day</a></p>'
            in zf.read(f"pages/{page.id}.html").decode())
    assert f'id="material-{video.id}"' in zf.read("materials.html").decode()


def test_an_old_body_reads_and_exports_the_same_after_the_migration(app, client, login, cast):
    space, video, image, foreign = cast["space"], cast["video"], cast["image"], cast["foreign"]
    other_space = cast["other_space"]
    ours = old_address(space, video)
    body = (f'<p><a href="{ours}">▶ Clean-up day</a></p>'
            f'<p>Typed: <a href="{ours}" title="the film">our film</a>, '
            f'<a href="{old_address(space, image)}">the bridge</a></p>'
            # Left as they were: another space's material, under its address or under ours;
            # a material that is gone; an address with a fragment.
            f'<p><a href="{old_address(other_space, foreign)}">theirs</a> '
            f'<a href="/twinspaces/{space.id}/materials/{foreign.id}">not ours</a> '
            f'<a href="/twinspaces/{space.id}/materials/999999">gone</a> '
            f'<a href="{ours}#top">top</a></p>')
    expected = (f'<p><a data-material="{video.id}">▶ Clean-up day</a></p>'
                f'<p>Typed: <a data-material="{video.id}" title="the film">our film</a>, '
                f'<a data-material="{image.id}">the bridge</a></p>'
                f'<p><a href="{old_address(other_space, foreign)}">theirs</a> '
                f'<a href="/twinspaces/{space.id}/materials/{foreign.id}">not ours</a> '
                f'<a href="/twinspaces/{space.id}/materials/999999">gone</a> '
                f'<a href="{ours}#top">top</a></p>')
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
        assert f'<a href="{old_address(other_space, foreign)}">theirs</a>' in text
        assert "data-material" not in text

    run_migration("down")  # back to the addresses, exactly as stored before
    assert Page.get_by_id(page.id).body == body
    assert DiaryPost.get_by_id(diary.id).body == body
    run_migration()


def test_a_reference_never_reaches_another_spaces_material(app, client, login, cast):
    """A reference names a material of the text's own space: one of another space (pasted)
    gives no player, leads to a 404 in this space, and is plain text in the export."""
    space, foreign = cast["space"], cast["foreign"]
    body = f'<p><a data-material="{foreign.id}">▶ Peaks</a></p>'
    page = page_service.create(space, cast["teacher"].id, "Pasted", body)
    assert page.body == body
    assert page_service.video_players(page.body, space) == []
    login(cast["teacher"])
    with app.test_request_context():
        page_url = parents.url_for_space(space, "page", page_id=page.id)
        here = parents.url_for_space(space, "material", material_id=foreign.id)
        export_url = parents.url_for_space(space, "export")
    html = client.get(page_url).get_data(as_text=True)
    assert prose(html) == f'<p><a href="{here}">▶ Peaks</a></p>' and "page-players" not in html
    assert client.get(here).status_code == 404
    zf = zipfile.ZipFile(io.BytesIO(client.post(export_url).data))
    assert "<p><a>▶ Peaks</a></p>" in zf.read(f"pages/{page.id}.html").decode()
    # A pupil sees the link, and the material page answers for them as it always did.
    client.post("/auth/logout")
    login(cast["pupil"])
    assert prose(client.get(page_url).get_data(as_text=True)) == (
        f'<p><a href="{here}">▶ Peaks</a></p>')


def test_link_materials_replaces_only_the_reference(app):
    html = ('<p><a data-material="5" title="a > b">x</a> <a href="https://e.org">e</a> '
            '<a href="/old" data-material="6">y</a> <a data-material="7">z</a></p>')
    out = page_service.link_materials(html, {5: "/m/5?a=1&b", 6: "/m/6"}.get)
    assert out == ('<p><a href="/m/5?a=1&amp;b" title="a > b">x</a> <a href="https://e.org">e'
                   '</a> <a href="/m/6">y</a> <a>z</a></p>')
    assert page_service.referenced_materials(html + html) == [5, 6, 7]
    assert page_service.link_materials("<p>none</p>", lambda i: "/x") == "<p>none</p>"
    with app.test_request_context():  # outside a space: plain text
        env = app.jinja_env
        assert env.filters["material_links"]('<a data-material="5">x</a>') == "<a>x</a>"


def test_the_archive_knows_the_spaces_own_addresses_through_its_parent(app, cast):
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
