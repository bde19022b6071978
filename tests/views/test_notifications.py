"""L-4: the notification list, marking read, preferences, digests, and the header counts."""
import datetime

from flask import render_template
from flask_login import login_user
from playhouse.test_utils import count_queries

from models import (MailMessage, MailRecipient, MailThread, Notification, OutboxMail, Role,
                    utcnow)
from services import notify
from tests.conftest import hx
from tests.factories import make_user


def tell(app, user, text="Something happened", key="project:1", kind="project_invitation",
         link="/live/projects/"):
    return notify.notify(app.config, user, kind, key, lambda count: text, link)


def test_list_shows_mine_newest_first_with_unread_marked(app, client, login):
    me, other = make_user(), make_user()
    old = tell(app, me, "Old news", key="project:1")
    Notification.update(updated_at=utcnow() - datetime.timedelta(days=1),
                        read_at=utcnow()).where(Notification.id == old.id).execute()
    tell(app, me, "Fresh news", key="project:2")
    for _ in range(3):
        tell(app, me, "Grouped news", key="project:3")
    tell(app, other, "Not for me")
    login(me)
    page = client.get("/live/notifications").get_data(as_text=True)
    assert "Not for me" not in page
    assert page.index("Grouped news") < page.index("Fresh news") < page.index("Old news")
    assert "3 updates" in page and "You have 2 unread notifications." in page
    assert page.count("(unread)") == 2
    assert 'Notifications<span id="notifications-count"> <span class="count">2</span>' in page


def test_reading_one_goes_to_its_link_and_only_mine(app, client, login):
    me, other = make_user(), make_user()
    mine = tell(app, me, link="/live/contacts")
    theirs = tell(app, other)
    login(me)
    assert client.post(f"/live/notifications/{theirs.id}/read").status_code == 404
    assert Notification.get_by_id(theirs.id).read_at is None
    assert client.post("/live/notifications/99999/read").status_code == 404
    response = client.post(f"/live/notifications/{mine.id}/read")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/live/contacts")
    assert Notification.get_by_id(mine.id).read_at is not None
    # A link that is not a local path is never followed.
    odd = tell(app, me, key="x:1", link="https://evil.example/")
    response = client.post(f"/live/notifications/{odd.id}/read")
    assert response.headers["Location"].endswith("/live/notifications")


def test_mark_all_read_without_js_and_with_htmx(app, client, login):
    me, other = make_user(), make_user()
    tell(app, me, key="a:1")
    tell(app, me, key="a:2")
    tell(app, other, key="a:3")
    login(me)
    response = client.post("/live/notifications/read-all")
    assert response.status_code == 303
    assert Notification.select().where(Notification.read_at.is_null()).count() == 1
    tell(app, me, "Another one", key="a:4")
    response = client.post("/live/notifications/read-all", headers=hx("notification-list"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="notification-list"' in body and "Another one" in body
    assert "You have read everything." in body
    assert 'id="notifications-count" hx-swap-oob="true"' in body
    assert Notification.select().where(Notification.read_at.is_null()).count() == 1


def test_settings_save_each_kind_and_refuse_unknown_values(client, login):
    me = make_user()
    login(me)
    page = client.get("/live/notifications/settings").get_data(as_text=True)
    assert "Contact requests" in page and "Not at all" in page and "<legend>" in page
    data = {kind: "daily" for kind in notify.KINDS}
    data["message"] = "instant"
    data["contact_request"] = "none"
    response = client.post("/live/notifications/settings", data=data)
    assert response.status_code == 303
    prefs = notify.preferences(me)
    assert prefs["message"] == "instant" and prefs["contact_request"] == "none"
    data["message"] = "hourly"
    response = client.post("/live/notifications/settings", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Choose how you want to hear about this" in body and "<title>Error:" in body
    assert notify.preferences(me)["message"] == "instant"


def test_notification_pages_need_a_login(client, app):
    for url in ("/live/notifications", "/live/notifications/settings"):
        assert client.get(url).status_code in (302, 303)
    assert client.post("/live/notifications/read-all").status_code in (302, 303)


def test_students_have_notifications_too(app, client, login):
    pupil = make_user(Role.STUDENT)
    tell(app, pupil, "For a pupil")
    login(pupil)
    assert "For a pupil" in client.get("/live/notifications").get_data(as_text=True)


def test_modes_none_instant_and_daily_digest(app):
    quiet, eager, daily, weekly = (make_user(email="quiet@example.org"),
                                   make_user(email="eager@example.org"),
                                   make_user(email="daily@example.org"),
                                   make_user(email="weekly@example.org"))
    notify.set_preferences(quiet, {"message": "none"})
    notify.set_preferences(eager, {"message": "instant"})
    notify.set_preferences(weekly, {"message": "weekly"})
    for user in (quiet, eager, daily, weekly):
        tell(app, user, "New message", kind="message", key="thread:1")
        tell(app, user, "New message again", kind="message", key="thread:1")
    assert Notification.select().where(Notification.recipient == quiet.id).count() == 0
    assert OutboxMail.select().where(OutboxMail.to_address == "eager@example.org").count() == 2
    assert OutboxMail.select().where(OutboxMail.to_address == "daily@example.org").count() == 0

    assert notify.send_digests(app.config, "daily") == 1
    mails = list(OutboxMail.select().where(OutboxMail.to_address == "daily@example.org"))
    assert len(mails) == 1 and "New message again" in mails[0].body
    assert notify.send_digests(app.config, "daily") == 0
    assert OutboxMail.select().where(OutboxMail.to_address == "daily@example.org").count() == 1
    assert OutboxMail.select().where(OutboxMail.to_address == "weekly@example.org").count() == 0

    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications-digest", "--mode", "weekly"])
    assert result.exit_code == 0 and "Summaries sent: 1." in result.output
    assert OutboxMail.select().where(OutboxMail.to_address == "weekly@example.org").count() == 1
    result = runner.invoke(args=["notifications-digest", "--mode", "hourly"])
    assert result.exit_code != 0


def test_header_counts_cost_at_most_two_queries_and_none_for_visitors(app):
    me = make_user()
    tell(app, me, key="a:1")
    tell(app, me, key="a:2")
    thread = MailThread.create(subject="Hi")
    for _ in range(3):
        MailRecipient.create(message=MailMessage.create(thread=thread, body="x"), user=me)
    with app.test_request_context("/"):
        with count_queries() as counter:
            html = render_template("layout.html")
        assert counter.count == 0 and "Notifications" not in html
    with app.test_request_context("/"):
        login_user(me)
        with count_queries() as counter:
            html = render_template("layout.html")
        assert counter.count <= 2, counter.count
    assert ('Notifications<span id="notifications-count"> <span class="count">2</span>'
            '<span class="visually-hidden"> unread</span>') in html
    assert 'Mail <span class="count">3</span><span class="visually-hidden"> unread' in html


def test_list_needs_few_queries_with_20_rows(app, client, login):
    me = make_user()
    for n in range(25):
        tell(app, me, f"News {n}", key=f"project:{n}")
    login(me)
    with count_queries() as counter:
        response = client.get("/live/notifications")
    assert response.status_code == 200
    assert counter.count <= 6, counter.count
    page = response.get_data(as_text=True)
    assert "News 24" in page and "Page 1 of 2" in page
    fragment = client.get("/live/notifications?page=2", headers=hx("notification-list"))
    assert "<html" not in fragment.get_data(as_text=True)
