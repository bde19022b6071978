"""T-14: TwinMail: the same mailbox as Live mail inside a space; writing to the space's
members (pupils and guests only to people who share a space with them); attachments, and
who may download them. Mail is a shared feature: every test runs once per kind of space
(`space_kind`), with the parent's own word for the space's mail."""
import io

from PIL import Image
from playhouse.test_utils import count_queries

from models import (MailAttachment, MailFolder, MailMessage, MailRecipient, MailThread,
                    Notification, Role, SpaceRole, StoredFile)
from services import spaces
from blueprints.spaces import parents
from tests.conftest import log_out, switch
from tests.factories import make_space, make_user
from tests.views.test_mail import contacts


def class_of(kind, title="Rivers"):
    teacher = make_user(name="Ana Teacher")
    space = make_space(teacher, kind, title=title)
    pupil = make_user(Role.STUDENT, name="Lucia Pupil")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    return space, teacher, pupil


def text_file(name="notes.txt", body=b"Water samples: 12\n"):
    return (io.BytesIO(body), name)


def png_file(name="river.png"):
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(out, "PNG")
    out.seek(0)
    return (out, name)


def write(client, space, to_ids, subject="Our river", body="Look at this", files=None,
          to=None):
    data = {"recipients": [str(i) for i in to_ids], "subject": subject, "body": body}
    if files is not None:
        data["attachments"] = files
    with client.application.test_request_context():
        address = parents.url_for_space(space, "mail_new", **({"to": to} if to else {}))
    return client.post(address, data=data, content_type="multipart/form-data")


def test_a_pupil_writes_to_her_teacher_from_the_space(client, login, space_kind, space_url,
                                                     url):
    space, teacher, pupil = class_of(space_kind)
    mail = parents.of(space).words["mail"]
    guest = make_user(Role.VISITOR, name="Guest Mum")
    spaces.join(space, guest, SpaceRole.VISITOR)
    login(pupil)
    page = client.get(space_url(space, "mail_new")).get_data(as_text=True)
    # One field of checkboxes, grouped by type, each group a fieldset with its legend.
    assert "<legend>Teachers</legend>" in page and "<legend>Guests</legend>" in page
    assert "<legend>Pupils</legend>" not in page  # she is the only pupil: not herself
    assert 'id="recipients-0"' in page and f'value="{teacher.id}"' in page
    assert f'value="{pupil.id}"' not in page
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "multiple" in page
    response = write(client, space, [teacher.id], body="Hello teacher")
    assert response.status_code == 303
    thread = MailThread.get()
    assert thread.space_id == space.id
    here = space_url(space, "mail_thread", thread_id=thread.id)
    assert response.headers["Location"].endswith(here)
    note = Notification.get(Notification.recipient == teacher.id)
    assert note.link == here

    switch(client, teacher)
    inbox = client.get(space_url(space, "mail")).get_data(as_text=True)
    assert (f'{mail} <span class="count">1<span class="visually-hidden"> unread'
            in inbox)
    assert f'href="{here}"' in inbox
    assert "You have 1 unread message." in inbox
    # The same thread in Live: one mailbox.
    assert "Our river" in client.get(url("live.mail_inbox")).get_data(as_text=True)
    page = client.get(here).get_data(as_text=True)
    assert "Hello teacher" in page and "Send reply" in page
    assert f'{mail} <span class="count">' not in page  # read now, also in the nav
    assert MailRecipient.get(MailRecipient.user == teacher.id).read_at is not None
    assert Notification.get_by_id(note.id).read_at is not None
    assert client.post(space_url(space, "mail_reply", thread_id=thread.id),
                       data={"body": "Well done"}).status_code == 303
    reply = MailMessage.select().order_by(MailMessage.id.desc()).get()
    assert {r.user_id for r in reply.recipients} == {teacher.id, pupil.id}


def test_pupils_and_guests_write_only_to_members_of_their_spaces(client, login, space_kind,
                                                                 space_url, url):
    space, teacher, pupil = class_of(space_kind)
    other_space, other_teacher, _other_pupil = class_of(space_kind, "Mountains")
    stranger = make_user(name="Stranger")
    contacts(pupil, stranger)  # even a "contact" is not a recipient for a pupil
    login(pupil)
    for person in (other_teacher, stranger):
        response = write(client, space, [teacher.id, person.id], body="Typed text stays")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Choose people from the list: the members of this space" in page
        assert 'id="recipients-error"' in page and "Typed text stays" in page
    assert write(client, space, []).status_code == 422
    assert MailThread.select().count() == 0
    # Live compose stays closed to pupils, and another space's mail does not exist for them.
    assert client.get(url("live.mail_new")).status_code == 403
    assert client.get(space_url(other_space, "mail")).status_code == 404
    assert write(client, other_space, [other_teacher.id]).status_code == 404
    assert MailThread.select().count() == 0

    guest = make_user(Role.VISITOR, name="Guest")
    spaces.join(space, guest, SpaceRole.VISITOR)
    switch(client, guest)
    assert write(client, space, [pupil.id, teacher.id]).status_code == 303
    assert write(client, space, [other_teacher.id]).status_code == 422


