"""Issue 10.1 (L-10): closing a project makes its TwinSpace read-only for everybody — every
write path refuses (403, saying why), reading, the public view and the export go on, a notice
says so on every page of the space — and national staff reopening it make it writable again.
The rule is one check, permissions.space_is_writable(space), on the space's own state."""
import importlib.util
import io
import os

import pytest
from flask import url_for
from PIL import Image

from models import (BulletinPost, ChatMessage, Consent, DiaryPost, Discussion, Folder, Forum,
                    GuestbookEntry, MailMessage, MailRecipient, MailThread, Material,
                    MaterialPerson, Membership, Page, PageRevision, PartnerState, Poll,
                    PollVote, Post, Project, ProjectPartner, ProjectState, Role, Space,
                    SpaceRole, User, utcnow)
from services import chat, forums, pages, permissions, spaces, storage
from tests.conftest import log_out, switch
from tests.factories import make_space, make_user
from tests.views.test_live_chat import connect, server  # noqa: F401 (fixtures)

CLOSED = "This space is closed"


def png():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 200)).save(out, "PNG")
    out.seek(0)
    out.filename = "river.png"
    return out


@pytest.fixture
def world(app, client, login):
    """A running project's space with something of every kind in it; `close()` closes the
    project as its founder does (through the close form) and logs in as the founder."""
    teacher, partner = make_user(country="ES"), make_user(country="IT")
    pupil, other_pupil, guest = make_user("student"), make_user("student"), make_user("visitor")
    space = make_space(teacher)
    project = space.project
    for user in (teacher, partner):
        ProjectPartner.create(project=project, user=user, state=PartnerState.ACCEPTED)
    spaces.join(space, partner, SpaceRole.TEACHER)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, other_pupil, SpaceRole.STUDENT)
    spaces.join(space, guest, SpaceRole.VISITOR)
    page = pages.create(space, teacher.id, "Guide", "<p>Ten steps.</p>", view_rule="public",
                        edit_rule="teachers_students")
    pages.save(page, teacher.id, "Guide", "<p>Ten steps, now eleven.</p>", page.version)
    archived = pages.create(space, teacher.id, "Old notes", "<p>Old.</p>")
    pages.archive(archived)
    album = Folder.create(space=space, kind="image", title="River day", created_by=teacher)
    stored = storage.save_image(png(), app.config["UPLOAD_DIR"], owner=pupil.id)
    photo = Material.create(space=space, folder=album, kind="image", title="Bank",
                            alt_text="Pupils on the bank", file=stored, is_public=True,
                            created_by=pupil)
    undescribed = Material.create(space=space, folder=album, kind="image", title="New",
                                  file=storage.save_image(png(), app.config["UPLOAD_DIR"],
                                                          owner=pupil.id),
                                  created_by=pupil)
    videos = Folder.create(space=space, kind="video", title="Films", created_by=teacher)
    forum = forums.create_space_forum(space, teacher, title="Rivers")
    discussion = forums.start_space_discussion(forum, pupil, title="pH", body="Seven!")
    post = Post.get(Post.discussion == discussion)
    poll = chat.create_poll(space.id, teacher.id, "Best day?", ["Monday", "Friday"]).poll
    chat.post_message(space.id, pupil.id, "Hello")
    thread = MailThread.create(subject="Results", space=space)
    message = MailMessage.create(thread=thread, sender=pupil, body="Here they are.")
    for user in (pupil, teacher):
        MailRecipient.create(message=message, user=user)
    entry = GuestbookEntry.create(space=space, profile=pupil, author=partner, body="Well done")
    diary = DiaryPost.create(space=space, author=teacher, title="Open day", body="<p>Hi</p>",
                             is_public=True)
    BulletinPost.create(space=space, author=partner, body="Consent forms by Friday")
    Consent.create(space=space, student=pupil, photo=True, scope="public")

    def close():
        login(teacher)
        with app.test_request_context():
            close_url = url_for("live.project_close", project_id=project.id)
        assert client.post(close_url).status_code == 303
        return Space.get_by_id(space.id)

    return dict(teacher=teacher, partner=partner, pupil=pupil, other_pupil=other_pupil,
                guest=guest, space=space, project=project, page=page, archived=archived,
                album=album, photo=photo, undescribed=undescribed, videos=videos, forum=forum,
                discussion=discussion, post=post, poll=poll, thread=thread, entry=entry,
                diary=diary, close=close)


