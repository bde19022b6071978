"""Page weight is a test (issue 15): on the demo data, no first visit passes 50 KB and no htmx
fragment 8 KB. The pages, the measuring and the budgets are the bench's own
(bench/pagelist.py, bench/pageweight.py): gzip of each page plus the CSS, JS and icons it links
to, as a browser's first visit. The demo is seeded once for the module."""
import pytest

from bench import pageweight
from models import db
from services import demo
from tests.conftest import build_app


@pytest.fixture(scope="module")
def weighed(template_db, tmp_path_factory):
    """(rows, fragments) as bench.pageweight.measure gives them, for every page of the demo."""
    app = build_app(template_db, tmp_path_factory.mktemp("weight"))
    demo.seed(app.config["UPLOAD_DIR"])
    try:
        pages, fragments = pageweight.demo_pages()
        yield pageweight.measure(app, pages, fragments, with_brotli=False, clients={})
    finally:
        if not db.is_closed():
            db.close()


def test_no_page_or_fragment_is_over_budget(weighed):
    rows, fragments = weighed
    assert len(rows) >= 70 and len(fragments) >= 9  # the lists are all there
    problems = pageweight.over_budget(rows, fragments)  # a page not answering 200 is one
    assert not problems, "over the page weight budget:\n" + "\n".join(problems)


def test_the_heaviest_page_still_counts_its_css_and_scripts(weighed):
    rows, _fragments = weighed
    home = next(row for row in rows if row[1] == "/")
    assert home[4] > 10_000  # htmx alone is 16 KB gzipped: the assets were measured
    assert any("css/app.css" in asset for asset in home[7])


def test_the_check_names_each_page_over_budget_with_its_size():
    page = ("Home", "/", 200, 1000, 49_000, 50_000, 0, [], [])
    heavy = ("Gallery", "/gallery", 200, 30_000, 21_201, 51_201, 0, [], [])
    broken = ("Kits", "/kits", 500, 0, 0, 0, 0, [], [])
    fragment = ("Results", "/connect?q=a", 200, 8192)
    big_fragment = ("Testimonials", "/discover?role=teacher", 200, 8193)
    problems = pageweight.over_budget([page, heavy, broken], [fragment, big_fragment])
    assert problems == [
        "Gallery (/gallery): first visit 51201 bytes, over the 51200 bytes budget",
        "Kits (/kits): FAILED: HTTP 500",
        "Testimonials (/discover?role=teacher): fragment 8193 bytes, over the 8192 bytes budget",
    ]
    assert pageweight.over_budget([page], [fragment]) == []