def test_a_teacher_writes_to_pupils_in_the_space_but_not_from_live(client, login, space_kind,
                                                                   space_url, url):
    space, teacher, pupil = class_of(space_kind)
    login(teacher)
    assert "Lucia Pupil" not in client.get(url("live.mail_new")).get_data(as_text=True)
    assert client.post(url("live.mail_new"), data={
        "recipients": [str(pupil.id)], "subject": "s", "body": "b"}).status_code == 422
    page = client.get(space_url(space, "mail_new", to=pupil.id)).get_data(as_text=True)
    assert "<legend>Pupils</legend>" in page and f'value="{pupil.id}" checked' in page
    assert write(client, space, [pupil.id], to=pupil.id).status_code == 303
    assert {r.user_id for r in MailRecipient.select()} == {teacher.id, pupil.id}


def test_unvalidated_teachers_do_not_write_from_the_space_either(client, login, space_kind,
                                                                 space_url):
    space, _teacher, pupil = class_of(space_kind)
    newcomer = make_user(validated=False)
    spaces.join(space, newcomer, SpaceRole.TEACHER)
    login(newcomer)
    assert client.get(space_url(space, "mail")).status_code == 200
    assert client.get(space_url(space, "mail_new")).status_code == 404
    assert write(client, space, [pupil.id]).status_code == 404


def test_a_pupils_reply_reaches_only_people_who_share_a_space_with_her(client, login,
                                                                       space_kind, space_url,
                                                                       url):
    space, teacher, pupil = class_of(space_kind)
    visiting = make_user(name="Visiting Teacher")
    spaces.join(space, visiting, SpaceRole.TEACHER)
    login(teacher)
    write(client, space, [pupil.id, visiting.id])
    thread = MailThread.get()
    spaces.leave(space, visiting)  # now shares no space with the pupil
    switch(client, pupil)
    here = space_url(space, "mail_thread", thread_id=thread.id)
    page = client.get(here).get_data(as_text=True)
    assert "Send reply" in page
    assert client.post(space_url(space, "mail_reply", thread_id=thread.id),
                       data={"body": "Thanks"}).status_code == 303
    reply = MailMessage.select().order_by(MailMessage.id.desc()).get()
    assert {r.user_id for r in reply.recipients} == {teacher.id, pupil.id}
    # A Live thread link in the Live inbox sends a pupil to the space, where she can reply.
    live = client.get(url("live.mail_inbox")).get_data(as_text=True)
    assert f'href="{here}"' in live
    word = parents.of(space).words["word"]
    assert f"Open it in the {word} to reply" in client.get(
        url("live.mail_thread", thread_id=thread.id)).get_data(as_text=True)
    # And from Live, no replies for pupils (their Live rules are unchanged).
    assert client.post(url("live.mail_reply", thread_id=thread.id),
                       data={"body": "x"}).status_code == 403


def test_delete_restore_and_purge_from_the_space(client, login, space_kind, space_url):
    space, teacher, pupil = class_of(space_kind)
    login(teacher)
    write(client, space, [pupil.id], subject="Plans")
    thread = MailThread.get()
    switch(client, pupil)

    def at(endpoint, **values):
        return space_url(space, endpoint, **values)
    inbox, one = at("mail"), {"thread_id": thread.id}
    response = client.post(at("mail_delete", **one))
    assert response.status_code == 303 and response.headers["Location"].endswith(inbox)
    assert "Plans" not in client.get(inbox).get_data(as_text=True)
    assert "Plans" in client.get(at("mail_deleted")).get_data(as_text=True)
    assert MailRecipient.get(MailRecipient.user == pupil.id).folder == MailFolder.DELETED
    page = client.get(at("mail_thread", **one)).get_data(as_text=True)
    assert f'action="{at("mail_restore", **one)}"' in page and at("mail_purge", **one) in page
    assert client.post(at("mail_restore", **one)).status_code == 303
    assert "Plans" in client.get(inbox).get_data(as_text=True)
    client.post(at("mail_delete", **one))
    confirm = client.get(at("mail_purge", **one))
    assert confirm.status_code == 200 and "Delete “Plans” for good?" in confirm.get_data(
        as_text=True)
    response = client.post(at("mail_purge", **one))
    assert response.headers["Location"].endswith(at("mail_deleted"))
    assert client.get(at("mail_thread", **one)).status_code == 404
    assert MailRecipient.get(MailRecipient.user == teacher.id).folder == MailFolder.INBOX


