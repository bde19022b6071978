"""L-14: internal mail: compose to contacts and partners, read, reply, Deleted, purge, and
who may do what."""
import pytest
from flask import url_for
from playhouse.test_utils import count_queries

from models import (Contact, ContactState, MailFolder, MailMessage, MailRecipient, MailThread,
                    Notification, PartnerState, Project, ProjectPartner, Role)
from tests.conftest import hx
from tests.factories import make_user


def contacts(a, b):
    return Contact.create(requester=a, addressee=b, state=ContactState.ACCEPTED)


def send(client, to_ids, subject="Hello", body="Shall we work together?", to=None):
    with client.application.test_request_context():
        address = url_for("live.mail_new", **({"to": to} if to else {}))
    return client.post(address, data={"recipients": [str(i) for i in to_ids],
                                      "subject": subject, "body": body})


def test_compose_to_a_contact_then_read_and_reply(client, login, url):
    claire, giulia = make_user(name="Claire"), make_user(name="Giulia")
    contacts(claire, giulia)
    login(claire)
    page = client.get(url("live.mail_new")).get_data(as_text=True)
    assert "Giulia" in page and 'name="recipients"' in page
    response = send(client, [giulia.id], body="See https://example.org now\r\n\r\nBye & 2 > 1")
    assert response.status_code == 303
    thread = MailThread.get()
    assert response.headers["Location"].endswith(url("live.mail_thread", thread_id=thread.id))
    copies = {r.user_id: r for r in MailRecipient.select()}
    assert copies[giulia.id].read_at is None and copies[claire.id].read_at is not None
    note = Notification.get(Notification.recipient == giulia.id)
    assert (note.kind, note.subject_key, note.text) == (
        "message", f"thread:{thread.id}", "1 new message from Claire")
    assert note.link == url("live.mail_thread", thread_id=thread.id)

    login(giulia)
    inbox = client.get(url("live.mail_inbox")).get_data(as_text=True)
    assert "You have 1 unread message." in inbox and "Hello" in inbox and "1 unread" in inbox
    assert "With Claire" in inbox
    page = client.get(url("live.mail_thread", thread_id=thread.id)).get_data(as_text=True)
    # Plain text shows as typed, with its web address a link (issue 14: stored as HTML).
    assert ('<p>See <a href="https://example.org">https://example.org</a> now</p>'
            '<p>Bye &amp; 2 &gt; 1</p>') in page
    assert MailRecipient.get(MailRecipient.user == giulia.id).read_at is not None
    assert Notification.get_by_id(note.id).read_at is not None
    assert "You have no unread messages." in client.get(url("live.mail_inbox")).get_data(
        as_text=True)

    response = client.post(url("live.mail_reply", thread_id=thread.id), data={"body": "Yes!"})
    assert response.status_code == 303
    reply = MailMessage.select().order_by(MailMessage.id.desc()).get()
    assert reply.sender_id == giulia.id and reply.body == "<p>Yes!</p>"
    assert {r.user_id: r.read_at is None for r in reply.recipients} == {
        claire.id: True, giulia.id: False}
    assert Notification.get(Notification.recipient == claire.id).text == (
        "1 new message from Giulia")


def test_three_messages_in_one_thread_are_one_notification_with_count_3(client, login, url):
    claire, giulia = make_user(name="Claire"), make_user(name="Giulia")
    contacts(claire, giulia)
    login(claire)
    send(client, [giulia.id])
    thread = MailThread.get()
    client.post(url("live.mail_reply", thread_id=thread.id), data={"body": "Two"})
    client.post(url("live.mail_reply", thread_id=thread.id), data={"body": "Three"})
    notes = list(Notification.select().where(Notification.recipient == giulia.id))
    assert len(notes) == 1 and notes[0].count == 3 and notes[0].read_at is None
    assert notes[0].text == "3 new messages from Claire"
    login(giulia)
    page = client.get(url("live.mail_inbox")).get_data(as_text=True)
    assert "You have 3 unread messages." in page
    assert 'Mail <span class="count">3</span><span class="visually-hidden"> unread' in page
    assert 'Notifications<span id="notifications-count"> <span class="count">1</span>' in page


