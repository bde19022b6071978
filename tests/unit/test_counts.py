"""services/counts.py: a large count is kept for a minute, a small one never (issue 15)."""
import pytest

from models import User
from services import counts
from services.paging import Page
from tests.factories import make_user


@pytest.fixture(autouse=True)
def empty():
    counts._kept.clear()
    yield
    counts._kept.clear()


def test_a_large_count_is_kept_until_it_expires():
    now = [100.0]
    calls = []

    def compute():
        calls.append(1)
        return counts.LARGE + len(calls)
    first = counts.count("k", compute, clock=lambda: now[0])
    now[0] += counts.SECONDS - 1
    assert counts.count("k", compute, clock=lambda: now[0]) == first
    assert len(calls) == 1
    now[0] += 2  # past the minute: counted again
    assert counts.count("k", compute, clock=lambda: now[0]) == first + 1
    assert counts.count("other", compute, clock=lambda: now[0]) == first + 2


def test_a_small_count_is_always_counted_again():
    totals = iter([3, 4])
    assert counts.count("k", lambda: next(totals)) == 3
    assert counts.count("k", lambda: next(totals)) == 4


def test_a_list_page_counts_exactly_below_the_threshold(app):
    make_user(name="Ada")
    query = User.select().where(User.name == "Ada")
    assert Page.of_query(query, 1).total == 1
    make_user(name="Ada")
    assert Page.of_query(query, 1).total == 2


def test_a_list_page_keeps_a_large_total(app, monkeypatch):
    monkeypatch.setattr(counts, "LARGE", 2)
    for _ in range(2):
        make_user(name="Bea")
    query = User.select().where(User.name == "Bea").order_by(User.id)
    assert Page.of_query(query, 1, per_page=1).total == 2
    make_user(name="Bea")
    page = Page.of_query(query, 2, per_page=1)
    assert page.total == 2 and page.pages == 2  # kept for the minute
    assert Page.of_query(query, 3, per_page=1).page == 2  # paging follows the kept total
    other = User.select().where(User.name == "Nobody")
    assert Page.of_query(other, 1).total == 0  # another query, its own count


def test_a_short_list_is_not_counted(app):
    make_user(name="Cy")
    query = User.select().where(User.name == "Cy")
    page = Page.of_query(query, 1)
    assert page.total == 1 and page.pages == 1 and not page.has_next
    assert Page.of_query(query, 7).page == 1  # past the end: the last page, counted