def test_other_peoples_threads_and_other_spaces_are_404(client, login, space_kind, space_url,
                                                        url):
    space, teacher, pupil = class_of(space_kind)
    classmate = make_user(Role.STUDENT)
    spaces.join(space, classmate, SpaceRole.STUDENT)
    outsider = make_user()
    login(teacher)
    write(client, space, [pupil.id])
    thread = MailThread.get()

    def at(endpoint, **values):
        return space_url(space, endpoint, **values)
    one = {"thread_id": thread.id}
    switch(client, classmate)  # a member of the space, not of the thread
    assert client.get(at("mail_thread", **one)).status_code == 404
    for action in ("reply", "delete", "restore", "purge"):
        assert client.post(at("mail_" + action, **one),
                           data={"body": "x"}).status_code == 404, action
    assert "Our river" not in client.get(at("mail")).get_data(as_text=True)
    switch(client, outsider)  # not a member of the space at all
    for address in (at("mail"), at("mail_deleted"), at("mail_new"), at("mail_thread", **one),
                    at("mail_purge", **one)):
        assert client.get(address).status_code == 404, address
    assert client.post(at("mail_delete", **one)).status_code == 404
    assert MailRecipient.get(MailRecipient.user == pupil.id).folder == MailFolder.INBOX
    log_out(client)
    response = client.get(at("mail"))
    assert response.status_code in (302, 303)
    assert url("auth.login") in response.headers["Location"]


def test_attachments_are_sent_listed_and_only_for_the_thread(client, login, space_kind,
                                                             space_url, url):
    space, teacher, pupil = class_of(space_kind)
    classmate, outsider = make_user(Role.STUDENT), make_user()
    spaces.join(space, classmate, SpaceRole.STUDENT)
    login(pupil)
    response = write(client, space, [teacher.id], files=[text_file(), png_file()])
    assert response.status_code == 303
    thread = MailThread.get()
    files = {a.file.original_name: a.file for a in MailAttachment.select()}
    assert set(files) == {"notes.txt", "river.png"}
    assert all(f.owner_id == pupil.id for f in files.values())
    note = files["notes.txt"]
    note_url, png_url = url("portal.file", file_id=note.id), url(
        "portal.file", file_id=files["river.png"].id)
    switch(client, teacher)
    page = client.get(space_url(space, "mail_thread", thread_id=thread.id)).get_data(
        as_text=True)
    assert "2 attachments" in page and "notes.txt" in page and "18 Bytes" in page
    assert f'href="{note_url}"' in page
    download = client.get(note_url)
    assert download.status_code == 200 and download.data == b"Water samples: 12\n"
    assert "attachment" in download.headers["Content-Disposition"]
    # The same list in Live.
    assert f'href="{note_url}"' in client.get(
        url("live.mail_thread", thread_id=thread.id)).get_data(as_text=True)
    for person in (classmate, outsider):
        switch(client, person)
        assert client.get(note_url).status_code == 404
        assert client.get(png_url).status_code == 404
    log_out(client)
    assert client.get(note_url).status_code == 404
    # The recipient purges the thread: the file is gone for them; the sender still has it.
    switch(client, teacher)
    client.post(space_url(space, "mail_delete", thread_id=thread.id))
    client.post(space_url(space, "mail_purge", thread_id=thread.id))
    assert client.get(note_url).status_code == 404
    switch(client, pupil)
    assert client.get(note_url).status_code == 200


def test_a_refused_attachment_keeps_what_was_typed(client, login, space_kind):
    space, teacher, pupil = class_of(space_kind)
    login(pupil)
    page_file = (io.BytesIO(b"<!doctype html><script>alert(1)</script>"), "page.html")
    response = write(client, space, [teacher.id], subject="Kept subject", body="Kept body",
                     files=[text_file(), page_file])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“page.html” cannot be sent" in page and 'id="attachments-error"' in page
    assert 'aria-invalid="true"' in page and "<title>Error:" in page
    assert 'value="Kept subject"' in page and "Kept body" in page
    assert f'value="{teacher.id}" checked' in page
    assert MailThread.select().count() == 0 and MailAttachment.select().count() == 0
    assert StoredFile.select().count() == 0
    six = [text_file(f"n{i}.txt", f"note {i}".encode()) for i in range(6)]
    response = write(client, space, [teacher.id], files=six)
    assert response.status_code == 422
    assert "Attach at most 5 files" in response.get_data(as_text=True)
    five = [text_file(f"n{i}.txt", f"note {i}".encode()) for i in range(5)]
    assert write(client, space, [teacher.id], files=five).status_code == 303
    assert MailAttachment.select().count() == 5
    empty = write(client, space, [teacher.id], files=[text_file("empty.txt", b"")])
    assert empty.status_code == 422 and "“empty.txt” is empty" in empty.get_data(as_text=True)


