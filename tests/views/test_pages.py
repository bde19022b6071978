"""T-2, T-3: pages of a space — who reads and who writes, the tree and its order, edit
conflicts, history with a diff and restoring, archiving — and that no page, revision or
action of one space is reachable through another."""
import re

import pytest
from playhouse.test_utils import count_queries

from models import Page, PageRevision
from services import pages as page_service
from tests.conftest import log_out
from tests.factories import make_space
from tests.payloads import XSS


def new_page(space, author, title="Water", body="<p>Clean</p>", parent=None, **rules):
    return page_service.create(space, author.id, title, body, parent=parent, **rules)


def test_teacher_writes_a_page_and_a_sub_page(client, login, cast, space_url):
    space = cast["space"]
    login(cast["teacher"])
    response = client.post(space_url(space, "page_new"), data={
        "title": "Our river", "body": "First line\n\nSecond line",
        "view_rule": "members", "edit_rule": "teachers"})
    assert response.status_code == 303
    page = Page.get(Page.title == "Our river")
    assert page.body == "<p>First line</p><p>Second line</p>" and page.version == 1
    assert PageRevision.get(PageRevision.page == page).author_id == cast["teacher"].id
    client.post(space_url(space, "page_new", parent=page.id), data={
        "title": "Measurements", "body": "<h2>pH</h2>", "view_rule": "members",
        "edit_rule": "teachers_students"})
    child = Page.get(Page.title == "Measurements")
    assert child.parent_id == page.id and child.edit_rule == "teachers_students"
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert html.index("Our river") < html.index("Measurements")
    assert "New sub-page" in html and "Move" not in html.split("Measurements")[1][:10]
    html = client.get(space_url(space, "page", page_id=child.id)).get_data(as_text=True)
    assert "<h2>pH</h2>" in html and "hx-disable" in html


def test_the_form_is_a_plain_field_the_editor_enhances(client, login, cast, space_url):
    """Issue 14: the text is a <textarea> (what works without JavaScript); the visual editor's
    toolbar comes in a <template> that only the script uses, and the editor file is named
    in a data attribute (loaded by the script, never in the first visit)."""
    login(cast["teacher"])
    html = client.get(space_url(cast["space"], "page_new")).get_data(as_text=True)
    assert re.search(r'<textarea [^>]*id="body" [^>]*name="body"', html)
    assert 'data-editor-src="/static/vendor/editor-squire-' in html
    assert '<script src="/static/vendor' not in html and "js/richtext.js?v=" in html
    template = html.split("<template data-richtext-parts>")[1].split("</template>")[0]
    for label in ("Heading", "Subheading", "Bulleted list", "Numbered list", "Link", "Quote",
                  "Table", "Undo", "Redo", "Insert a material"):
        assert f">{label}</button>" in template
    assert 'role="toolbar"' in template and 'aria-keyshortcuts="Control+B"' in template
    assert 'role="toolbar"' not in html.replace(template, "")


