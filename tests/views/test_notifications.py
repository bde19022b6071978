"""L-4: the notification list, marking read, preferences, digests, and the header counts."""
import datetime
import json

import pytest
from flask import render_template, url_for
from flask_babel import force_locale
from flask_login import login_user
from playhouse.test_utils import count_queries

from models import (MailMessage, MailRecipient, MailThread, Notification, OutboxMail, Role,
                    utcnow)
from services import notify
from tests.conftest import hx, switch
from tests.factories import make_user


def tell(app, user, text="Something happened", key="project:1", kind="project_invitation",
         link=None):
    # Any message will do: the event's title carries the text the tests look for.
    if link is None:
        with app.test_request_context():
            link = url_for("live.projects")
    return notify.notify(app.config, user, kind, key, "event_cancelled", link, title=text)


def test_list_shows_mine_newest_first_with_unread_marked(app, client, login, url):
    me, other = make_user(), make_user()
    old = tell(app, me, "Old news", key="project:1")
    Notification.update(updated_at=utcnow() - datetime.timedelta(days=1),
                        read_at=utcnow()).where(Notification.id == old.id).execute()
    tell(app, me, "Fresh news", key="project:2")
    for _ in range(3):
        tell(app, me, "Grouped news", key="project:3")
    tell(app, other, "Not for me")
    login(me)
    page = client.get(url("live.notifications")).get_data(as_text=True)
    assert "Not for me" not in page
    assert page.index("Grouped news") < page.index("Fresh news") < page.index("Old news")
    assert "3 updates" in page and "You have 2 unread notifications." in page
    assert page.count("(unread)") == 2
    assert 'Notifications<span id="notifications-count"> <span class="count">2</span>' in page


def test_reading_one_goes_to_its_link_and_only_mine(app, client, login, url):
    me, other = make_user(), make_user()
    mine = tell(app, me, link=url("live.contacts"))
    theirs = tell(app, other)
    login(me)
    assert client.post(url("live.notification_read", notification_id=theirs.id)).status_code == 404
    assert Notification.get_by_id(theirs.id).read_at is None
    assert client.post(url("live.notification_read", notification_id=99999)).status_code == 404
    response = client.post(url("live.notification_read", notification_id=mine.id))
    assert response.status_code == 303 and response.headers["Location"].endswith(
        url("live.contacts"))
    assert Notification.get_by_id(mine.id).read_at is not None
    # A link that is not a local path is never followed.
    odd = tell(app, me, key="x:1", link="https://evil.example/")
    response = client.post(url("live.notification_read", notification_id=odd.id))
    assert response.headers["Location"].endswith(url("live.notifications"))


