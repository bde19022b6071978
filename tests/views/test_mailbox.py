"""Mail is a service (issue 11): Live mail (L-14), a space's mail (T-14) and "write to all
members" all go through services/mailbox.py, no blueprint reaches into another, and a thread
written in a space links into that space under its own parent (every registered parent)."""
import ast
import io
import pathlib

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import (MailAttachment, MailFolder, MailMessage, MailThread, Notification, Role,
                    Space, SpaceRole, StoredFile, utcnow)
from services import mailbox, spaces
from tests.conftest import switch
from tests.factories import make_user
from tests.views.test_mail import contacts

ROOT = pathlib.Path(__file__).resolve().parents[2]


def url(app, endpoint, **values):
    with app.test_request_context():
        return url_for(endpoint, **values)


def in_space(app, space, endpoint, **values):
    """A shared page of `space` under its own parent."""
    with app.test_request_context():
        return parents.url_for_space(space, endpoint, **values)


def space_of(parent, title="Rivers"):
    """A space of `parent`'s kind with a teacher and a pupil."""
    space = Space.create(kind=parent.kind, title=f"{title} ({parent.kind})")
    teacher = make_user(name="Ana Teacher")
    pupil = make_user(Role.STUDENT, name="Lucia Pupil")
    spaces.join(space, teacher, SpaceRole.ADMIN)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    return space, teacher, pupil


def spy_on_deliver(monkeypatch):
    """Record every message the service delivers (and deliver it)."""
    calls = []
    real = mailbox.deliver

    def deliver(thread, sender, body, recipients, config, files=()):
        calls.append((thread.id, sender.id, body))
        return real(thread, sender, body, recipients, config, files)
    monkeypatch.setattr(mailbox, "deliver", deliver)
    return calls


def test_live_mail_the_spaces_mail_and_write_to_all_go_through_the_service(
        app, client, login, monkeypatch):
    calls = spy_on_deliver(monkeypatch)
    parent = parents.all_parents()[0]
    space, teacher, pupil = space_of(parent)
    colleague = make_user(name="Colleague")
    contacts(teacher, colleague)
    login(teacher)
    # Live: compose and reply.
    assert client.post(url(app, "live.mail_new"), data={
        "recipients": [str(colleague.id)], "subject": "Live", "body": "from Live"}
    ).status_code == 303
    live_thread = MailThread.get(MailThread.subject == "Live")
    assert client.post(url(app, "live.mail_reply", thread_id=live_thread.id),
                       data={"body": "Live reply"}).status_code == 303
    # The space: compose and reply, then "write to all members".
    assert client.post(in_space(app, space, "mail_new"), data={
        "recipients": [str(pupil.id)], "subject": "Space", "body": "from the space"}
    ).status_code == 303
    space_thread = MailThread.get(MailThread.subject == "Space")
    assert client.post(in_space(app, space, "mail_reply", thread_id=space_thread.id),
                       data={"body": "space reply"}).status_code == 303
    assert client.post(in_space(app, space, "members_message"), data={
        "subject": "All", "body": "to everybody"}).status_code == 303
    assert [body for _t, _s, body in calls] == [
        "from Live", "Live reply", "from the space", "space reply", "to everybody"]
    assert MailMessage.select().count() == 5


