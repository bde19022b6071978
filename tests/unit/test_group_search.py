"""services/group_search.py: finding active groups (L-8, P-5) and similar ones (G-1)."""
import datetime

import pytest

from models import (Discussion, Folder, Forum, Group, Material, Page, PageRevision, Role,
                    SpaceRole, db)
from services import group_search, groups, spaces
from tests.factories import make_group, make_user


@pytest.fixture
def dbx(app):
    db.connect(reuse_if_open=True)
    yield db


@pytest.fixture
def staff(dbx):
    return make_user(Role.CSS)


group = make_group


def titles(page):
    return [g.space.title for g in page.items]


def test_accents_and_case_are_folded(staff):
    group(staff, "Musica en el aula")
    group(staff, "Ciencia")
    assert titles(group_search.search_groups("Música")) == ["Musica en el aula"]
    assert titles(group_search.search_groups("MUSI")) == ["Musica en el aula"]


def test_topics_and_description_are_searched(staff):
    group(staff, "One", topics="robotics, coding")
    group(staff, "Two", description="We grow tomatoes")
    assert titles(group_search.search_groups("robotics")) == ["One"]
    assert titles(group_search.search_groups("tomato")) == ["Two"]


def test_only_active_groups_are_listed(staff):
    for state in ("pending", "needs_info", "rejected", "closed", "active"):
        group(staff, f"Art {state}", state=state)
    assert titles(group_search.search_groups("art")) == ["Art active"]
    assert titles(group_search.search_groups("")) == ["Art active"]


def test_closing_and_reopening_keep_the_index_in_step(staff):
    g = group(staff, "Poetry")
    groups.act(g, "close", staff)
    assert group_search.search_groups("poetry").total == 0
    groups.act(g, "reopen", staff)
    assert group_search.search_groups("poetry").total == 1


def test_language_filter(staff):
    group(staff, "Maths en", languages=("en",))
    group(staff, "Maths es", languages=("es", "fr"))
    assert titles(group_search.search_groups("maths", "es")) == ["Maths es"]
    assert titles(group_search.search_groups("", "fr")) == ["Maths es"]
    assert group_search.search_groups("", "de").total == 0
    with pytest.raises(group_search.UnknownLanguage):
        group_search.search_groups("", "xx")


def test_featured_first_then_newest(staff):
    group(staff, "Old history")
    group(staff, "Featured history", featured=True)
    group(staff, "New history")
    assert titles(group_search.search_groups("")) == ["Featured history", "New history",
                                                      "Old history"]
    assert titles(group_search.search_groups("history"))[0] == "Featured history"


def test_paging(staff):
    for n in range(5):
        group(staff, f"Chess {n}")
    first = group_search.search_groups("chess", per_page=2)
    assert (first.total, first.pages, len(first.items)) == (5, 3, 2)
    last = group_search.search_groups("chess", page=99, per_page=2)
    assert last.page == 3 and len(last.items) == 1


def test_similar_ranks_shared_words(staff):
    group(staff, "Robotics for beginners", topics="robots, coding")
    group(staff, "Coding club")
    group(staff, "Gardening")
    group(staff, "Robotics pending", state="pending")
    found = [g.space.title for g in group_search.similar("Robotics and coding", "robots")]
    assert found[0] == "Robotics for beginners"
    assert "Coding club" in found and "Gardening" not in found
    assert "Robotics pending" not in found
    assert group_search.similar("the and de", "") == []
    assert group_search.similar("", "") == []


def test_similar_limit_and_exclude(staff):
    made = [group(staff, f"Astronomy {n}") for n in range(4)]
    assert len(group_search.similar("astronomy", limit=2)) == 2
    ids = [g.id for g in group_search.similar("astronomy", exclude=made[0].id)]
    assert made[0].id not in ids and len(ids) == 3


def test_reindex_groups_rebuilds(staff):
    group(staff, "Theatre")
    group(staff, "Dance", state="pending")
    db.execute_sql("DELETE FROM group_search")
    assert group_search.search_groups("").total == 0
    assert group_search.reindex_groups() == 1
    assert titles(group_search.search_groups("theatre")) == ["Theatre"]


def test_counts_and_last_activity(staff):
    g = group(staff, "Busy")
    quiet = group(staff, "Quiet")
    space = g.space
    spaces.join(space, make_user(), SpaceRole.MEMBER)
    base = datetime.datetime(2030, 1, 1)
    forum = Forum.create(space=space, title="F")
    Discussion.create(forum=forum, title="D", last_post_at=base)
    page = Page.create(space=space, title="P")
    PageRevision.create(page=page, version=1, title="P", created_at=base
                        + datetime.timedelta(days=2))
    folder = Folder.create(space=space, kind="document", title="Docs")
    Material.create(space=space, folder=folder, kind="document", title="M",
                    created_at=base + datetime.timedelta(days=1))
    assert group_search.member_counts([space.id, quiet.space_id]) == {
        space.id: 2, quiet.space_id: 1}
    cards = group_search.cards(list(Group.select().where(Group.id.in_([g.id, quiet.id]))))
    assert cards[g.id]["members"] == 2 and cards[g.id]["languages"] == ["en"]
    assert cards[g.id]["active_at"] == base + datetime.timedelta(days=2)
    # Nothing happened in the quiet group since it opened: its approval is its latest news.
    assert cards[quiet.id]["active_at"] == Group.get_by_id(quiet.id).approved_at


def test_flask_search_reindex_rebuilds_groups(app, staff):
    group(staff, "Theatre")
    db.execute_sql("DELETE FROM group_search")
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0, result.output
    assert titles(group_search.search_groups("theatre")) == ["Theatre"]