@pytest.fixture
def urls(parent_url):
    """urls(w, endpoint, ...): an address in the world's space, the endpoint relative to the
    space's parent ("spaces.page_new" a shared page, "diary" one of the parent's own)."""
    def _urls(w, endpoint, **values):
        return parent_url(w["space"], endpoint, **values)
    return _urls


def write_attempts(w):
    """(who, method, endpoint, url values, form data): every way to write in a space; the
    endpoints are relative to the space's parent (see `urls`)."""
    option = w["poll"].options.first().id
    pupil_id = w["pupil"].id
    return [
        ("teacher", "get", "spaces.page_new", {}, None),
        ("teacher", "post", "spaces.page_new", {}, {"title": "New", "body": "x"}),
        ("pupil", "post", "spaces.page_new", {"parent": w["page"].id},
         {"title": "Sub", "body": "x"}),
        ("teacher", "get", "spaces.page_edit", {"page_id": w["page"].id}, None),
        ("pupil", "post", "spaces.page_edit", {"page_id": w["page"].id},
         {"title": "Changed", "body": "x", "version": str(w["page"].version)}),
        ("teacher", "post", "spaces.page_move", {"page_id": w["page"].id},
         {"direction": "down"}),
        ("teacher", "post", "spaces.page_revision_restore",
         {"page_id": w["page"].id, "rev_id": w["page"].revisions.order_by(
             PageRevision.version).first().id}, {}),
        ("teacher", "post", "spaces.page_archive", {"page_id": w["page"].id}, {}),
        ("teacher", "post", "spaces.page_unarchive",
         {"page_id": w["archived"].id}, {}),
        ("teacher", "post", "spaces.page_insert", {"page_id": w["page"].id},
         {"material": str(w["photo"].id)}),
        ("teacher", "get", "spaces.page_materials_picker", {"page": w["page"].id},
         None),
        ("pupil", "post", "spaces.folder_new", {},
         {"kind": "image", "title": "More"}),
        ("pupil", "post", "spaces.folder_upload", {"folder_id": w["album"].id},
         {"files": [(png(), "more.png")]}),
        ("pupil", "post", "spaces.folder_link_video", {"folder_id": w["videos"].id},
         {"link-url": "https://vimeo.com/76979871", "link-title": "Film"}),
        ("pupil", "post", "spaces.folder_describe", {"folder_id": w["album"].id},
         {f"title_{w['undescribed'].id}": "New", f"alt_{w['undescribed'].id}": "Reeds"}),
        ("teacher", "post", "spaces.folder_edit", {"folder_id": w["album"].id},
         {"title": "Renamed"}),
        ("teacher", "post", "spaces.folder_delete", {"folder_id": w["videos"].id},
         {}),
        ("pupil", "post", "spaces.material_edit", {"material_id": w["photo"].id},
         {"title": "Changed", "alt_text": "Reeds"}),
        ("teacher", "post", "spaces.material_delete",
         {"material_id": w["photo"].id}, {}),
        ("teacher", "post", "spaces.forum_new", {}, {"title": "More"}),
        ("pupil", "post", "spaces.discussion_new", {"forum_id": w["forum"].id},
         {"title": "New", "body": "x"}),
        ("pupil", "post", "spaces.discussion_reply",
         {"discussion_id": w["discussion"].id}, {"body": "Reply"}),
        ("pupil", "post", "spaces.forum_post_edit", {"post_id": w["post"].id},
         {"body": "Changed"}),
        ("pupil", "post", "spaces.forum_post_delete", {"post_id": w["post"].id}, {}),
        ("teacher", "post", "spaces.forum_post_hide", {"post_id": w["post"].id},
         {"hidden": "1"}),
        ("pupil", "post", "spaces.live_post", {}, {"body": "Hello again"}),
        ("teacher", "post", "spaces.live_poll", {},
         {"question": "Again?", "option_1": "Yes", "option_2": "No"}),
        ("pupil", "post", "spaces.live_vote", {"poll_id": w["poll"].id},
         {"option": str(option)}),
        ("pupil", "post", "spaces.mail_new", {},
         {"recipients": [str(w["teacher"].id)], "subject": "Hi", "body": "x"}),
        ("pupil", "post", "spaces.mail_reply", {"thread_id": w["thread"].id},
         {"body": "And more"}),
        ("guest", "post", "spaces.guestbook_post", {"user_id": pupil_id},
         {"body": "Bravo"}),
        ("partner", "post", "spaces.guestbook_delete",
         {"user_id": pupil_id, "entry_id": w["entry"].id}, {}),
        ("teacher", "post", "spaces.members_add_pupils", {}, {"names": "Marta"}),
        ("teacher", "post", "spaces.members_add_guest", {}, {"name": "A parent"}),
        ("teacher", "post", "spaces.members_invite_teacher", {},
         {"email": "someone@school.eu"}),
        ("teacher", "post", "spaces.members_add_teacher", {},
         {"name": "Olena K", "email": "olena@school.ca", "country": "CA"}),
        ("teacher", "post", "spaces.member_type", {"user_id": pupil_id},
         {"role": "visitor"}),
        ("teacher", "post", "spaces.member_remove",
         {"user_id": w["other_pupil"].id}, {}),
        ("teacher", "post", "spaces.members_message", {},
         {"subject": "All", "body": "x"}),
        ("teacher", "post", "spaces.consent_edit", {"user_id": pupil_id},
         {"photo": "y", "scope": "private"}),
        ("teacher", "post", "settings", {},
         {"title": "Renamed", "theme": "green"}),
        ("teacher", "post", "diary_edit", {}, {"title": "New", "body": "x"}),
        ("teacher", "post", "diary_edit", {"post_id": w["diary"].id},
         {"title": "Changed", "body": "x"}),
        ("teacher", "post", "diary_delete", {"post_id": w["diary"].id}, {}),
        ("partner", "post", "bulletin", {}, {"body": "After the end"}),
    ]


