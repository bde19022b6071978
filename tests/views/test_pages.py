"""T-2, T-3: pages of a space — who reads and who writes, the tree and its order, edit
conflicts, history with a diff and restoring, archiving — and that no page, revision or
action of one space is reachable through another."""
import pytest
from playhouse.test_utils import count_queries

from models import Page, PageRevision, SpaceRole
from services import pages as page_service
from services import spaces
from tests.factories import make_user
from tests.views.test_twinspace import XSS, make_space


@pytest.fixture
def cast():
    """A space with its admin teacher, a second teacher, a pupil, a guest and an outsider."""
    teacher = make_user()
    space = make_space(teacher)
    other_teacher, pupil, guest = make_user(), make_user("student"), make_user("visitor")
    spaces.join(space, other_teacher, SpaceRole.TEACHER)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    return dict(space=space, teacher=teacher, other=other_teacher, pupil=pupil, guest=guest,
                outsider=make_user())


def url(space, rest=""):
    return f"/twinspaces/{space.id}/pages{rest}"


def new_page(space, author, title="Water", body="<p>Clean</p>", parent=None, **rules):
    return page_service.create(space, author.id, title, body, parent=parent, **rules)


def as_user(client, login, user):
    client.post("/auth/logout")
    login(user)


def test_teacher_writes_a_page_and_a_sub_page(client, login, cast):
    space = cast["space"]
    login(cast["teacher"])
    response = client.post(url(space, "/new"), data={
        "title": "Our river", "body": "First line\n\nSecond line",
        "view_rule": "members", "edit_rule": "teachers"})
    assert response.status_code == 303
    page = Page.get(Page.title == "Our river")
    assert page.body == "<p>First line</p><p>Second line</p>" and page.version == 1
    assert PageRevision.get(PageRevision.page == page).author_id == cast["teacher"].id
    client.post(url(space, f"/new?parent={page.id}"), data={
        "title": "Measurements", "body": "<h2>pH</h2>", "view_rule": "members",
        "edit_rule": "teachers_students"})
    child = Page.get(Page.title == "Measurements")
    assert child.parent_id == page.id and child.edit_rule == "teachers_students"
    html = client.get(url(space)).get_data(as_text=True)
    assert html.index("Our river") < html.index("Measurements")
    assert "New sub-page" in html and "Move" not in html.split("Measurements")[1][:10]
    html = client.get(url(space, f"/{child.id}")).get_data(as_text=True)
    assert "<h2>pH</h2>" in html and "hx-disable" in html


def test_the_form_has_the_toolbar_and_works_without_it(client, login, cast):
    login(cast["teacher"])
    html = client.get(url(cast["space"], "/new")).get_data(as_text=True)
    assert "js/editor.js" in html and "data-editor-toolbar" in html
    for label in ("Heading", "Bold", "Italic", "List", "Link", "Quote", "Table"):
        assert f">{label}</button>" in html
    assert "hidden" in html.split("data-editor-toolbar")[1][:20]  # shown by the script only


