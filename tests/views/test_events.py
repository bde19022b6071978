"""L-5 Events: create, edit, list, register, cancel, and the iCalendar file."""
import datetime

import pytest

from blueprints.live.event_forms import ZONE_NAMES, zone_choices
from blueprints.live.events import ics_fold, ics_text
from models import (Event, EventKind, EventRegistration, Notification, PartnerState, Project,
                    ProjectPartner, Role, utcnow)
from tests.conftest import switch
from tests.factories import make_school, make_user

NEXT_YEAR = utcnow().year + 1


def event_data(**overrides):
    data = {"title": "Storytelling with comics", "description": "Bring a pencil.\nSee you!",
            "kind": "training", "project": "", "online": "online",
            "link": "https://meet.example.org/comics", "place": "",
            "date": f"{NEXT_YEAR}-03-10", "start_time": "16:00", "end_time": "17:30",
            "timezone": "Europe/Madrid", "seats": "20"}
    data.update(overrides)
    return data


@pytest.fixture
def organiser():
    return make_user(name="Ana Organiser", country="ES", school=make_school("ES"))


@pytest.fixture
def other():
    return make_user(name="Giulia Other", country="IT", school=make_school("IT"))


def create(client, **overrides):
    response = client.post("/live/events/new", data=event_data(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return Event.select().order_by(Event.id.desc()).first()


def make_event(creator, *, starts_in=datetime.timedelta(days=3), hours=1, seats=None, **extra):
    starts = utcnow().replace(microsecond=0) + starts_in
    return Event.create(creator=creator, title=extra.pop("title", "An event"),
                        starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
                        seats=seats, link="https://meet.example.org/x", **extra)


def make_project(founder, title="Rivers", partners=(), state=PartnerState.ACCEPTED):
    project = Project.create(founder=founder, title=title)
    ProjectPartner.create(project=project, user=founder, state=PartnerState.ACCEPTED)
    for person in partners:
        ProjectPartner.create(project=project, user=person, state=state)
    return project


# --- Creating ----------------------------------------------------------------------------

def test_a_validated_teacher_creates_an_event_stored_in_utc(client, login, organiser):
    login(organiser)
    page = client.get("/live/events/new").get_data(as_text=True)
    # The zone list is short and the teacher's country's zone is chosen.
    assert '<option selected value="Europe/Madrid">' in page
    assert 'value="Africa/Tunis"' in page and 'value="Europe/Kyiv"' in page
    assert 'value="America/New_York"' not in page
    assert 'type="date"' in page and 'type="time"' in page
    event = create(client)
    assert event.creator_id == organiser.id and event.kind == EventKind.TRAINING
    # 16:00 in Madrid in March (CET, UTC+1) is 15:00 UTC.
    assert event.starts_at == datetime.datetime(NEXT_YEAR, 3, 10, 15, 0)
    assert event.ends_at == datetime.datetime(NEXT_YEAR, 3, 10, 16, 30)
    assert event.timezone == "Europe/Madrid" and event.seats == 20 and event.online
    assert event.link == "https://meet.example.org/comics" and event.place == ""
    # Summer time (CEST, UTC+2).
    summer = create(client, date=f"{NEXT_YEAR}-07-01", start_time="09:30", end_time="10:00")
    assert summer.starts_at == datetime.datetime(NEXT_YEAR, 7, 1, 7, 30)


def test_zone_list_is_short_and_valid():
    zones = [z for z, _label in zone_choices("en")]
    assert 30 < len(zones) < 50 and len(set(zones)) == len(zones)
    assert {"Europe/Madrid", "Europe/Kyiv", "Asia/Amman", "Africa/Tunis", "UTC"} <= set(zones)
    assert set(zones) == set(ZONE_NAMES)


def test_an_in_person_project_event_without_seat_limit(client, login, organiser):
    project = make_project(organiser)
    login(organiser)
    assert "Rivers" in client.get("/live/events/new").get_data(as_text=True)
    event = create(client, kind="project", project=str(project.id), online="in_person",
                   link="https://ignored.example.org", place="IES Cervantes, Madrid",
                   seats="", timezone="Europe/Paris")
    assert event.project_id == project.id and not event.online
    assert event.link == "" and event.place == "IES Cervantes, Madrid" and event.seats is None
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "Part of a project:" in page and "Rivers" in page and "No limit on seats" in page


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter a title for the event"),
    ({"description": "x" * 5001}, "at most 5000 characters"),
    ({"kind": "party"}, "Choose training or one of your projects"),
    ({"kind": "project"}, "Choose one of your projects"),
    ({"kind": "project", "project": "999"}, "Choose one of your projects"),
    ({"online": "online", "link": ""}, "Enter the link to join"),
    ({"link": "javascript:alert(1)"}, "Enter a link that starts with https://"),
    ({"link": "ftp://files.example.org"}, "Enter a link that starts with https://"),
    ({"link": "https://"}, "Enter a link that starts with https://"),
    ({"link": "https://exa mple.org"}, "Enter a link that starts with https://"),
    ({"online": "in_person", "place": ""}, "Enter the place"),
    ({"online": "moon"}, "Choose online or in person"),
    ({"date": ""}, "Enter the date of the event"),
    ({"date": "10/03/2027"}, "Enter the date of the event"),
    ({"start_time": ""}, "Enter the time it starts"),
    ({"end_time": "25:00"}, "Enter the time it ends"),
    ({"end_time": "15:00"}, "Enter an end after the start"),
    ({"end_time": "16:00"}, "Enter an end after the start"),
    ({"date": "2020-01-01"}, "Enter a start in the future"),
    ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list"),
    ({"timezone": "America/New_York"}, "Choose a time zone from the list"),
    ({"seats": "0"}, "Enter a number of seats from 1 to 10000"),
    ({"seats": "10001"}, "Enter a number of seats from 1 to 10000"),
    ({"seats": "ten"}, "Enter a number of seats from 1 to 10000"),
    ({"seats": "-3"}, "Enter a number of seats from 1 to 10000"),
])
def test_creation_refusals_keep_the_input(client, login, organiser, overrides, message):
    login(organiser)
    response = client.post("/live/events/new", data=event_data(**overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert "<title>Error:" in body and 'aria-invalid="true"' in body
    assert "There is a problem" in body
    if "description" not in overrides:
        assert "Bring a pencil." in body
    if "title" not in overrides:
        assert 'value="Storytelling with comics"' in body
    assert Event.select().count() == 0


def test_a_project_i_am_only_invited_to_is_not_mine(client, login, organiser, other):
    project = make_project(other, partners=[organiser], state=PartnerState.INVITED)
    login(organiser)
    response = client.post("/live/events/new",
                           data=event_data(kind="project", project=str(project.id)))
    assert response.status_code == 422
    assert "Choose one of your projects" in response.get_data(as_text=True)
    # Accepted partners may.
    ProjectPartner.update(state=PartnerState.ACCEPTED).execute()
    assert create(client, kind="project", project=str(project.id)).project_id == project.id


def test_unvalidated_teachers_staff_and_students_cannot_create(client, login):
    login(make_user(validated=False))
    response = client.get("/live/events/new")
    assert response.status_code == 403 and "waiting for validation" in response.get_data(
        as_text=True)
    assert client.post("/live/events/new", data=event_data()).status_code == 403
    assert client.get("/live/events").status_code == 200  # but may look and register
    for role in (Role.NSS, Role.CSS, Role.STUDENT):
        client.post("/auth/logout")
        login(make_user(role))
        assert client.get("/live/events/new").status_code == 403
        assert client.post("/live/events/new", data=event_data()).status_code == 403
        assert client.get("/live/events").status_code == 403
    assert Event.select().count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, organiser):
    event = make_event(organiser)
    for url in ("/live/events", "/live/events/new", f"/live/events/{event.id}",
                f"/live/events/{event.id}.ics"):
        response = client.get(url)
        assert response.status_code in (302, 303) and "/auth/login" in response.location
    assert client.post(f"/live/events/{event.id}/registration").status_code in (302, 303)
    assert EventRegistration.select().count() == 0


def test_posts_need_the_csrf_token(client, login, organiser):
    login(organiser)
    assert client.post("/live/events/new", data=event_data(), csrf=False).status_code == 400


# --- Editing -------------------------------------------------------------------------------

def test_the_organiser_edits_in_the_zone_given(client, login, organiser, other):
    login(organiser)
    event = create(client)
    page = client.get(f"/live/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="16:00"' in page and 'value="17:30"' in page  # Madrid wall clock, not UTC
    assert f'value="{NEXT_YEAR}-03-10"' in page
    response = client.post(f"/live/events/{event.id}/edit",
                           data=event_data(title="Comics, part 2", timezone="Europe/Kyiv"))
    assert response.status_code == 303
    event = Event.get_by_id(event.id)
    assert event.title == "Comics, part 2"
    assert event.starts_at == datetime.datetime(NEXT_YEAR, 3, 10, 14, 0)  # Kyiv is UTC+2


def test_seats_cannot_go_below_the_people_registered(client, login, organiser):
    event = make_event(organiser, seats=10, timezone="UTC")
    for _n in range(3):
        EventRegistration.create(event=event, user=make_user())
    login(organiser)
    starts = event.starts_at
    data = event_data(date=starts.strftime("%Y-%m-%d"), start_time=starts.strftime("%H:%M"),
                      end_time=(starts + datetime.timedelta(hours=1)).strftime("%H:%M"),
                      timezone="UTC", seats="2")
    if data["end_time"] <= data["start_time"]:  # the event would cross midnight
        data.update(start_time="10:00", end_time="11:00")
    response = client.post(f"/live/events/{event.id}/edit", data=data)
    assert response.status_code == 422
    assert "3 people are registered: enter at least 3 seats" in response.get_data(as_text=True)
    data["seats"] = "3"
    assert client.post(f"/live/events/{event.id}/edit", data=data).status_code == 303
    assert Event.get_by_id(event.id).seats == 3


def test_an_event_under_way_can_still_be_edited_without_moving_its_start(client, login,
                                                                         organiser):
    event = make_event(organiser, starts_in=datetime.timedelta(days=-1), hours=48,
                       timezone="UTC")
    event.starts_at = event.starts_at.replace(second=0)
    event.save()
    login(organiser)
    local = event.starts_at
    data = event_data(date=local.strftime("%Y-%m-%d"), start_time=local.strftime("%H:%M"),
                      end_time="23:59", timezone="UTC", title="Renamed")
    if data["end_time"] <= data["start_time"]:
        pytest.skip("the event starts at the last minute of the day")
    response = client.post(f"/live/events/{event.id}/edit", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert Event.get_by_id(event.id).title == "Renamed"


def test_others_cannot_edit_or_cancel(client, login, organiser, other):
    event = make_event(organiser)
    login(other)
    assert client.get(f"/live/events/{event.id}/edit").status_code == 403
    assert client.post(f"/live/events/{event.id}/edit",
                       data=event_data(title="Hijacked")).status_code == 403
    assert client.get(f"/live/events/{event.id}/cancel").status_code == 403
    assert client.post(f"/live/events/{event.id}/cancel").status_code == 403
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "Edit the event" not in page and "Cancel the event" not in page
    assert Event.get_by_id(event.id).title == "An event"
    assert Event.get_by_id(event.id).cancelled_at is None
    assert client.get("/live/events/9999/edit").status_code == 404
    assert client.post("/live/events/9999/cancel").status_code == 404
    for role in (Role.NSS, Role.STUDENT):
        client.post("/auth/logout")
        login(make_user(role))
        assert client.get(f"/live/events/{event.id}").status_code == 403
        assert client.post(f"/live/events/{event.id}/cancel").status_code == 403
        assert client.post(f"/live/events/{event.id}/registration").status_code == 403
    assert Event.get_by_id(event.id).cancelled_at is None


# --- Registering ---------------------------------------------------------------------------

def test_register_twice_then_unregister(client, login, organiser, other):
    event = make_event(organiser, seats=5)
    login(other)
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "Register for this event" in page and "Ana Organiser" in page
    response = client.post(f"/live/events/{event.id}/registration", follow_redirects=True)
    assert "You are registered" in response.get_data(as_text=True)
    response = client.post(f"/live/events/{event.id}/registration", follow_redirects=True)
    assert "already registered" in response.get_data(as_text=True)
    assert EventRegistration.select().count() == 1
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "Cancel my registration" in page and "4 seats left" in page and "1 person" in page
    client.post(f"/live/events/{event.id}/registration/cancel")
    client.post(f"/live/events/{event.id}/registration/cancel")  # twice: nothing changes
    assert EventRegistration.select().count() == 0
    assert "5 seats left" in client.get(f"/live/events/{event.id}").get_data(as_text=True)


def test_unvalidated_teachers_may_register(client, login, organiser):
    event = make_event(organiser)
    login(make_user(validated=False))
    client.post(f"/live/events/{event.id}/registration")
    assert EventRegistration.select().count() == 1


def test_a_full_event_refuses_politely(client, login, organiser, other):
    event = make_event(organiser, seats=1)
    EventRegistration.create(event=event, user=make_user())
    login(other)
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "This event is full" in page and "Register for this event" not in page
    response = client.post(f"/live/events/{event.id}/registration", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Sorry, this event is full" in body
    assert "<h1>An event</h1>" in body  # the event's page, kept
    assert EventRegistration.select().count() == 1


def test_the_organiser_is_shown_as_organiser_and_not_registered(client, login, organiser):
    event = make_event(organiser)
    login(organiser)
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "You organise this event." in page and "Register for this event" not in page
    response = client.post(f"/live/events/{event.id}/registration", follow_redirects=True)
    assert "You organise this event" in response.get_data(as_text=True)
    assert EventRegistration.select().count() == 0


def test_cancelled_and_finished_events_refuse_registration(client, login, organiser, other):
    cancelled = make_event(organiser, cancelled_at=utcnow())
    over = make_event(organiser, starts_in=datetime.timedelta(days=-2))
    login(other)
    response = client.post(f"/live/events/{cancelled.id}/registration", follow_redirects=True)
    assert "this event is cancelled" in response.get_data(as_text=True)
    response = client.post(f"/live/events/{over.id}/registration", follow_redirects=True)
    assert "This event is over" in response.get_data(as_text=True)
    assert EventRegistration.select().count() == 0
    assert client.post("/live/events/9999/registration").status_code == 404


# --- Cancelling ----------------------------------------------------------------------------

def test_cancel_asks_then_tells_everybody_registered(client, login, organiser, other):
    event = make_event(organiser, title="Maths café")
    third = make_user(language="es")
    for person in (other, third):
        EventRegistration.create(event=event, user=person)
    login(organiser)
    page = client.get(f"/live/events/{event.id}/cancel").get_data(as_text=True)
    assert "2 people are registered" in page and "Yes, cancel the event" in page
    assert Event.get_by_id(event.id).cancelled_at is None  # GET changes nothing
    response = client.post(f"/live/events/{event.id}/cancel", follow_redirects=True)
    assert "We told the 2 people registered" in response.get_data(as_text=True)
    assert Event.get_by_id(event.id).cancelled_at is not None
    rows = {n.recipient_id: n for n in Notification.select()}
    assert set(rows) == {other.id, third.id}
    assert rows[other.id].kind == "event" and rows[other.id].subject_key == f"event:{event.id}"
    assert "Maths café" in rows[other.id].text and "cancelled" in rows[other.id].text
    assert rows[other.id].link == f"/live/events/{event.id}"
    # A cancelled event can no longer be edited or cancelled, and leaves the list.
    response = client.get(f"/live/events/{event.id}/edit")
    assert response.status_code == 403 and "This event is cancelled" in response.get_data(
        as_text=True)
    assert client.post(f"/live/events/{event.id}/cancel").status_code == 403
    assert Notification.select().count() == 2
    assert "Maths café" not in client.get("/live/events").get_data(as_text=True)
    mine = client.get("/live/events?show=mine").get_data(as_text=True)
    assert "Maths café" in mine and "Cancelled" in mine


def test_moving_an_event_tells_those_registered(client, login, organiser, other):
    login(organiser)
    event = create(client)
    EventRegistration.create(event=event, user=other)
    client.post(f"/live/events/{event.id}/edit", data=event_data(title="Same time"))
    assert Notification.select().count() == 0  # only the title changed
    client.post(f"/live/events/{event.id}/edit", data=event_data(start_time="15:00"))
    assert Notification.get().recipient_id == other.id


# --- The list ------------------------------------------------------------------------------

def test_upcoming_list_soonest_first_with_filters_and_my_events(client, login, organiser,
                                                                  other):
    project = make_project(other, title="Birds", partners=[organiser])
    later = make_event(other, title="Later one", starts_in=datetime.timedelta(days=9))
    sooner = make_event(other, title="Sooner one", starts_in=datetime.timedelta(days=2),
                        kind=EventKind.PROJECT, project=project, seats=3)
    make_event(other, title="Finished one", starts_in=datetime.timedelta(days=-3))
    make_event(other, title="Cancelled one", cancelled_at=utcnow())
    make_event(other, title="In person one", online=False, place="Lyon",
               starts_in=datetime.timedelta(days=5))
    EventRegistration.create(event=sooner, user=organiser)
    mine = make_event(organiser, title="Mine own", starts_in=datetime.timedelta(days=20))
    login(organiser)
    page = client.get("/live/events").get_data(as_text=True)
    assert page.index("Sooner one") < page.index("In person one") < page.index("Later one")
    assert "Finished one" not in page and "Cancelled one" not in page
    assert "Part of a project: Birds" in page and "Training" in page
    assert "In person: Lyon" in page and "Online" in page
    assert "2 seats left" in page and "No limit on seats" in page
    assert "data-local-time" in page and "You are registered." in page
    assert 'aria-current="page">Events' in page or ">Events</a>" in page
    filtered = client.get("/live/events?projects=1").get_data(as_text=True)
    assert "Sooner one" in filtered and "Later one" not in filtered
    assert "Mine own" not in filtered
    mine_page = client.get("/live/events?show=mine").get_data(as_text=True)
    assert "Sooner one" in mine_page and "Mine own" in mine_page
    assert "Later one" not in mine_page and "You organise it." in mine_page
    # Past events I registered for stay in "my events".
    EventRegistration.create(event=Event.get(Event.title == "Finished one"), user=organiser)
    assert "Finished one" in client.get("/live/events?show=mine").get_data(as_text=True)
    assert mine.id and later.id


def test_the_filter_answers_htmx_with_the_results_only(client, login, organiser):
    from tests.conftest import hx
    make_event(organiser, title="Fragment event")
    login(organiser)
    body = client.get("/live/events", headers=hx("event-results")).get_data(as_text=True)
    assert body.lstrip().startswith('<div id="event-results"') and "Fragment event" in body
    assert "<html" not in body


def test_the_list_is_paginated_and_needs_a_bounded_number_of_queries(client, login,
                                                                     organiser):
    from playhouse.test_utils import count_queries
    project = make_project(organiser)
    for n in range(25):
        event = make_event(organiser, title=f"Event {n:02d}", seats=10,
                           starts_in=datetime.timedelta(days=1, hours=n),
                           kind=EventKind.PROJECT if n % 2 else EventKind.TRAINING,
                           project=project if n % 2 else None)
        EventRegistration.create(event=event, user=make_user())
    login(organiser)
    with count_queries() as counter:
        response = client.get("/live/events")
    assert response.status_code == 200
    assert counter.count <= 7, counter.count
    body = response.get_data(as_text=True)
    assert "Event 19" in body and "Event 20" not in body and "Page 1 of 2" in body
    assert "9 seats left" in body
    assert "Event 20" in client.get("/live/events?page=2").get_data(as_text=True)
    with count_queries() as counter:
        assert client.get("/live/events?show=mine").status_code == 200
    assert counter.count <= 7, counter.count


# --- The page and the calendar file ----------------------------------------------------------

def test_the_description_is_escaped_and_linkified(client, login, organiser):
    event = make_event(organiser, description="<script>alert(1)</script>\n"
                                              "Read https://example.org/prep first.")
    login(organiser)
    page = client.get(f"/live/events/{event.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://example.org/prep"' in page


def test_the_ics_file(client, login, organiser, other):
    starts = datetime.datetime(NEXT_YEAR, 3, 10, 15, 0)
    event = Event.create(creator=organiser, title="Maths, logic; and \\ more",
                         description="Line one\nLine two, with a comma; " + "é" * 60,
                         starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90),
                         online=False, place="Room 4, IES Cervantes", timezone="Europe/Madrid")
    login(make_user(Role.NSS))  # any member may add it to a calendar
    response = client.get(f"/live/events/{event.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    raw = response.get_data()
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert f"DTSTART:{NEXT_YEAR}0310T150000Z\r\n" in unfolded
    assert f"DTEND:{NEXT_YEAR}0310T163000Z\r\n" in unfolded
    assert "SUMMARY:Maths\\, logic\\; and \\\\ more\r\n" in unfolded
    assert "DESCRIPTION:Line one\\nLine two\\, with a comma\\; " + "é" * 60 in unfolded
    assert "LOCATION:Room 4\\, IES Cervantes\r\n" in unfolded
    assert f"UID:event-{event.id}@" in unfolded and "DTSTAMP:" in unfolded
    assert "STATUS:CONFIRMED" in unfolded and "URL:" not in unfolded
    event.cancelled_at, event.online, event.link = utcnow(), True, "https://meet.example.org/a"
    event.save()
    unfolded = client.get(f"/live/events/{event.id}.ics").get_data(as_text=True).replace(
        "\r\n ", "")
    assert "STATUS:CANCELLED" in unfolded and "URL:https://meet.example.org/a\r\n" in unfolded
    assert "LOCATION:" not in unfolded
    assert client.get("/live/events/9999.ics").status_code == 404


def test_ics_helpers():
    assert ics_text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "€" * 40
    folded = ics_fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split("\r\n"))
    assert ics_fold("SHORT:x") == "SHORT:x"


def test_a_private_projects_title_stays_private_in_events(client, login):
    from models import Event, PartnerState, Project, ProjectPartner, utcnow
    import datetime as dt
    owner = make_user()
    private = Project.create(title="Private P", founder=owner)
    ProjectPartner.create(project=private, user=owner, state=PartnerState.ACCEPTED)
    event = Event.create(creator=owner, project=private, kind="project", title="Meeting",
                         starts_at=utcnow() + dt.timedelta(days=2),
                         ends_at=utcnow() + dt.timedelta(days=2, hours=1))
    login(make_user())
    assert "Private P" not in client.get("/live/events").get_data(as_text=True)
    assert "Private P" not in client.get(f"/live/events/{event.id}").get_data(as_text=True)


def test_a_date_at_the_edge_of_the_calendar_is_refused_not_a_crash(client, login):
    login(make_user())
    response = client.post("/live/events/new", data={
        "title": "Edge", "description": "x", "kind": "training", "online": "online",
        "link": "https://example.org", "date": "0001-01-01", "start_time": "00:30",
        "end_time": "01:30", "timezone": "Europe/Kyiv"})
    assert response.status_code == 422
