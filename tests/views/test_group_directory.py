"""Finding groups: Groups in Live (L-8), the public directory in Progress (P-5) and the
similar groups shown while requesting one (G-1)."""
import datetime
import re

import pytest

from models import Discussion, Forum, Post, Role, SpaceRole, StoredFile
from services import group_search, permissions, spaces
from tests.conftest import hx
from tests.factories import make_group, make_user


@pytest.fixture
def staff(app):
    return make_user(Role.CSS)


group = make_group


def listed(html):
    """Titles of the groups listed in a results region, in order."""
    region = html.split('id="group-results"', 1)[1]
    return re.findall(r'<h[34]><a href="[^"]*">([^<]+)</a>', region)


# --- The public directory (P-5) ----------------------------------------------------------

def test_directory_is_public_and_folds_accents_and_case(client, url, staff):
    group(staff, "musica en el aula")
    group(staff, "Ciencia")
    response = client.get(url("portal.group_directory", q="Música"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert listed(html) == ["musica en el aula"]
    assert "1 group" in html


def test_directory_lists_only_active_groups(client, url, staff):
    for state in ("pending", "needs_info", "rejected", "closed", "active"):
        group(staff, f"Art {state}", state=state)
    html = client.get(url("portal.group_directory")).get_data(as_text=True)
    assert listed(html) == ["Art active"]
    html = client.get(url("portal.group_directory", q="art")).get_data(as_text=True)
    assert listed(html) == ["Art active"]


def test_directory_featured_first_with_a_mark(client, url, staff):
    group(staff, "Older")
    group(staff, "Star", featured=True)
    group(staff, "Newer")
    html = client.get(url("portal.group_directory")).get_data(as_text=True)
    assert listed(html) == ["Star", "Newer", "Older"]
    star = html.split("Star</a>", 1)[1][:80]
    assert "Featured" in star


def test_directory_language_filter(client, url, staff):
    group(staff, "English one", languages=("en",))
    group(staff, "Spanish one", languages=("es",))
    html = client.get(url("portal.group_directory", language="es")).get_data(as_text=True)
    assert listed(html) == ["Spanish one"]
    assert '<option selected value="es">' in html


def test_unknown_language_is_422_next_to_the_field(client, url, staff):
    group(staff, "Anything")
    response = client.get(url("portal.group_directory", language="xx"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose a language from the list" in html
    assert 'aria-invalid="true"' in html
    assert "<title>Error:" in html
    assert listed(html) == []


@pytest.mark.parametrize("page", ["abc", "0", "-2", "1.5"])
def test_bad_page_is_422(client, url, staff, page):
    response = client.get(url("portal.group_directory", page=page))
    assert response.status_code == 422
    assert "Choose a page from the list" in response.get_data(as_text=True)


def test_too_long_keyword_is_422(client, url):
    response = client.get(url("portal.group_directory", q="x" * 201))
    assert response.status_code == 422


def test_directory_paging(client, url, staff):
    for n in range(12):
        group(staff, f"Chess {n:02}")
    first = client.get(url("portal.group_directory", q="chess")).get_data(as_text=True)
    assert len(listed(first)) == 10
    assert "Page 1 of 2" in first and "Next page" in first
    second = client.get(url("portal.group_directory", q="chess", page=2))
    assert second.status_code == 200
    assert listed(second.get_data(as_text=True)) == ["Chess 01", "Chess 00"]
    beyond = client.get(url("portal.group_directory", q="chess", page=9))
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.get_data(as_text=True)


def test_directory_shows_members_languages_and_latest_activity(client, url, staff):
    g = group(staff, "Busy", languages=("es", "en"), topics="songs, games")
    spaces.join(g.space, make_user(), SpaceRole.MEMBER)
    spaces.join(g.space, make_user(), SpaceRole.MEMBER)
    forum = Forum.create(space=g.space, title="Talk")
    talk = Discussion.create(forum=forum, title="Hi",
                             last_post_at=datetime.datetime(2031, 3, 4, 10, 0))
    Post.create(discussion=talk, body="Hi", created_at=datetime.datetime(2031, 3, 4, 10, 0))
    html = client.get(url("portal.group_directory")).get_data(as_text=True)
    card = html.split("Busy</a>", 1)[1]
    assert re.search(r"<dt>Members</dt><dd>3</dd>", card)
    assert "English, Spanish" in card
    assert "songs, games" in card
    assert 'datetime="2031-03-04"' in card


def test_directory_links_visitors_to_log_in_and_teachers_home(client, url, login, staff):
    g = group(staff, "Open door")
    home = url("groups.spaces.home", space_id=g.space_id)
    html = client.get(url("portal.group_directory")).get_data(as_text=True)
    assert url("auth.login", next=home).replace("&", "&amp;") in html
    login(make_user())
    html = client.get(url("portal.group_directory")).get_data(as_text=True)
    assert f'href="{home}"' in html


def test_directory_htmx_answers_the_results_region_only(client, url, staff):
    group(staff, "Robots")
    response = client.get(url("portal.group_directory", q="robot"), headers=hx("group-results"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="group-results"')
    assert "<h1" not in html and listed(html) == ["Robots"]


def test_progress_links_the_directory(client, url):
    html = client.get(url("portal.progress")).get_data(as_text=True)
    assert url("portal.group_directory") in html


def test_a_listed_groups_logo_is_public_others_not(app, staff):
    active = group(staff, "Shown")
    pending = group(staff, "Hidden", state="pending")
    closed = group(staff, "Gone", state="closed")
    files = {}
    for g in (active, pending, closed):
        stored = StoredFile.create(size=1, content_type="image/png", original_name="l.png",
                                   sha256="0" * 64, path=f"l{g.id}.png")
        g.space.logo_id = stored.id
        g.space.save()
        files[g.space.title] = stored
    assert permissions.can_see_space_logo(None, files["Shown"])
    assert not permissions.can_see_space_logo(None, files["Hidden"])
    assert not permissions.can_see_space_logo(None, files["Gone"])


# --- Groups in Live (L-8) --------------------------------------------------------------------

def test_live_groups_needs_log_in(client, url):
    response = client.get(url("groups.index"))
    assert response.status_code in (302, 303)


def test_live_groups_lists_mine_with_role_and_state(client, url, login, staff):
    me = make_user()
    waiting = group(staff, "My request", state="pending", creator=me)
    asked = group(staff, "Asked", state="needs_info", creator=me)
    joined = group(staff, "Joined one")
    spaces.join(joined.space, me, SpaceRole.MEMBER)
    login(me)
    html = client.get(url("groups.index")).get_data(as_text=True)
    mine = html.split('id="my-groups-title"', 1)[1].split('id="find-groups-title"', 1)[0]
    assert "My request" in mine and "Waiting for approval" in mine
    assert "Asked" in mine and "More information asked" in mine
    assert "Joined one" in mine and "Member" in mine
    assert waiting.space.title not in listed(html) and asked.space.title not in listed(html)
    assert url("groups.new") in html and "Create a group" in html


def test_live_groups_search_and_language(client, url, login, staff):
    group(staff, "Teatro escolar", languages=("es",))
    group(staff, "School theatre", languages=("en",))
    group(staff, "Secret", state="pending")
    login(make_user())
    html = client.get(url("groups.index", q="TEATRO")).get_data(as_text=True)
    assert listed(html) == ["Teatro escolar"]
    html = client.get(url("groups.index", language="en")).get_data(as_text=True)
    assert listed(html) == ["School theatre"]
    assert client.get(url("groups.index", language="zz")).status_code == 422
    assert client.get(url("groups.index", page="x")).status_code == 422
    partial = client.get(url("groups.index", q="theatre"), headers=hx("group-results"))
    assert listed(partial.get_data(as_text=True)) == ["School theatre"]


def test_header_and_live_navigation_have_groups(client, url, login):
    login(make_user())
    html = client.get(url("live.dashboard")).get_data(as_text=True)
    assert html.count(f'href="{url("groups.index")}"') >= 2  # the header and Live's own


# --- Similar groups (G-1) ---------------------------------------------------------------------

def test_similar_fragment_for_htmx(client, url, login, staff):
    g = group(staff, "Robotics for beginners", topics="robots")
    group(staff, "Cooking")
    group(staff, "Robotics pending", state="pending")
    login(make_user())
    response = client.get(url("groups.similar", title="Robótica", topics="robots, coding"),
                          headers=hx("similar"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1" not in html
    assert "Robotics for beginners" in html and "Cooking" not in html
    assert "Robotics pending" not in html
    assert "Join this group instead" in html
    assert url("groups.spaces.home", space_id=g.space_id) in html


def test_similar_without_htmx_is_a_page(client, url, login, staff):
    group(staff, "Chess club")
    login(make_user())
    html = client.get(url("groups.similar", title="chess")).get_data(as_text=True)
    assert "<h1>Similar groups</h1>" in html and "Chess club" in html
    html = client.get(url("groups.similar", title="zzzz")).get_data(as_text=True)
    assert "No similar group yet." in html
    html = client.get(url("groups.similar")).get_data(as_text=True)
    assert "Type a title" in html


def test_similar_needs_log_in(client, url):
    assert client.get(url("groups.similar", title="x")).status_code in (302, 303)


def test_similar_ranking(app, staff):
    group(staff, "Coding club")
    group(staff, "Robotics and coding for beginners", topics="robots")
    group(staff, "Gardening")
    found = [g.space.title for g in group_search.similar("Robotics", "coding")]
    assert found == ["Robotics and coding for beginners", "Coding club"]