def test_refusals_keep_the_input(client, login, cast, space_url):
    login(cast["teacher"])
    response = client.post(space_url(cast["space"], "page_new"), data={
        "title": "", "body": "Kept text", "view_rule": "members", "edit_rule": "teachers"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kept text" in html and "Enter a title" in html and "<title>Error:" in html
    response = client.post(space_url(cast["space"], "page_new"), data={
        "title": "T", "body": "x", "view_rule": "everybody", "edit_rule": "teachers"})
    assert response.status_code == 422 and Page.select().count() == 0


@pytest.mark.parametrize("payload", XSS)
def test_page_html_is_cleaned(client, login, cast, payload, space_url):
    login(cast["teacher"])
    client.post(space_url(cast["space"], "page_new"), data={
        "title": "<b>T</b>", "body": payload, "view_rule": "members", "edit_rule": "teachers"})
    page = Page.get()
    for text in (page.body.lower(), PageRevision.get().body.lower()):
        for bad in ("<script", "onerror", "javascript:", "<iframe", "style=", "hx-get", "<svg",
                    "onload"):
            assert bad not in text, (payload, text)
    html = client.get(space_url(cast["space"], "page", page_id=page.id)).get_data(as_text=True)
    assert "&lt;b&gt;T&lt;/b&gt;" in html


def test_who_reads_which_page(client, login, cast, space_url):
    space = cast["space"]
    members = new_page(space, cast["teacher"], "For everybody")
    secret = new_page(space, cast["teacher"], "Marks", view_rule="teachers")
    public = new_page(space, cast["teacher"], "Open", view_rule="public")
    under_secret = new_page(space, cast["teacher"], "Under marks", parent=secret,
                            view_rule="members")
    for user in (cast["pupil"], cast["guest"]):
        login(user)
        html = client.get(space_url(space, "pages")).get_data(as_text=True)
        assert "For everybody" in html and "Open" in html
        assert "Marks" not in html and "Under marks" not in html
        assert client.get(space_url(space, "page", page_id=secret.id)).status_code == 404
        assert client.get(space_url(space, "page_history", page_id=secret.id)).status_code == 404
        rev = PageRevision.get(PageRevision.page == secret)
        assert client.get(space_url(space, "page_revision", page_id=secret.id,
                                    rev_id=rev.id)).status_code == 404
        assert client.get(space_url(space, "page_new", parent=secret.id)).status_code == 404
        for page in (members, public):
            assert client.get(space_url(space, "page", page_id=page.id)).status_code == 200
    login(cast["other"])
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert "Marks" in html and "Under marks" in html
    login(cast["outsider"])
    for page in (members, public, under_secret):
        assert client.get(space_url(space, "page", page_id=page.id)).status_code == 404
    assert client.get(space_url(space, "pages")).status_code == 404
    log_out(client)
    assert client.get(space_url(space, "pages")).status_code == 303  # log in first


def test_who_edits_which_page(client, login, cast, space_url):
    space = cast["space"]
    teachers = new_page(space, cast["teacher"], "Plan")
    shared = new_page(space, cast["teacher"], "Shared", edit_rule="teachers_students")
    data = {"title": "Changed", "body": "by me", "version": "1", "view_rule": "public",
            "edit_rule": "teachers"}
    login(cast["pupil"])
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert "New page" not in html and "Move" not in html.split("Plan")[1].split("Shared")[0]
    assert client.get(space_url(space, "page_new")).status_code == 404
    assert client.post(space_url(space, "page_new"), data={"title": "x"}).status_code == 404
    assert client.get(space_url(space, "page_edit", page_id=teachers.id)).status_code == 404
    assert client.post(space_url(space, "page_edit", page_id=teachers.id),
                       data=data).status_code == 404
    assert "Edit the page" not in client.get(
        space_url(space, "page", page_id=teachers.id)).get_data(as_text=True)
    form = client.get(space_url(space, "page_edit", page_id=shared.id)).get_data(as_text=True)
    assert "Who can read this page" not in form  # pupils never change the rules
    assert client.post(space_url(space, "page_edit", page_id=shared.id),
                       data=data).status_code == 303
    shared = Page.get_by_id(shared.id)
    assert shared.title == "Changed" and shared.version == 2
    assert shared.view_rule == "members" and shared.edit_rule == "teachers_students"
    assert client.get(space_url(space, "page_new", parent=shared.id)).status_code == 200
    login(cast["guest"])
    for page in (teachers, shared):
        assert client.get(space_url(space, "page_edit", page_id=page.id)).status_code == 404
        assert client.post(space_url(space, "page_move", page_id=page.id),
                           data={"direction": "up"}).status_code == 404
    assert Page.get_by_id(teachers.id).title == "Plan"
    login(cast["other"])
    data["version"] = "1"
    assert client.post(space_url(space, "page_edit", page_id=teachers.id),
                       data=data).status_code == 303
    assert Page.get_by_id(teachers.id).view_rule == "public"


def test_an_edit_conflict_overwrites_nothing(client, login, cast, space_url):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Plan", "<p>Start</p>")
    page_service.save(page, cast["other"].id, "Plan", "<p>Their change</p>", 1)
    login(cast["teacher"])
    response = client.post(space_url(space, "page_edit", page_id=page.id), data={
        "title": "Plan", "body": "My change", "version": "1", "view_rule": "members",
        "edit_rule": "teachers"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Their change" in html and "My change" in html and "<title>Error:" in html
    assert "The page changed while you were writing" in html
    assert 'name="version" type="hidden" value="2"' in html or 'value="2"' in html
    assert Page.get_by_id(page.id).body == "<p>Their change</p>"
    assert PageRevision.select().where(PageRevision.page == page).count() == 2
    # Saving again, knowingly, on top of version 2 works.
    response = client.post(space_url(space, "page_edit", page_id=page.id), data={
        "title": "Plan", "body": "My change", "version": "2", "view_rule": "members",
        "edit_rule": "teachers"})
    assert response.status_code == 303
    assert Page.get_by_id(page.id).version == 3


def test_history_diff_and_restore(client, login, cast, space_url):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Plan", "<p>Alpha</p><p>Beta</p>")
    page = page_service.save(page, cast["other"].id, "Plan", "<p>Alpha</p><p>Gamma &amp; co</p>",
                             1)
    login(cast["teacher"])
    html = client.get(space_url(space, "page_history", page_id=page.id)).get_data(as_text=True)
    assert html.index("Version 2") < html.index("Version 1")
    assert "Created" in html and "Changed" in html and cast["other"].name in html
    first = PageRevision.get((PageRevision.page == page) & (PageRevision.version == 1))
    revision = space_url(space, "page_revision", page_id=page.id, rev_id=first.id)
    restore = space_url(space, "page_revision_restore", page_id=page.id, rev_id=first.id)
    html = client.get(revision).get_data(as_text=True)
    assert "1 paragraph changed" in html
    assert '<del><span class="visually-hidden">Removed: </span>Beta</del>' in html
    assert '<ins><span class="visually-hidden">Added: </span>Gamma &amp; co</ins>' in html
    assert "Restore this version" in html
    response = client.post(restore)
    assert response.status_code == 303
    page = Page.get_by_id(page.id)
    assert page.version == 3 and page.body == "<p>Alpha</p><p>Beta</p>"
    assert [r.version for r in PageRevision.select().where(PageRevision.page == page)
            .order_by(PageRevision.version)] == [1, 2, 3]
    assert PageRevision.get(PageRevision.version == 2).body == "<p>Alpha</p><p>Gamma &amp; co</p>"
    # Pupils read the history but cannot restore a teachers' page.
    login(cast["pupil"])
    html = client.get(revision).get_data(as_text=True)
    assert "Restore this version" not in html
    assert client.post(restore).status_code == 404


def test_diff_strips_tags():
    assert page_service.text_lines("<h2>Title</h2><p>a<br>b &lt;c&gt;</p>") == [
        "Title", "a", "b <c>"]
    blocks = page_service.compare("<p>a</p><p>b</p>", "<p>a</p><p>c</p>").blocks
    assert [(b.kind, b.segments) for b in blocks] == [
        ("same", [("same", "a")]), ("removed", [("del", "b")]), ("added", [("ins", "c")])]


def test_archive_and_bring_back(client, login, cast, space_url):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Old plan")
    child = new_page(space, cast["teacher"], "Old detail", parent=page)
    login(cast["pupil"])
    assert client.get(space_url(space, "page_archive", page_id=page.id)).status_code == 404
    assert client.post(space_url(space, "page_archive", page_id=page.id)).status_code == 404
    assert client.get(space_url(space, "pages_archive")).status_code == 404
    login(cast["teacher"])
    assert "Archive “Old plan”?" in client.get(
        space_url(space, "page_archive", page_id=page.id)).get_data(as_text=True)
    assert client.post(space_url(space, "page_archive", page_id=page.id)).status_code == 303
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert ">Old plan</a>" not in html and ">Old detail</a>" not in html
    for target in (page, child):
        assert client.get(space_url(space, "page", page_id=target.id)).status_code == 404
    assert client.get(space_url(space, "page_edit", page_id=page.id)).status_code == 404
    html = client.get(space_url(space, "pages_archive")).get_data(as_text=True)
    assert "Old plan" in html and "Bring back" in html
    login(cast["pupil"])
    assert client.post(space_url(space, "page_unarchive", page_id=page.id)).status_code == 404
    login(cast["teacher"])
    assert client.post(space_url(space, "page_unarchive", page_id=page.id)).status_code == 303
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert ">Old plan</a>" in html and ">Old detail</a>" in html


def test_reorder_with_plain_forms(client, login, cast, space_url):
    space = cast["space"]
    a, b, c = (new_page(space, cast["teacher"], title) for title in ("Aaa", "Bbb", "Ccc"))
    login(cast["teacher"])
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert html.index("Aaa") < html.index("Bbb") < html.index("Ccc")
    response = client.post(space_url(space, "page_move", page_id=c.id), data={"direction": "up"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#page-{c.id}")
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert "“Ccc” moved up." in html
    assert html.index(">Aaa</a>") < html.index(">Ccc</a>") < html.index(">Bbb</a>")
    move_a = space_url(space, "page_move", page_id=a.id)
    client.post(move_a, data={"direction": "down"})
    client.post(move_a, data={"direction": "down"})
    client.post(move_a, data={"direction": "down"})  # already last
    titles = [p.title for p in page_service.live_pages(space)]
    assert titles == ["Ccc", "Bbb", "Aaa"]
    assert client.post(move_a, data={"direction": "x"}).status_code == 400
    assert client.post(move_a, data={"direction": "up"}, csrf=False).status_code == 400


def test_ids_of_another_space_are_404(client, login, cast, space_url):
    space = cast["space"]
    elsewhere = make_space(cast["teacher"], space.kind, title="Elsewhere")
    foreign = new_page(elsewhere, cast["teacher"], "Foreign")
    mine = new_page(space, cast["teacher"], "Mine")
    foreign_rev = PageRevision.get(PageRevision.page == foreign)
    login(cast["teacher"])  # a teacher of both spaces
    theirs, crossed = {"page_id": foreign.id}, {"page_id": mine.id, "rev_id": foreign_rev.id}
    their_rev = {"page_id": foreign.id, "rev_id": foreign_rev.id}
    for endpoint, values in (("page", theirs), ("page_edit", theirs), ("page_history", theirs),
                             ("page_revision", their_rev), ("page_archive", theirs),
                             ("page_new", {"parent": foreign.id}), ("page_revision", crossed)):
        address = space_url(space, endpoint, **values)
        assert client.get(address).status_code == 404, address
    for endpoint, values in (("page_edit", theirs), ("page_move", theirs),
                             ("page_archive", theirs), ("page_unarchive", theirs),
                             ("page_revision_restore", their_rev),
                             ("page_revision_restore", crossed)):
        address = space_url(space, endpoint, **values)
        assert client.post(address, data={"direction": "up", "title": "x",
                                          "version": "1"}).status_code == 404, address
    assert Page.get_by_id(foreign.id).title == "Foreign" and foreign.archived_at is None
    assert Page.get_by_id(mine.id).version == 1


def test_the_tree_needs_at_most_six_queries(client, login, cast, space_url):
    space = cast["space"]
    parents = [new_page(space, cast["teacher"], f"Top {n}") for n in range(10)]
    for n in range(20):
        new_page(space, cast["teacher"], f"Sub {n}", parent=parents[n % 10])
    login(cast["teacher"])
    client.get(space_url(space, "pages"))
    with count_queries() as counter:
        response = client.get(space_url(space, "pages"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Sub 19" in html and "Top 9" in html
    assert counter.count <= 6, counter.count