def snapshot():
    """What a write would change: row counts and the fields the attempts aim at."""
    models = (Page, PageRevision, Folder, Material, MaterialPerson, Forum, Discussion, Post,
              ChatMessage, Poll, PollVote, MailMessage, GuestbookEntry, Membership, User,
              Consent, DiaryPost, BulletinPost)
    counts = {m.__name__: m.select().count() for m in models}
    fields = (
        [(p.title, p.version, p.position, p.archived_at) for p in Page.select().order_by(Page.id)],
        [(f.title,) for f in Folder.select().order_by(Folder.id)],
        [(m.title, m.alt_text, m.is_public) for m in Material.select().order_by(Material.id)],
        [(p.body, p.hidden) for p in Post.select().order_by(Post.id)],
        [(m.user_id, m.role) for m in Membership.select().order_by(Membership.id)],
        [(c.photo, c.scope) for c in Consent.select()],
        [(d.title,) for d in DiaryPost.select().order_by(DiaryPost.id)],
        [(s.title, s.theme) for s in Space.select()],
    )
    return counts, fields


def test_closing_makes_the_space_read_only_on_every_write_path(client, login, world, urls):
    w = world
    space = w["close"]()
    assert space.closed_at is not None and not permissions.space_is_writable(space)
    before = snapshot()
    who = None
    for role, method, endpoint, values, data in write_attempts(w):
        if role != who:
            switch(client, w[role])
            who = role
        url = urls(w, endpoint, **values)
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 403, (endpoint, response.status_code)
        assert CLOSED in response.get_data(as_text=True), endpoint
    assert snapshot() == before


def test_who_may_not_write_anyway_still_gets_404_not_a_hint(client, login, world, urls):
    w = world
    w["close"]()
    switch(client, make_user())  # not a member
    assert client.post(urls(w, "spaces.page_new"),
                       data={"title": "x", "body": "x"}).status_code == 404
    switch(client, w["pupil"])  # a pupil never manages members nor writes the diary
    assert client.post(urls(w, "spaces.members_add_pupils"),
                       data={"names": "x"}).status_code == 404
    assert client.get(urls(w, "diary_edit")).status_code == 404


