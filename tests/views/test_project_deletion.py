"""Deleting a project (issue 13, 7a): its space, its pupils' accounts and their data go."""
import io
import os

from werkzeug.datastructures import FileStorage

from models import (AuditEntry, ChatMessage, Discussion, Folder, Forum, Material, Membership,
                    PartnerState, Post, Project, ProjectPartner, Role, Space, SpaceRole,
                    StoredFile, User)
from services import accounts, audit, mailbox, spaces, storage
from tests.factories import PASSWORD, make_space, make_user


def _material(app, space, owner, marker):
    stored = storage.save_pdf(FileStorage(io.BytesIO(b"%PDF-1.4\n" + marker + b"\n%%EOF"),
                                          filename="doc.pdf"),
                              app.config["UPLOAD_DIR"], owner=owner.id)
    folder = Folder.create(space=space, kind="document", title="Docs", created_by=owner)
    Material.create(space=space, folder=folder, kind="document", title="Doc", file=stored,
                    created_by=owner)
    return stored


def _world(app):
    tina = make_user(name="Tina Founder")
    quinn = make_user(name="Quinn Partner")
    space = make_space(tina, title="Rivers")
    ProjectPartner.create(project=space.project, user=tina, state=PartnerState.ACCEPTED)
    ProjectPartner.create(project=space.project, user=quinn, state=PartnerState.ACCEPTED)
    spaces.join(space, quinn, SpaceRole.TEACHER)
    only_here = make_user(Role.STUDENT, name="Pia Only")
    guest = make_user(Role.VISITOR, name="Gus Guest")
    both = make_user(Role.STUDENT, name="Bo Both")
    other_teacher = make_user()
    other = make_space(other_teacher, title="Mountains")
    for person, role in ((only_here, SpaceRole.STUDENT), (guest, SpaceRole.VISITOR),
                         (both, SpaceRole.STUDENT)):
        spaces.join(space, person, role)
    spaces.join(other, both, SpaceRole.STUDENT)
    here_file = _material(app, space, tina, b"RIVERS")
    there_file = _material(app, other, other_teacher, b"MOUNTAINS")
    ChatMessage.create(space=space, author=only_here, body="hello")
    with app.test_request_context():
        mailbox.compose(only_here, "Q", "from pia", [tina], app.config, space=space)
    return dict(tina=tina, quinn=quinn, space=space, only_here=only_here, guest=guest,
                both=both, other=other, here_file=here_file, there_file=there_file)


def test_the_founder_deletes_the_project_its_space_and_its_pupils(app, client, login, url):
    w = _world(app)
    upload_dir = app.config["UPLOAD_DIR"]
    here_path = storage.stored_path(upload_dir, w["here_file"])
    there_path = storage.stored_path(upload_dir, w["there_file"])
    project_id, space_id = w["space"].project_id, w["space"].id
    reset = audit.record(w["tina"], "password.reset", w["only_here"])
    login(w["tina"])
    project_page = client.get(url("live.project", project_id=project_id)).get_data(as_text=True)
    assert url("live.project_delete", project_id=project_id) in project_page
    page = client.get(url("live.project_delete", project_id=project_id)).get_data(as_text=True)
    assert "2 pupils and guests" in page

    response = client.post(url("live.project_delete", project_id=project_id),
                           data={"understood": "y"})
    assert response.status_code == 303
    assert not Project.select().where(Project.id == project_id).exists()
    assert not Space.select().where(Space.id == space_id).exists()
    assert not ChatMessage.select().where(ChatMessage.space == space_id).exists()
    assert not Membership.select().where(Membership.space == space_id).exists()
    for gone in (w["only_here"], w["guest"]):
        assert not User.select().where(User.id == gone.id).exists()
        assert accounts.check_login(gone.username, PASSWORD) is None
    # The pupil who is also elsewhere stays there; the teachers keep their accounts.
    assert Membership.get(user=w["both"]).space_id == w["other"].id
    assert accounts.check_login(w["both"].username, PASSWORD) is not None
    assert accounts.check_login(w["quinn"].email, PASSWORD) is not None
    # The space's file is gone from the table and the disk; the other space's is not.
    assert not StoredFile.select().where(StoredFile.id == w["here_file"].id).exists()
    assert not os.path.exists(here_path)
    assert os.path.exists(there_path)
    assert Material.select().where(Material.space == w["other"].id).count() == 1
    # Written to the staff audit log, in the same transaction as the deletion.
    entry = AuditEntry.get(AuditEntry.action == "project.delete")
    assert entry.actor_id == w["tina"].id and entry.target_id == project_id
    assert entry.detail.startswith("2 pupil accounts")
    # What was done to a deleted pupil stays in the log, without their name.
    assert AuditEntry.get_by_id(reset.id).target_label == ""


def test_a_file_shared_with_another_space_stays_on_disk(app, client, login, url):
    w = _world(app)
    same = _material(app, w["other"], w["tina"], b"RIVERS")  # same bytes, same path
    login(w["tina"])
    client.post(url("live.project_delete", project_id=w["space"].project_id),
                data={"understood": "y"})
    assert os.path.exists(storage.stored_path(app.config["UPLOAD_DIR"], same))


def test_a_file_shown_in_a_live_forum_post_stays_on_disk(app, client, login, url):
    w = _world(app)
    forum = Forum.create(title="Partner search", description="")
    discussion = Discussion.create(forum=forum, author=w["tina"], title="Our poster")
    Post.create(discussion=discussion, author=w["tina"], is_html=True,
                body=f'<p><img src="/files/{w["here_file"].id}" alt="poster"></p>')
    login(w["tina"])
    client.post(url("live.project_delete", project_id=w["space"].project_id),
                data={"understood": "y"})
    assert StoredFile.select().where(StoredFile.id == w["here_file"].id).exists()
    assert os.path.exists(storage.stored_path(app.config["UPLOAD_DIR"], w["here_file"]))


def test_without_the_box_ticked_nothing_is_deleted(app, client, login, url):
    w = _world(app)
    login(w["tina"])
    response = client.post(url("live.project_delete", project_id=w["space"].project_id))
    assert response.status_code == 400
    assert "Tick the box" in response.get_data(as_text=True)
    assert Space.select().where(Space.id == w["space"].id).exists()


def test_only_the_founder_or_central_staff_may_delete(app, client, login, url):
    w = _world(app)
    address = url("live.project_delete", project_id=w["space"].project_id)
    login(w["quinn"])  # a partner: sees the project, may not delete it
    assert client.get(address).status_code == 403
    assert client.post(address, data={"understood": "y"}).status_code == 403
    for person in (make_user(), w["only_here"], make_user(Role.NSS)):
        login(person)
        assert client.post(address, data={"understood": "y"}).status_code == 404
    assert Space.select().where(Space.id == w["space"].id).exists()
    login(make_user(Role.CSS))
    assert client.post(address, data={"understood": "y"}).status_code == 303
    assert not Space.select().where(Space.id == w["space"].id).exists()