def test_refusals_keep_the_input(client, login, cast):
    login(cast["teacher"])
    response = client.post(url(cast["space"], "/new"), data={
        "title": "", "body": "Kept text", "view_rule": "members", "edit_rule": "teachers"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kept text" in html and "Enter a title" in html and "<title>Error:" in html
    response = client.post(url(cast["space"], "/new"), data={
        "title": "T", "body": "x", "view_rule": "everybody", "edit_rule": "teachers"})
    assert response.status_code == 422 and Page.select().count() == 0


@pytest.mark.parametrize("payload", XSS)
def test_page_html_is_cleaned(client, login, cast, payload):
    login(cast["teacher"])
    client.post(url(cast["space"], "/new"), data={
        "title": "<b>T</b>", "body": payload, "view_rule": "members", "edit_rule": "teachers"})
    page = Page.get()
    for text in (page.body.lower(), PageRevision.get().body.lower()):
        for bad in ("<script", "onerror", "javascript:", "<iframe", "style=", "hx-get", "<svg",
                    "onload"):
            assert bad not in text, (payload, text)
    html = client.get(url(cast["space"], f"/{page.id}")).get_data(as_text=True)
    assert "&lt;b&gt;T&lt;/b&gt;" in html


def test_who_reads_which_page(client, login, cast):
    space = cast["space"]
    members = new_page(space, cast["teacher"], "For everybody")
    secret = new_page(space, cast["teacher"], "Marks", view_rule="teachers")
    public = new_page(space, cast["teacher"], "Open", view_rule="public")
    under_secret = new_page(space, cast["teacher"], "Under marks", parent=secret,
                            view_rule="members")
    for user in (cast["pupil"], cast["guest"]):
        as_user(client, login, user)
        html = client.get(url(space)).get_data(as_text=True)
        assert "For everybody" in html and "Open" in html
        assert "Marks" not in html and "Under marks" not in html
        assert client.get(url(space, f"/{secret.id}")).status_code == 404
        assert client.get(url(space, f"/{secret.id}/history")).status_code == 404
        rev = PageRevision.get(PageRevision.page == secret)
        assert client.get(url(space, f"/{secret.id}/revisions/{rev.id}")).status_code == 404
        assert client.get(url(space, f"/new?parent={secret.id}")).status_code == 404
        for page in (members, public):
            assert client.get(url(space, f"/{page.id}")).status_code == 200
    as_user(client, login, cast["other"])
    html = client.get(url(space)).get_data(as_text=True)
    assert "Marks" in html and "Under marks" in html
    as_user(client, login, cast["outsider"])
    for page in (members, public, under_secret):
        assert client.get(url(space, f"/{page.id}")).status_code == 404
    assert client.get(url(space)).status_code == 404
    client.post("/auth/logout")
    assert client.get(url(space)).status_code == 303  # log in first


def test_who_edits_which_page(client, login, cast):
    space = cast["space"]
    teachers = new_page(space, cast["teacher"], "Plan")
    shared = new_page(space, cast["teacher"], "Shared", edit_rule="teachers_students")
    data = {"title": "Changed", "body": "by me", "version": "1", "view_rule": "public",
            "edit_rule": "teachers"}
    as_user(client, login, cast["pupil"])
    html = client.get(url(space)).get_data(as_text=True)
    assert "New page" not in html and "Move" not in html.split("Plan")[1].split("Shared")[0]
    assert client.get(url(space, "/new")).status_code == 404
    assert client.post(url(space, "/new"), data={"title": "x"}).status_code == 404
    assert client.get(url(space, f"/{teachers.id}/edit")).status_code == 404
    assert client.post(url(space, f"/{teachers.id}/edit"), data=data).status_code == 404
    assert "Edit the page" not in client.get(url(space, f"/{teachers.id}")).get_data(
        as_text=True)
    form = client.get(url(space, f"/{shared.id}/edit")).get_data(as_text=True)
    assert "Who can read this page" not in form  # pupils never change the rules
    assert client.post(url(space, f"/{shared.id}/edit"), data=data).status_code == 303
    shared = Page.get_by_id(shared.id)
    assert shared.title == "Changed" and shared.version == 2
    assert shared.view_rule == "members" and shared.edit_rule == "teachers_students"
    assert client.get(url(space, f"/new?parent={shared.id}")).status_code == 200
    as_user(client, login, cast["guest"])
    for page in (teachers, shared):
        assert client.get(url(space, f"/{page.id}/edit")).status_code == 404
        assert client.post(url(space, f"/{page.id}/move"),
                           data={"direction": "up"}).status_code == 404
    assert Page.get_by_id(teachers.id).title == "Plan"
    as_user(client, login, cast["other"])
    data["version"] = "1"
    assert client.post(url(space, f"/{teachers.id}/edit"), data=data).status_code == 303
    assert Page.get_by_id(teachers.id).view_rule == "public"


def test_an_edit_conflict_overwrites_nothing(client, login, cast):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Plan", "<p>Start</p>")
    page_service.save(page, cast["other"].id, "Plan", "<p>Their change</p>", 1)
    login(cast["teacher"])
    response = client.post(url(space, f"/{page.id}/edit"), data={
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
    response = client.post(url(space, f"/{page.id}/edit"), data={
        "title": "Plan", "body": "My change", "version": "2", "view_rule": "members",
        "edit_rule": "teachers"})
    assert response.status_code == 303
    assert Page.get_by_id(page.id).version == 3


def test_history_diff_and_restore(client, login, cast):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Plan", "<p>Alpha</p><p>Beta</p>")
    page = page_service.save(page, cast["other"].id, "Plan", "<p>Alpha</p><p>Gamma &amp; co</p>",
                             1)
    login(cast["teacher"])
    html = client.get(url(space, f"/{page.id}/history")).get_data(as_text=True)
    assert html.index("Version 2") < html.index("Version 1")
    assert "Created" in html and "Changed" in html and cast["other"].name in html
    first = PageRevision.get((PageRevision.page == page) & (PageRevision.version == 1))
    html = client.get(url(space, f"/{page.id}/revisions/{first.id}")).get_data(as_text=True)
    assert "1 paragraph changed" in html
    assert '<del><span class="visually-hidden">Removed: </span>Beta</del>' in html
    assert '<ins><span class="visually-hidden">Added: </span>Gamma &amp; co</ins>' in html
    assert "Restore this version" in html
    response = client.post(url(space, f"/{page.id}/revisions/{first.id}/restore"))
    assert response.status_code == 303
    page = Page.get_by_id(page.id)
    assert page.version == 3 and page.body == "<p>Alpha</p><p>Beta</p>"
    assert [r.version for r in PageRevision.select().where(PageRevision.page == page)
            .order_by(PageRevision.version)] == [1, 2, 3]
    assert PageRevision.get(PageRevision.version == 2).body == "<p>Alpha</p><p>Gamma &amp; co</p>"
    # Pupils read the history but cannot restore a teachers' page.
    as_user(client, login, cast["pupil"])
    html = client.get(url(space, f"/{page.id}/revisions/{first.id}")).get_data(as_text=True)
    assert "Restore this version" not in html
    assert client.post(url(space, f"/{page.id}/revisions/{first.id}/restore")).status_code \
        == 404


def test_diff_strips_tags():
    assert page_service.text_lines("<h2>Title</h2><p>a<br>b &lt;c&gt;</p>") == [
        "Title", "a", "b <c>"]
    blocks = page_service.compare("<p>a</p><p>b</p>", "<p>a</p><p>c</p>").blocks
    assert [(b.kind, b.segments) for b in blocks] == [
        ("same", [("same", "a")]), ("removed", [("del", "b")]), ("added", [("ins", "c")])]


def test_archive_and_bring_back(client, login, cast):
    space = cast["space"]
    page = new_page(space, cast["teacher"], "Old plan")
    child = new_page(space, cast["teacher"], "Old detail", parent=page)
    as_user(client, login, cast["pupil"])
    assert client.get(url(space, f"/{page.id}/archive")).status_code == 404
    assert client.post(url(space, f"/{page.id}/archive")).status_code == 404
    assert client.get(url(space, "/archive")).status_code == 404
    as_user(client, login, cast["teacher"])
    assert "Archive “Old plan”?" in client.get(url(space, f"/{page.id}/archive")).get_data(
        as_text=True)
    assert client.post(url(space, f"/{page.id}/archive")).status_code == 303
    html = client.get(url(space)).get_data(as_text=True)
    assert ">Old plan</a>" not in html and ">Old detail</a>" not in html
    for target in (page, child):
        assert client.get(url(space, f"/{target.id}")).status_code == 404
    assert client.get(url(space, f"/{page.id}/edit")).status_code == 404
    html = client.get(url(space, "/archive")).get_data(as_text=True)
    assert "Old plan" in html and "Bring back" in html
    as_user(client, login, cast["pupil"])
    assert client.post(url(space, f"/{page.id}/restore-archive")).status_code == 404
    as_user(client, login, cast["teacher"])
    assert client.post(url(space, f"/{page.id}/restore-archive")).status_code == 303
    html = client.get(url(space)).get_data(as_text=True)
    assert ">Old plan</a>" in html and ">Old detail</a>" in html


def test_reorder_with_plain_forms(client, login, cast):
    space = cast["space"]
    a, b, c = (new_page(space, cast["teacher"], title) for title in ("Aaa", "Bbb", "Ccc"))
    login(cast["teacher"])
    html = client.get(url(space)).get_data(as_text=True)
    assert html.index("Aaa") < html.index("Bbb") < html.index("Ccc")
    response = client.post(url(space, f"/{c.id}/move"), data={"direction": "up"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#page-{c.id}")
    html = client.get(url(space)).get_data(as_text=True)
    assert "“Ccc” moved up." in html
    assert html.index(">Aaa</a>") < html.index(">Ccc</a>") < html.index(">Bbb</a>")
    client.post(url(space, f"/{a.id}/move"), data={"direction": "down"})
    client.post(url(space, f"/{a.id}/move"), data={"direction": "down"})
    client.post(url(space, f"/{a.id}/move"), data={"direction": "down"})  # already last
    titles = [p.title for p in page_service.live_pages(space)]
    assert titles == ["Ccc", "Bbb", "Aaa"]
    assert client.post(url(space, f"/{a.id}/move"), data={"direction": "x"}).status_code == 400
    assert client.post(url(space, f"/{a.id}/move"), data={"direction": "up"},
                       csrf=False).status_code == 400


def test_ids_of_another_space_are_404(client, login, cast):
    space = cast["space"]
    elsewhere = make_space(cast["teacher"], title="Elsewhere")
    foreign = new_page(elsewhere, cast["teacher"], "Foreign")
    mine = new_page(space, cast["teacher"], "Mine")
    foreign_rev = PageRevision.get(PageRevision.page == foreign)
    login(cast["teacher"])  # a teacher of both spaces
    for path in (f"/{foreign.id}", f"/{foreign.id}/edit", f"/{foreign.id}/history",
                 f"/{foreign.id}/revisions/{foreign_rev.id}", f"/{foreign.id}/archive",
                 f"/new?parent={foreign.id}", f"/{mine.id}/revisions/{foreign_rev.id}"):
        assert client.get(url(space, path)).status_code == 404, path
    for path in (f"/{foreign.id}/edit", f"/{foreign.id}/move", f"/{foreign.id}/archive",
                 f"/{foreign.id}/restore-archive",
                 f"/{foreign.id}/revisions/{foreign_rev.id}/restore",
                 f"/{mine.id}/revisions/{foreign_rev.id}/restore"):
        assert client.post(url(space, path), data={"direction": "up", "title": "x",
                                                   "version": "1"}).status_code == 404, path
    assert Page.get_by_id(foreign.id).title == "Foreign" and foreign.archived_at is None
    assert Page.get_by_id(mine.id).version == 1


def test_the_tree_needs_at_most_six_queries(client, login, cast):
    space = cast["space"]
    parents = [new_page(space, cast["teacher"], f"Top {n}") for n in range(10)]
    for n in range(20):
        new_page(space, cast["teacher"], f"Sub {n}", parent=parents[n % 10])
    login(cast["teacher"])
    client.get(url(space))
    with count_queries() as counter:
        response = client.get(url(space))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Sub 19" in html and "Top 9" in html
    assert counter.count <= 6, counter.count