def test_a_closed_space_is_still_read_exported_and_public(app, client, login, world, urls):
    w = world
    w["close"]()
    reads = [("teacher", "spaces.home", {}), ("pupil", "spaces.pages", {}),
             ("pupil", "spaces.page", {"page_id": w["page"].id}),
             ("pupil", "spaces.page_history", {"page_id": w["page"].id}),
             ("pupil", "spaces.materials", {}),
             ("pupil", "spaces.folder", {"folder_id": w["album"].id}),
             ("pupil", "spaces.material", {"material_id": w["photo"].id}),
             ("pupil", "spaces.forums", {}),
             ("pupil", "spaces.discussion", {"discussion_id": w["discussion"].id}),
             ("pupil", "spaces.live", {}), ("pupil", "spaces.mail", {}),
             ("pupil", "spaces.mail_thread", {"thread_id": w["thread"].id}),
             ("pupil", "spaces.profile", {"user_id": w["pupil"].id}),
             ("teacher", "spaces.members", {}),
             ("teacher", "spaces.consent", {}), ("pupil", "diary", {}),
             ("teacher", "bulletin", {}), ("teacher", "spaces.export", {})]
    who = None
    for role, endpoint, values in reads:
        if role != who:
            switch(client, w[role])
            who = role
        response = client.get(urls(w, endpoint, **values))
        html = response.get_data(as_text=True)
        assert response.status_code == 200, endpoint
        assert "This space is closed and read-only." in html, endpoint  # the notice
    # No button invites to write: the pages say so only by not offering it.
    switch(client, w["teacher"])
    html = client.get(urls(w, "spaces.page", page_id=w["page"].id)).get_data(
        as_text=True)
    assert "Edit the page" not in html and "New sub-page" not in html
    assert "Archive the page" not in html
    html = client.get(urls(w, "spaces.members")).get_data(as_text=True)
    assert "Add pupils" not in html and "Change type" not in html
    assert "New password" in html  # a pupil who forgot it can still come and read
    html = client.get(urls(w, "spaces.live")).get_data(as_text=True)
    assert "data-chat-form" not in html and "Ask a question" not in html
    html = client.get(urls(w, "bulletin")).get_data(as_text=True)
    assert "Consent forms by Friday" in html and "Post on the bulletin" not in html
    assert "Settings" not in client.get(urls(w, "spaces.home")).get_data(
        as_text=True)
    assert client.get(urls(w, "settings")).status_code == 403
    response = client.post(urls(w, "spaces.export"), data={})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    # Resetting a pupil's password is not a change to the space.
    assert client.post(urls(w, "spaces.member_password",
                            user_id=w["pupil"].id)).status_code == 200
    # The public view and a public file, without logging in.
    log_out(client)
    html = client.get(urls(w, "public_view")).get_data(as_text=True)
    assert "Open day" in html and "Guide" in html
    with app.test_request_context():
        file_url = url_for("portal.file", file_id=w["photo"].file_id)
    assert client.get(file_url).status_code == 200


def test_the_socket_refuses_chat_questions_and_votes_in_a_closed_space(
        app, world, connect):  # noqa: F811
    w = world
    w["close"]()
    option = w["poll"].options.first().id
    teacher, pupil = connect(w["teacher"], w["space"]), connect(w["pupil"], w["space"])
    teacher.wait_for("hello")
    pupil.wait_for("hello")
    pupil.send({"type": "history"})
    assert [m["body"] for m in pupil.wait_for("history")["messages"]
            if m.get("body")] == ["Hello"]  # reading goes on
    for socket, frame in ((pupil, {"type": "chat", "body": "Hi", "ref": "chat"}),
                          (teacher, {"type": "poll", "question": "Again?",
                                     "options": ["a", "b"], "ref": "poll"}),
                          (pupil, {"type": "vote", "poll_id": w["poll"].id,
                                   "option_id": option, "ref": "vote"})):
        socket.send(frame)
        error = socket.wait_for("error")
        assert error["code"] == "read_only" and error["ref"] == frame["ref"]
    assert ChatMessage.select().count() == 2 and PollVote.select().count() == 0
    # Reopened (by national staff): the same socket may write again at its next frame.
    spaces.reopen(Space.get_by_id(w["space"].id))
    pupil.send({"type": "chat", "body": "We are back"})
    assert pupil.wait_for("message")["body"] == "We are back"