def _imports(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_no_blueprint_reaches_into_another_for_mail():
    """No blueprint imports another blueprint's private names or its mail views; the service
    takes no request objects."""
    for path in sorted((ROOT / "blueprints").rglob("*.py")):
        package = path.relative_to(ROOT / "blueprints").parts[0]
        for module, names in _imports(path):
            parts = module.split(".")
            if parts[0] != "blueprints" or len(parts) < 2 or parts[1] == package:
                continue
            assert module != "blueprints.live.mail", path
            assert not [n for n in names if n.startswith("_")], (path, module, names)
            assert "mail" not in names or module != "blueprints.live", path
    source = (ROOT / "services" / "mailbox.py").read_text()
    for module, names in _imports(ROOT / "services" / "mailbox.py"):
        assert not module.startswith("flask") or names == ["url_for"], (module, names)
    assert "current_user" not in source and "request." not in source
    for name in ("blueprints/spaces/mail.py", "blueprints/spaces/members.py",
                 "blueprints/live/mail.py"):
        text = (ROOT / name).read_text()
        assert "template=" not in text and "ep=LIVE" not in text and "SPACE_THREAD" not in text


def test_a_space_thread_links_into_its_space_under_its_own_parent(app, client, login):
    for parent in parents.all_parents():
        space, teacher, pupil = space_of(parent)
        outside = make_user(name="Co Teacher")  # a teacher who will leave the space
        spaces.join(space, outside, SpaceRole.TEACHER)
        login(teacher)
        response = client.post(in_space(app, space, "mail_new"), data={
            "recipients": [str(pupil.id), str(outside.id)], "subject": "Boots",
            "body": "Friday"})
        thread = MailThread.get(MailThread.space == space)
        here = url(app, parent.endpoint("mail_thread"), space_id=space.id, thread_id=thread.id)
        assert here.startswith(f"{parent.blueprint.url_prefix}/{space.id}/")
        assert response.headers["Location"].endswith(here)
        # The notification of a new message opens the thread in its space, for its members.
        note = Notification.get(Notification.recipient == pupil.id)
        assert note.link == here
        assert Notification.get(Notification.recipient == outside.id).link == here
        # Somebody no longer in the space is told about a reply with a link into Live.
        spaces.leave(space, outside)
        assert client.post(url(app, "live.mail_reply", thread_id=thread.id),
                           data={"body": "Rain boots"}).status_code == 303
        assert Notification.get(Notification.recipient == outside.id).link == url(
            app, "live.mail_thread", thread_id=thread.id)
        # From Live, a pupil (who cannot write there) is sent to the thread in the space.
        switch(client, pupil)
        assert f'href="{here}"' in client.get(url(app, "live.mail_inbox")).get_data(
            as_text=True)
        page = client.get(url(app, "live.mail_thread", thread_id=thread.id)).get_data(
            as_text=True)
        assert f'<a href="{here}">Open it in the {parent.words["word"]} to reply</a>' in page
        # The space's own mail pages speak with the parent's words.
        inbox = client.get(in_space(app, space, "mail")).get_data(as_text=True)
        assert f"<title>Inbox — {parent.words['mail']} — {space.title}" in inbox
        compose = client.get(in_space(app, space, "mail_new")).get_data(as_text=True)
        assert "The members of this space. Choose one or more." in compose
        client.post(url(app, "auth.logout"))


def test_a_pupil_out_of_the_threads_space_is_not_sent_to_it(app, client, login):
    """Refusal: once out of the space, the thread stays readable in Live (no reply) but no
    longer points into the space."""
    for parent in parents.all_parents():
        space, teacher, pupil = space_of(parent)
        other, _t, _p = space_of(parent, "Mountains")
        spaces.join(other, pupil, SpaceRole.STUDENT)  # still in a space: still logs in
        login(teacher)
        client.post(in_space(app, space, "mail_new"), data={
            "recipients": [str(pupil.id)], "subject": "Boots", "body": "Friday"})
        thread = MailThread.get(MailThread.space == space)
        spaces.leave(space, pupil)
        switch(client, pupil)
        page = client.get(url(app, "live.mail_thread", thread_id=thread.id)).get_data(
            as_text=True)
        assert "Friday" in page and "to reply" not in page and "Send reply" not in page
        inbox = client.get(url(app, "live.mail_inbox")).get_data(as_text=True)
        assert f'href="{url(app, "live.mail_thread", thread_id=thread.id)}"' in inbox
        assert client.get(in_space(app, space, "mail_thread",
                                   thread_id=thread.id)).status_code == 404
        client.post(url(app, "auth.logout"))


class Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def test_the_service_keeps_every_rule_without_a_request(app):
    """Plain calls: who holds a thread reads it, a closed space's thread takes no reply, a
    reply needs somebody left, and a refused file leaves nothing behind."""
    parent = parents.all_parents()[0]
    space, teacher, pupil = space_of(parent)
    outsider = make_user()
    with app.test_request_context():
        thread = mailbox.compose(teacher, "Plan", "Hello", [pupil, pupil], app.config,
                                 uploads=[Upload(b"notes\n", "notes.txt")], space=space)
        assert [r.user_id for r in MailMessage.get().recipients].count(pupil.id) == 1
        assert mailbox.readable_thread(pupil, thread.id) == thread
        assert mailbox.readable_thread(outsider, thread.id) is None
        assert mailbox.readable_thread(pupil, 99999) is None
        assert mailbox.unread(pupil).count() == 1
        mailbox.open_thread(pupil, thread)
        assert mailbox.unread(pupil).count() == 0
        view = mailbox.conversation(pupil, thread)
        assert view["in_inbox"] and not view["in_deleted"]
        assert [f.original_name for f in view["attachments"][view["messages"][0].id]] == [
            "notes.txt"]
        # A refused file: nothing stored, nothing sent.
        before = (MailMessage.select().count(), StoredFile.select().count())
        with pytest.raises(mailbox.AttachmentRefused) as refused:
            mailbox.reply(thread, pupil, "with a page", app.config, uploads=[
                Upload(b"ok\n", "ok.txt"), Upload(b"<!doctype html><p>x", "page.html")])
        assert refused.value.name == "page.html"
        assert (MailMessage.select().count(), StoredFile.select().count()) == before
        # Pupils reach only people who share a space with them.
        assert mailbox.reply_recipients(thread, pupil) == [teacher]
        spaces.leave(space, teacher)
        other, _t, _p = space_of(parent, "Mountains")
        spaces.join(other, pupil, SpaceRole.STUDENT)
        assert mailbox.reply_recipients(thread, pupil) == []
        with pytest.raises(mailbox.NobodyLeft):
            mailbox.reply(thread, pupil, "anyone?", app.config)
        # A closed space's thread takes no reply, from anybody.
        space.closed_at = utcnow()
        space.save()
        thread = MailThread.get_by_id(thread.id)
        with pytest.raises(mailbox.ThreadClosed):
            mailbox.reply(thread, teacher, "now?", app.config)
        assert MailMessage.select().count() == 1 and MailAttachment.select().count() == 1
        # Deleted, restore, purge: only my copies.
        mailbox.move(pupil, thread, MailFolder.DELETED)
        assert mailbox.conversation(pupil, thread)["in_deleted"]
        assert mailbox.conversation(teacher, thread)["in_inbox"]
        mailbox.purge(pupil, thread)
        assert mailbox.readable_thread(pupil, thread.id) is None
        assert mailbox.readable_thread(teacher, thread.id) == thread