def test_recipients_are_contacts_partners_and_the_person_from_the_profile(client, login, url):
    me = make_user(name="Me")
    contact, partner, stranger = (make_user(name="Contact"), make_user(name="Partner"),
                                  make_user(name="Stranger"))
    pending_partner = make_user(name="Invited")
    contacts(contact, me)
    Contact.create(requester=me, addressee=stranger)  # pending: not a contact
    project = Project.create(title="Rivers", founder=me)
    ProjectPartner.create(project=project, user=me, state=PartnerState.ACCEPTED)
    ProjectPartner.create(project=project, user=partner, state=PartnerState.ACCEPTED)
    ProjectPartner.create(project=project, user=pending_partner, state=PartnerState.INVITED)
    login(me)
    page = client.get(url("live.mail_new")).get_data(as_text=True)
    assert "Contact" in page and "Partner" in page
    assert "Stranger" not in page and "Invited" not in page
    response = send(client, [stranger.id])
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Choose people from the list" in body and 'aria-invalid' not in body.split(
        "recipients")[0][-10:]
    assert "<title>Error:" in body
    response = send(client, [])
    assert response.status_code == 422
    assert "Choose at least one person to write to" in response.get_data(as_text=True)
    assert send(client, ["abc"]).status_code == 422
    assert MailThread.select().count() == 0
    # From the stranger's profile: preselected and allowed, though not a contact.
    page = client.get(url("live.mail_new", to=stranger.id)).get_data(as_text=True)
    assert f'value="{stranger.id}" checked' in page
    assert send(client, [stranger.id, partner.id], to=stranger.id).status_code == 303
    assert {r.user_id for r in MailRecipient.select()} == {me.id, stranger.id, partner.id}
    # A `to` that is not somebody one may write to is ignored.
    student = make_user(Role.STUDENT, name="Pupil")
    assert "Pupil" not in client.get(url("live.mail_new", to=student.id)).get_data(as_text=True)
    assert send(client, [student.id], to=student.id).status_code == 422


