"""Issue 10.17: events as a month beside the list (L-5 in Live, P-5 in the portal): an
accessible table (caption, weekday headers with full names, today marked with
aria-current="date" and a word, previous/next month links, a link to each event on its day in
the reader's country's zone), a list of the busy days for phones, odd months never an error."""
import datetime
import re
import zoneinfo

import pytest
from flask import url_for
from markupsafe import escape
from playhouse.test_utils import count_queries

from models import (Event, EventKind, LearningEvent, PartnerState, Project, ProjectPartner,
                    Role, utcnow)
from tests.conftest import hx
from tests.factories import make_school, make_user

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def url(app, endpoint, **args):
    with app.test_request_context():
        return url_for(endpoint, **args)


def href(app, endpoint, **args):
    """The URL as written in the page's HTML."""
    return str(escape(url(app, endpoint, **args)))


def event(creator, title, starts, **extra):
    return Event.create(creator=creator, title=title, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        link="https://meet.example.org/x", **extra)


def table_of(page):
    found = re.search(r'<table class="month-table">(.*?)</table>', page, re.S)
    assert found, "the month is a table"
    return found.group(1)


def cell_of(table, day):
    """The <td> of a day of the month, by its number."""
    found = re.search(r'<td[^>]*>\s*<span class="month-day">' + str(day) + r'</span>(.*?)</td>',
                      table, re.S)
    assert found, day
    return found.group(0)


@pytest.fixture
def ana():
    return make_user(name="Ana Teacher", country="ES", school=make_school("ES"))


def test_live_month_is_an_accessible_table_with_each_event_on_its_local_day(app, client,
                                                                            login, ana):
    other = make_user(country="IT")
    # 23:30 UTC on 14 January is already 15 January in Madrid (UTC+1).
    late = event(other, "Late night call", datetime.datetime(2030, 1, 14, 23, 30))
    event(other, "Morning workshop", datetime.datetime(2030, 1, 3, 8, 0))
    event(other, "Called off", datetime.datetime(2030, 1, 3, 9, 0), cancelled_at=utcnow())
    event(other, "February thing", datetime.datetime(2030, 2, 1, 9, 0))
    login(ana)
    page = client.get(url(app, "live.events", view="month", month="2030-01")).get_data(
        as_text=True)
    table = table_of(page)
    assert re.search(r"<caption>January 2030 <span[^>]*>2 events</span></caption>", table)
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert len(headers) == 7
    for header, name in zip(headers, WEEKDAYS):
        assert f'title="{name}"' in header and name[:3] in header
        assert f'<span class="visually-hidden">{name}</span>' in header
    assert url(app, "live.event", event_id=late.id) in cell_of(table, 15)
    assert "Late night call" not in cell_of(table, 14)
    assert "00:30" in cell_of(table, 15) and "Morning workshop" in cell_of(table, 3)
    # Cancelled events are not among those to go to; other months are not drawn.
    assert "Called off" not in page and "February thing" not in page
    # Previous and next months, as real links that htmx may follow.
    prev = href(app, "live.events", view="month", month="2029-12")
    nxt = href(app, "live.events", view="month", month="2030-02")
    assert f'href="{prev}" hx-get="{prev}"' in page and f'href="{nxt}" hx-get="{nxt}"' in page
    assert "December 2029" in page and "February 2030" in page
    assert "Europe/Madrid" in page
    # The same days as a list, for narrow screens.
    listed = page[page.index('<div class="month-list">'):]
    assert "Tuesday, January 15, 2030" in listed and "Late night call" in listed
    # The switch says which view this is.
    assert re.search(r'<a href="[^"]*view=month[^"]*" aria-current="page">Month</a>', page)


def test_today_is_marked_with_aria_current_and_a_word(app, client, login, ana):
    login(ana)
    page = client.get(url(app, "live.events", view="month")).get_data(as_text=True)
    table = table_of(page)
    today = re.findall(r'<td aria-current="date" class="month-today">\s*'
                       r'<span class="month-day">(\d+)</span> <strong[^>]*>Today</strong>', table)
    madrid_today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Madrid")).day
    assert today == [str(madrid_today)]
    assert table.count('aria-current="date"') == 1


def test_the_month_keeps_the_filters_and_my_events_show_my_cancelled_ones(app, client,
                                                                          login, ana):
    other = make_user(country="IT")
    project = Project.create(founder=ana, title="Rivers")
    ProjectPartner.create(project=project, user=ana, state=PartnerState.ACCEPTED)
    event(other, "Project meeting", datetime.datetime(2030, 3, 4, 10), project=project,
          kind=EventKind.PROJECT)
    event(other, "Someone else's training", datetime.datetime(2030, 3, 5, 10))
    event(ana, "My cancelled one", datetime.datetime(2030, 3, 6, 10), cancelled_at=utcnow())
    login(ana)
    page = client.get(url(app, "live.events", view="month", month="2030-03",
                          projects="1")).get_data(as_text=True)
    assert "Project meeting" in page and "Someone else" not in page
    assert href(app, "live.events", view="month", month="2030-04", projects="1") in page
    page = client.get(url(app, "live.events", view="month", month="2030-03",
                          show="mine")).get_data(as_text=True)
    assert "My cancelled one" in page and "(Cancelled)" in page and "Project meeting" not in page