def test_mark_all_read_without_js_and_with_htmx(app, client, login, url):
    me, other = make_user(), make_user()
    tell(app, me, key="a:1")
    tell(app, me, key="a:2")
    tell(app, other, key="a:3")
    login(me)
    response = client.post(url("live.notifications_read_all"))
    assert response.status_code == 303
    assert Notification.select().where(Notification.read_at.is_null()).count() == 1
    tell(app, me, "Another one", key="a:4")
    response = client.post(url("live.notifications_read_all"), headers=hx("notification-list"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="notification-list"' in body and "Another one" in body
    assert "You have read everything." in body
    assert 'id="notifications-count" hx-swap-oob="true"' in body
    assert Notification.select().where(Notification.read_at.is_null()).count() == 1


def test_settings_save_each_kind_and_refuse_unknown_values(client, login, url):
    me = make_user()
    login(me)
    page = client.get(url("live.notification_settings")).get_data(as_text=True)
    assert "Contact requests" in page and "Not at all" in page and "<legend>" in page
    data = {kind: "daily" for kind in notify.KINDS}
    data["message"] = "instant"
    data["contact_request"] = "none"
    response = client.post(url("live.notification_settings"), data=data)
    assert response.status_code == 303
    prefs = notify.preferences(me)
    assert prefs["message"] == "instant" and prefs["contact_request"] == "none"
    data["message"] = "hourly"
    response = client.post(url("live.notification_settings"), data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Choose how you want to hear about this" in body and "<title>Error:" in body
    assert notify.preferences(me)["message"] == "instant"


def test_notification_pages_need_a_login(client, app, url):
    for address in (url("live.notifications"), url("live.notification_settings")):
        assert client.get(address).status_code in (302, 303)
    assert client.post(url("live.notifications_read_all")).status_code in (302, 303)


def test_students_have_notifications_too(app, client, login, url):
    pupil = make_user(Role.STUDENT)
    tell(app, pupil, "For a pupil")
    login(pupil)
    assert "For a pupil" in client.get(url("live.notifications")).get_data(as_text=True)


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
    with app.test_request_context():
        with count_queries() as counter:
            html = render_template("layout.html")
        assert counter.count == 0 and "Notifications" not in html
    with app.test_request_context():
        login_user(me)
        with count_queries() as counter:
            html = render_template("layout.html")
        assert counter.count <= 2, counter.count
    assert ('Notifications<span id="notifications-count"> <span class="count">2</span>'
            '<span class="visually-hidden"> unread</span>') in html
    assert 'Mail <span class="count">3</span><span class="visually-hidden"> unread' in html


def test_list_needs_few_queries_with_20_rows(app, client, login, url):
    me = make_user()
    for n in range(25):
        tell(app, me, f"News {n}", key=f"project:{n}")
    login(me)
    with count_queries() as counter:
        response = client.get(url("live.notifications"))
    assert response.status_code == 200
    assert counter.count <= 6, counter.count
    page = response.get_data(as_text=True)
    assert "News 24" in page and "Page 1 of 2" in page
    fragment = client.get(url("live.notifications", page=2), headers=hx("notification-list"))
    assert "<html" not in fragment.get_data(as_text=True)


# --- Issue 10.7: notifications are put into words in the reader's language, when read -------

def test_a_notification_is_shown_in_the_language_the_reader_uses_now(app, client, login, url):
    ana = make_user(name="Ana García", language="es")
    claire = make_user(name="Claire Dubois", language="fr")
    login(claire)
    assert client.post(url("live.ask_contact", user_id=ana.id)).status_code == 303
    switch(client, ana)  # her account prefers Spanish
    page = client.get(url("live.notifications")).get_data(as_text=True)
    assert "Claire Dubois te ha enviado una solicitud de contacto" in page
    client.post(url("portal.set_language"), data={"lang": "en"})
    page = client.get(url("live.notifications")).get_data(as_text=True)
    assert "Claire Dubois asks to be your contact" in page and "te ha enviado" not in page
    # What is stored is what happened, not words in one language.
    row = Notification.get(Notification.recipient == ana.id)
    assert row.message == "contact_request"
    assert json.loads(row.params) == {"name": "Claire Dubois"}
    # Grouped events are counted in the reader's words too, in the page and its fragment.
    for _ in range(3):
        notify.notify(app.config, ana, "message", "thread:7", "message",
                      url("live.mail_thread", thread_id=7), name="Claire Dubois")
    for response in (client.get(url("live.notifications")),
                     client.get(url("live.notifications", page=1),
                                headers=hx("notification-list"))):
        page = response.get_data(as_text=True)
        assert "3 new messages from Claire Dubois" in page and "mensajes" not in page
    client.post(url("portal.set_language"), data={"lang": "es"})
    page = client.get(url("live.notifications")).get_data(as_text=True)
    assert "3 mensajes nuevos de Claire Dubois" in page


def test_digests_and_instant_mail_speak_the_recipients_preferred_language(app, url):
    ana = make_user(email="ana@example.org", name="Ana García", language="es")
    ben = make_user(email="ben@example.org", language="es")
    notify.set_preferences(ben, {"project_invitation": "instant"})
    link = url("live.project", project_id=3)
    with app.test_request_context(headers={"Accept-Language": "en"}):  # an English sender
        for person in (ana, ben):
            notify.notify(app.config, person, "project_invitation", "project:3",
                          "project_invitation", link, name="Olena Kovalenko",
                          title="Letters from Lviv")
    instant = OutboxMail.get(OutboxMail.to_address == "ben@example.org")
    assert instant.subject == "Olena Kovalenko te invita al proyecto «Letters from Lviv»"
    # Ana changes her language before the daily summary goes out: it is in English.
    ana.language = "en"
    ana.save()
    with app.app_context():
        assert notify.send_digests(app.config, "daily") == 1
    digest = OutboxMail.get(OutboxMail.to_address == "ana@example.org")
    assert digest.subject == "Your OpenTwin summary: 1 new"
    assert "Olena Kovalenko invites you to the project “Letters from Lviv”" in digest.body
    assert "te invita" not in digest.body


def test_notifications_stored_before_still_show_their_words(app, client, login, url):
    me = make_user(language="en")
    Notification.create(recipient=me, kind="contact_request", subject_key="contact:1",
                        text="Claire Dubois quiere contactar contigo", link=url("live.contacts"))
    Notification.create(recipient=me, kind="event", subject_key="event:1",
                        text="Words from a retired message", message="no_longer_there",
                        params="{}")
    Notification.create(recipient=me, kind="message", subject_key="thread:1",
                        text="Broken parameters", message="message", params="{}")
    login(me)
    page = client.get(url("live.notifications")).get_data(as_text=True)
    for words in ("Claire Dubois quiere contactar contigo", "Words from a retired message",
                  "Broken parameters"):
        assert words in page


def test_an_unknown_message_is_refused_when_made(app):
    me = make_user()
    with pytest.raises(ValueError):
        notify.notify(app.config, me, "message", "thread:1", "no such message")


SAMPLE = {"name": "Olena Kovalenko", "title": "Letters from Lviv", "space": "Rivers"}


def test_every_message_has_words_in_english_and_spanish(app):
    with app.test_request_context():
        for message in notify.MESSAGES:
            row = Notification(message=message, params=json.dumps(SAMPLE), count=2,
                               text="fallback")
            with force_locale("en"):
                english = notify.words(row)
            with force_locale("es"):
                spanish = notify.words(row)
            assert english != "fallback" and spanish != "fallback", message
            assert english != spanish, message