def test_replies_carry_attachments_in_live_and_in_the_space(client, login, space_kind,
                                                            space_url, url):
    space, teacher, pupil = class_of(space_kind)
    colleague = make_user(name="Colleague")
    contacts(teacher, colleague)
    login(teacher)
    response = client.post(url("live.mail_new"), data={
        "recipients": [str(colleague.id)], "subject": "Live", "body": "With a file",
        "attachments": [text_file("plan.txt")]}, content_type="multipart/form-data")
    assert response.status_code == 303
    live_thread = MailThread.get(MailThread.subject == "Live")
    assert live_thread.space_id is None
    switch(client, colleague)
    live_reply = url("live.mail_reply", thread_id=live_thread.id)
    assert client.post(live_reply, data={
        "body": "Answer", "attachments": [png_file("answer.png")]},
        content_type="multipart/form-data").status_code == 303
    bad = client.post(live_reply, data={
        "body": "Typed reply",
        "attachments": [(io.BytesIO(b"\x7fELF\x02\x01\x01" + bytes(80)), "x.bin")]},
        content_type="multipart/form-data")
    assert bad.status_code == 422 and "Typed reply" in bad.get_data(as_text=True)
    assert "“x.bin” cannot be sent" in bad.get_data(as_text=True)
    names = {a.file.original_name for a in MailAttachment.select()}
    assert names == {"plan.txt", "answer.png"}
    switch(client, teacher)
    write(client, space, [pupil.id])
    thread = MailThread.get(MailThread.space == space)
    switch(client, pupil)
    assert client.post(space_url(space, "mail_reply", thread_id=thread.id), data={
        "body": "Here", "attachments": [text_file("homework.txt")]},
        content_type="multipart/form-data").status_code == 303
    stored = StoredFile.get(StoredFile.original_name == "homework.txt")
    switch(client, teacher)
    assert client.get(url("portal.file", file_id=stored.id)).status_code == 200


def test_the_space_inbox_needs_few_queries(client, login, space_kind, space_url):
    space, teacher, pupil = class_of(space_kind)
    for n in range(15):
        thread = MailThread.create(subject=f"Thread {n}", space=space if n % 2 else None)
        message = MailMessage.create(thread=thread, sender=teacher, body="b")
        MailRecipient.create(message=message, user=pupil)
        MailRecipient.create(message=message, user=teacher)
    inbox = space_url(space, "mail")
    login(pupil)
    with count_queries() as counter:
        response = client.get(inbox)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    ids = [t.id for t in MailThread.select()]
    threads = {space_url(space, "mail_thread", thread_id=i) for i in ids}
    assert sum(page.count(f'href="{address}"') for address in threads) == 15
    assert f'{parents.of(space).words["mail"]} <span class="count">15<' in page
    assert counter.count <= 8, counter.count  # Live's 6, plus the space and my membership


def test_an_attachment_goes_only_to_those_who_got_its_message(client, login, space_kind,
                                                              space_url, url):
    """Holding some message of a thread is not enough: the file of a reply one did not
    receive (here: a co-teacher who left the space before the pupil replied) is 404."""
    space, teacher, pupil = class_of(space_kind)
    co = make_user(name="Co Teacher")
    spaces.join(space, co, SpaceRole.TEACHER)
    login(teacher)
    assert write(client, space, [pupil.id, co.id], body="hello both").status_code == 303
    thread = MailThread.get()
    spaces.leave(space, co)
    switch(client, pupil)
    response = client.post(space_url(space, "mail_reply", thread_id=thread.id),
                           data={"body": "only for my teacher",
                                 "attachments": [text_file("secret.txt", b"private\n")]},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    reply = MailMessage.select().order_by(MailMessage.id.desc()).first()
    file_id = MailAttachment.get(MailAttachment.message == reply).file_id
    switch(client, co)
    assert client.get(url("portal.file", file_id=file_id)).status_code == 404
    switch(client, teacher)
    assert client.get(url("portal.file", file_id=file_id)).data == b"private\n"