def test_national_staff_reopen_the_project_and_its_space_is_writable_again(
        app, client, login, world, urls):
    w = world
    w["close"]()
    page_new = urls(w, "spaces.page_new")
    assert client.post(page_new, data={"title": "Late", "body": "x"}).status_code == 403
    with app.test_request_context():
        card = url_for("admin.project_card", project_id=w["project"].id)
        reopen = url_for("admin.project_reopen", project_id=w["project"].id)
    # Neither the project's teachers nor staff of another country may reopen it.
    assert client.post(reopen).status_code in (403, 404)
    switch(client, make_user(Role.NSS, country="FR"))
    assert client.post(reopen).status_code == 404
    switch(client, make_user(Role.NSS, country="IT"))  # the partner's country
    assert "Reopen the project" in client.get(card).get_data(as_text=True)
    assert client.post(reopen, data={}, csrf=False).status_code == 400  # CSRF
    assert client.post(reopen).status_code == 303
    project = Project.get_by_id(w["project"].id)
    assert project.state == ProjectState.ACTIVE and project.closed_at is None
    assert permissions.space_is_writable(Space.get_by_id(w["space"].id))
    assert "Reopen the project" not in client.get(card).get_data(as_text=True)
    assert client.post(reopen).status_code == 404  # not closed any more
    switch(client, w["teacher"])
    assert client.post(page_new, data={"title": "Late", "body": "x"}).status_code == 303
    html = client.get(urls(w, "spaces.home")).get_data(as_text=True)
    assert "This space is closed" not in html


def test_the_migration_closes_the_spaces_of_projects_closed_before_it(app):
    """Projects closed before 0011 (the demo's too, which kept no closing time): their spaces
    become read-only, their open invitations withdrawn; running projects are untouched."""
    from models import db
    teacher, invited = make_user(), make_user()
    running = make_space(teacher, title="Running")
    closed = make_space(teacher, title="Closed")
    project = closed.project
    project.state, project.ends_on = ProjectState.CLOSED, utcnow().date()
    project.save()
    ProjectPartner.create(project=project, user=invited, state=PartnerState.INVITED)
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                        "migrations", "0011_space_read_only.py")
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        db.connect(reuse_if_open=True)
        migration.close_spaces_of_closed_projects(db)
    assert Space.get_by_id(closed.id).closed_at is not None
    assert Space.get_by_id(running.id).closed_at is None
    assert ProjectPartner.get(ProjectPartner.user == invited).state == PartnerState.WITHDRAWN


def test_the_demos_finished_project_space_is_read_only(app):
    from services import demo
    demo.seed(app.config["UPLOAD_DIR"])
    finished = Project.get(Project.title == "Our rivers, our future")
    assert finished.is_closed and not permissions.space_is_writable(finished.space)
    lively = Project.get(Project.title == demo.LIVELY)
    assert not lively.is_closed and permissions.space_is_writable(lively.space)
    assert Membership.select().where(Membership.space == lively.space,
                                     Membership.role == SpaceRole.STUDENT).exists()


def test_a_closed_spaces_thread_takes_no_reply_from_live_mail_either(app, client, login,
                                                                      world):
    """A teacher opens the thread of a closed space's TwinMail in Live: no reply form, and a
    reply posted anyway is refused with nothing sent."""
    w = world
    w["close"]()  # logged in as the founder, who holds a copy of the thread
    with app.test_request_context():
        thread_url = url_for("live.mail_thread", thread_id=w["thread"].id)
        reply_url = url_for("live.mail_reply", thread_id=w["thread"].id)
    page = client.get(thread_url)
    assert page.status_code == 200 and "And now?" not in page.get_data(as_text=True)
    assert 'name="body"' not in page.get_data(as_text=True)
    before = MailMessage.select().count()
    response = client.post(reply_url, data={"body": "And now?"})
    assert response.status_code == 403
    assert CLOSED in response.get_data(as_text=True)
    assert MailMessage.select().count() == before