def test_the_list_offers_the_month(app, client, login, ana):
    login(ana)
    page = client.get(url(app, "live.events")).get_data(as_text=True)
    assert re.search(r'<a href="[^"]*" aria-current="page">List</a>', page)
    assert f'href="{url(app, "live.events", view="month")}"' in page
    assert "month-table" not in page


@pytest.mark.parametrize("month", ["2030-13", "2030-00", "abc", "99999-01", "1999-12",
                                   "2030-1", "<script>", "2101-01"])
def test_odd_months_show_this_month_never_an_error(app, client, login, ana, month):
    login(ana)
    response = client.get(url(app, "live.events", view="month", month=month))
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]
    response = client.get(url(app, "portal.progress", view="month", month=month))
    assert response.status_code == 200


def test_the_edges_of_the_range_have_no_link_beyond(app, client, login, ana):
    login(ana)
    page = client.get(url(app, "live.events", view="month", month="2100-12")).get_data(
        as_text=True)
    assert 'id="month-prev"' in page and 'id="month-next"' not in page
    page = client.get(url(app, "live.events", view="month", month="2000-01")).get_data(
        as_text=True)
    assert 'id="month-prev"' not in page and 'id="month-next"' in page


def test_the_month_answers_htmx_with_its_region_only(app, client, login, ana):
    event(make_user(), "Fragment event", datetime.datetime(2030, 1, 10, 10))
    login(ana)
    response = client.get(url(app, "live.events", view="month", month="2030-01"),
                          headers=hx("event-results"))
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="event-results"') and "<html" not in body
    assert "Fragment event" in body and 'data-announce="January 2030: 1 event"' in body


def test_the_live_month_is_for_teachers_only(app, client, login):
    month = url(app, "live.events", view="month", month="2030-01")
    response = client.get(month)
    assert response.status_code in (302, 303) and "/auth/login" in response.location
    for role in (Role.STUDENT, Role.NSS):
        login(make_user(role))
        assert client.get(month).status_code == 403
        client.post("/auth/logout")


def test_the_month_needs_a_bounded_number_of_queries(app, client, login, ana):
    for n in range(30):
        event(make_user(), f"Event {n}", datetime.datetime(2030, 1, 1 + n, 10))
        LearningEvent.create(kind="workshop", title=f"Workshop {n}", seats=10, language="en",
                             duration_minutes=60, starts_at=datetime.datetime(2030, 1, 1 + n, 9))
    login(ana)
    with count_queries() as counter:
        page = client.get(url(app, "live.events", view="month", month="2030-01")).get_data(
            as_text=True)
    assert "Event 29" in page and counter.count <= 7, counter.count
    with count_queries() as counter:
        page = client.get(url(app, "portal.progress", view="month", month="2030-01")).get_data(
            as_text=True)
    assert "Workshop 29" in page and counter.count <= 8, counter.count


def test_portal_month_of_workshops_for_visitors_in_utc_and_teachers_in_their_zone(
        app, client, login, ana):
    late = LearningEvent.create(kind="workshop", title="Late workshop", seats=10,
                                language="en", duration_minutes=60,
                                starts_at=datetime.datetime(2030, 1, 14, 23, 30))
    LearningEvent.create(kind="learning_event", title="Expert talk", seats=10, language="en",
                         duration_minutes=60, starts_at=datetime.datetime(2030, 1, 20, 9))
    month = url(app, "portal.progress", view="month", month="2030-01")
    page = client.get(month).get_data(as_text=True)
    table = table_of(page)
    assert "January 2030" in table and "UTC" in page
    assert url(app, "portal.learning_event", event_id=late.id) in cell_of(table, 14)
    assert "Expert talk" in cell_of(table, 20)
    # The kind filter holds in the month and in its links.
    page = client.get(url(app, "portal.progress", view="month", month="2030-01",
                          kind="workshop")).get_data(as_text=True)
    assert "Late workshop" in page and "Expert talk" not in page
    assert href(app, "portal.progress", view="month", month="2030-02", kind="workshop") in page
    login(ana)  # in Spain: 23:30 UTC is the next day
    table = table_of(client.get(month).get_data(as_text=True))
    assert "Late workshop" in cell_of(table, 15) and "Late workshop" not in cell_of(table, 14)
    list_page = client.get(url(app, "portal.progress")).get_data(as_text=True)
    assert f'href="{url(app, "portal.progress", view="month")}"' in list_page
