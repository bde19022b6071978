"""Issue 10.13 (T-2): the tree of pages groups each row's actions and names the archive
"Archived pages"; a page shows where it is in the tree (breadcrumb, pages under it) and links
to the previous and next page — never naming a page the reader may not see."""
import re

from playhouse.test_utils import count_queries

from tests.views.test_pages import new_page


def breadcrumb(html):
    return re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)


def pager(html):
    found = re.search(r'<nav class="page-pager".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def test_tree_rows_group_their_actions_and_the_archive_is_a_link(client, login, cast, space_url):
    space = cast["space"]
    for title in ("First", "Second"):
        new_page(space, cast["teacher"], title)
    login(cast["teacher"])
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    rows = re.findall(r'<div class="page-row">(.*?)</div>\s*</div>', html, re.S)
    assert len(rows) == 2
    for row in rows:
        actions = row.split('<div class="page-actions">')[1]
        assert "New sub-page" in actions and ("Move up" in actions or "Move down" in actions)
    archive = space_url(space, "pages_archive")
    assert f'<a href="{archive}">Archived pages</a>' in html
    assert ">Archive</a>" not in html
    login(cast["pupil"])
    html = client.get(space_url(space, "pages")).get_data(as_text=True)
    assert "Archived pages" not in html and "page-actions" not in html


def test_a_page_shows_its_place_and_the_previous_and_next_page(client, login, cast, space_url):
    space, teacher = cast["space"], cast["teacher"]
    guide = new_page(space, teacher, "Guide")
    steps = new_page(space, teacher, "Steps", parent=guide)
    detail = new_page(space, teacher, "Step detail", parent=steps)
    marks = new_page(space, teacher, "Marks", view_rule="teachers")
    under_marks = new_page(space, teacher, "Under marks", parent=marks, view_rule="members")
    diary = new_page(space, teacher, "Diary of the trip")
    login(teacher)
    html = client.get(space_url(space, "page", page_id=detail.id)).get_data(as_text=True)
    crumbs = breadcrumb(html)
    assert crumbs.index(">All pages<") < crumbs.index(">Guide<") < crumbs.index(">Steps<")
    assert '<li aria-current="page">Step detail</li>' in crumbs
    assert f'href="{space_url(space, "page", page_id=steps.id)}"' in crumbs
    nav = pager(html)
    assert "Previous page" in nav and "Steps" in nav
    assert "Next page" in nav and "Marks" in nav  # reading order is the tree's, depth first
    html = client.get(space_url(space, "page", page_id=guide.id)).get_data(as_text=True)
    assert "Pages under this one" in html and ">Steps</a>" in html
    assert "Previous page" not in pager(html) and "Steps" in pager(html)

    # A pupil: the teachers' page is skipped and never named.
    login(cast["pupil"])
    html = client.get(space_url(space, "page", page_id=detail.id)).get_data(as_text=True)
    nav = pager(html)
    assert "Diary of the trip" in nav and "Marks" not in html
    html = client.get(space_url(space, "page", page_id=diary.id)).get_data(as_text=True)
    assert "Step detail" in pager(html) and "Next page" not in pager(html)
    # A page under a page the pupil may not read: found by its address, but no hidden title.
    response = client.get(space_url(space, "page", page_id=under_marks.id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Marks" not in html.replace("Under marks", "")
    assert pager(html) == ""
    # Another space's page is not found.
    login(cast["outsider"])
    assert client.get(space_url(space, "page", page_id=detail.id)).status_code == 404


def test_reading_a_page_in_a_big_tree_stays_within_budget(client, login, cast, space_url):
    space = cast["space"]
    parents = [new_page(space, cast["teacher"], f"Top {n}") for n in range(10)]
    for n in range(20):
        new_page(space, cast["teacher"], f"Sub {n}", parent=parents[n % 10])
    login(cast["teacher"])
    address = space_url(space, "page", page_id=parents[5].id)
    client.get(address)
    with count_queries() as counter:
        html = client.get(address).get_data(as_text=True)
    assert "Sub 15" in html  # under it
    assert "Sub 14" in pager(html) and "Sub 5" in pager(html)  # before and after it
    assert counter.count <= 10, counter.count