def test_subject_and_body_are_required_and_limited(client, login):
    me, other = make_user(), make_user()
    contacts(me, other)
    login(me)
    response = send(client, [other.id], subject="", body="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a subject" in page and "Write your message" in page
    response = send(client, [other.id], body="x" * 10001)
    assert response.status_code == 422
    assert "at most 10,000 characters" in response.get_data(as_text=True)
    assert send(client, [other.id], body="x" * 10000).status_code == 303


@pytest.mark.parametrize("who", ["unvalidated", "student", "visitor"])
def test_only_validated_teachers_and_staff_write(client, login, who, url):
    other = make_user()
    user = {"unvalidated": lambda: make_user(validated=False),
            "student": lambda: make_user(Role.STUDENT),
            "visitor": lambda: make_user(Role.VISITOR)}[who]()
    contacts(user, other)
    login(user)
    assert client.get(url("live.mail_new")).status_code == 403
    assert send(client, [other.id]).status_code == 403
    # They still read their own inbox, and a thread they received, without a reply form.
    thread = MailThread.create(subject="Hi")
    message = MailMessage.create(thread=thread, sender=other, body="Hello")
    MailRecipient.create(message=message, user=user)
    assert client.get(url("live.mail_inbox")).status_code == 200
    page = client.get(url("live.mail_thread", thread_id=thread.id)).get_data(as_text=True)
    assert "Hello" in page and "Send reply" not in page
    assert client.post(url("live.mail_reply", thread_id=thread.id),
                       data={"body": "x"}).status_code == 403


def test_staff_may_write(client, login):
    staff, teacher = make_user(Role.NSS), make_user(name="Teacher")
    login(staff)
    assert send(client, [teacher.id], to=teacher.id).status_code == 303


def test_anonymous_visitors_are_sent_to_log_in(client, url):
    for address in (url("live.mail_inbox"), url("live.mail_new"),
                    url("live.mail_thread", thread_id=1), url("live.mail_deleted")):
        response = client.get(address)
        assert response.status_code in (302, 303) and url("auth.login") in response.headers[
            "Location"]


def test_another_users_thread_is_404_everywhere(client, login, url):
    a, b, outsider = make_user(), make_user(), make_user()
    contacts(a, b)
    login(a)
    send(client, [b.id])
    thread = MailThread.get()
    login(outsider)
    assert client.get(url("live.mail_thread", thread_id=thread.id)).status_code == 404
    for action in ("reply", "delete", "restore", "purge"):
        assert client.post(url("live.mail_" + action, thread_id=thread.id),
                           data={"body": "x"}).status_code == 404, action
    assert client.get(url("live.mail_purge", thread_id=thread.id)).status_code == 404
    assert client.get(url("live.mail_thread", thread_id=99999)).status_code == 404
    assert MailRecipient.select().where(MailRecipient.user == outsider.id).count() == 0
    assert "Hello" not in client.get(url("live.mail_inbox")).get_data(as_text=True)


def test_delete_restore_and_purge_only_my_copies(client, login, url):
    a, b = make_user(), make_user()
    contacts(a, b)
    login(b)
    send(client, [a.id], subject="Plans")
    thread = MailThread.get()
    login(a)
    assert client.post(url("live.mail_delete", thread_id=thread.id)).status_code == 303
    assert "Plans" not in client.get(url("live.mail_inbox")).get_data(as_text=True)
    assert "Plans" in client.get(url("live.mail_deleted")).get_data(as_text=True)
    assert MailRecipient.get(MailRecipient.user == a.id).folder == MailFolder.DELETED
    assert MailRecipient.get(MailRecipient.user == b.id).folder == MailFolder.INBOX
    page = client.get(url("live.mail_thread", thread_id=thread.id)).get_data(as_text=True)
    assert "Restore to inbox" in page and "Delete for good" in page
    assert client.post(url("live.mail_restore", thread_id=thread.id)).status_code == 303
    assert "Plans" in client.get(url("live.mail_inbox")).get_data(as_text=True)
    client.post(url("live.mail_delete", thread_id=thread.id))
    confirm = client.get(url("live.mail_purge", thread_id=thread.id))
    assert confirm.status_code == 200 and "Delete “Plans” for good?" in confirm.get_data(
        as_text=True)
    assert client.post(url("live.mail_purge", thread_id=thread.id)).status_code == 303
    assert MailRecipient.select().where(MailRecipient.user == a.id).count() == 0
    assert client.get(url("live.mail_thread", thread_id=thread.id)).status_code == 404
    assert "Plans" not in client.get(url("live.mail_deleted")).get_data(as_text=True)
    # b keeps their copy; a has left the conversation, so there is nobody to reply to.
    login(b)
    assert client.get(url("live.mail_thread", thread_id=thread.id)).status_code == 200
    response = client.post(url("live.mail_reply", thread_id=thread.id),
                           data={"body": "Still there?"})
    assert response.status_code == 303
    assert MailMessage.select().count() == 1
    assert MailRecipient.select().where(MailRecipient.user == a.id).count() == 0


def test_a_reply_without_text_shows_the_error_next_to_the_field(client, login, url):
    a, b = make_user(), make_user()
    contacts(a, b)
    login(a)
    send(client, [b.id])
    thread = MailThread.get()
    response = client.post(url("live.mail_reply", thread_id=thread.id), data={"body": ""})
    assert response.status_code == 422
    assert "Write your reply" in response.get_data(as_text=True)
    assert MailMessage.select().count() == 1


def test_inbox_is_an_htmx_partial_and_needs_few_queries(client, login, url):
    me = make_user()
    for n in range(20):
        other = make_user(name=f"Person {n}")
        thread = MailThread.create(subject=f"Thread {n}")
        for k in range(2):
            message = MailMessage.create(thread=thread, sender=other, body=f"Body {k}")
            MailRecipient.create(message=message, user=me)
            MailRecipient.create(message=message, user=other)
    login(me)
    with count_queries() as counter:
        response = client.get(url("live.mail_inbox"))
    assert response.status_code == 200
    assert counter.count <= 6, counter.count
    page = response.get_data(as_text=True)
    assert page.count("2 unread") == 20 and "You have 40 unread messages." in page
    fragment = client.get(url("live.mail_inbox"), headers=hx("mail-list")).get_data(as_text=True)
    assert "<html" not in fragment and "Thread 19" in fragment
