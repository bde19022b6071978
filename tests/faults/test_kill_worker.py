"""Issue 13, faults: a worker killed (kill -9) in the middle of an upload or a page save leaves
the database consistent and no partial file visible, and the same request sent again works.
A real gunicorn (one gthread worker) serves a copy of the test database; the request's first
half is sent, the test waits until the worker has read it (it is then inside the request),
kills the worker, and the master starts a new one; then the whole request is sent and the
worker killed at once (inside the view, the file's write or the commit, or just after)."""
import hashlib
import os
import uuid
from urllib.parse import urlencode

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import Folder, Material, Page, PageRevision, StoredFile, db
from services import pages as page_service
from tests.factories import make_space, make_user
from tests.faults.server import logged_in, send_part_then_wait, server_has_read_all
from tests.processes import Server, wait_for



@pytest.fixture
def server_for():
    servers = []

    def _start(app):
        servers.append(Server(app))
        return servers[-1]
    yield _start
    for server in servers:
        server.stop()


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder)
                  for d, _dirs, names in os.walk(folder) for f in names)


def assert_database_consistent():
    """SQLite: the integrity check and the foreign key check; any database: no material
    without its stored file, no revision without its page, each page at its latest revision."""
    if db.obj.__class__.__name__.startswith("Sqlite"):
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    for material in Material.select():
        assert material.file_id is None or StoredFile.get_or_none(id=material.file_id)
    for page in Page.select():
        latest = (PageRevision.select().where(PageRevision.page == page)
                  .order_by(PageRevision.version.desc()).first())
        assert latest and (latest.version, latest.title, latest.body) == (
            page.version, page.title, page.body)


def assert_no_unreferenced_file(upload_dir):
    """Every file under the upload folder is a stored file's (a `.part` a killed write may
    leave is never served: no stored file points at one)."""
    known = {s.path for s in StoredFile.select()}
    for name in files_under(upload_dir):
        assert name.endswith(".part") or name in known, name


def assert_final_files_whole(upload_dir):
    """Every file with a final name (not a `.part`) holds all its bytes: PDFs are stored
    under the sha256 of their content."""
    for name in files_under(upload_dir):
        if not name.endswith(".part"):
            with open(os.path.join(upload_dir, name), "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            assert os.path.basename(name).startswith(digest), name


def multipart(fields, file_field, file_name, data):
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
             f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}", len(head)


def test_a_worker_killed_mid_upload_leaves_nothing_and_the_retry_works(app, server_for):
    teacher = make_user(name="Tina Teacher")
    space = make_space(teacher)
    folder = Folder.create(space=space, kind="document", title="Sheets", created_by=teacher)
    with app.test_request_context():
        address = parents.url_for_space(space, "folder_upload", folder_id=folder.id)
    cookie, token = logged_in(app, teacher)
    data = b"%PDF-1.4\n" + os.urandom(1024 * 1024)
    body, content_type, head = multipart({"csrf_token": token, "title": "Atlas"}, "files",
                                         "atlas.pdf", data)
    headers = {"Cookie": cookie, "Content-Type": content_type}
    server = server_for(app)

    conn = send_part_then_wait(server, address, headers, body, head + len(data) // 2)
    killed = server.kill_worker()  # waits for the master's new worker to answer
    conn.close()
    assert server.worker != killed
    assert_database_consistent()
    assert StoredFile.select().count() == 0 and Material.select().count() == 0
    assert_no_unreferenced_file(app.config["UPLOAD_DIR"])

    # Sent whole, then the worker killed at once: in the file's write, the rows' commit or
    # after. Never half of anything: a material with its whole file, or no material; any
    # file with a final name is whole (its name is its content's sha256). Killed once it has
    # read the request, as below.
    conn = server.connection()
    conn.request("POST", address, body=body, headers=headers)
    wait_for(lambda: server_has_read_all(server, conn), 20, "the server to read the request")
    server.kill_worker()
    conn.close()
    assert_database_consistent()
    assert Material.select().count() == StoredFile.select().count() <= 1
    assert_final_files_whole(app.config["UPLOAD_DIR"])

    if not Material.select().exists():  # the kill came first: send it again
        response = server.request("POST", address, body=body, headers=headers)
        assert response.status == 303, response.body[:2000]
    material = Material.get()
    assert (material.title, material.folder_id) == ("Atlas", folder.id)
    with app.test_request_context():
        file_url = url_for("portal.file", file_id=material.file_id)
    response = server.request("GET", file_url, headers={"Cookie": cookie})
    assert response.status == 200 and response.body == data
    assert_database_consistent()
    assert_no_unreferenced_file(app.config["UPLOAD_DIR"])


def test_a_worker_killed_mid_page_save_keeps_the_old_page_and_the_retry_works(app, server_for):
    teacher = make_user(name="Tina Teacher")
    space = make_space(teacher)
    page = page_service.create(space, teacher.id, "Water", "<p>Old text</p>")
    with app.test_request_context():
        address = parents.url_for_space(space, "page_edit", page_id=page.id)
        shown = parents.url_for_space(space, "page", page_id=page.id)
    cookie, token = logged_in(app, teacher)
    new_text = "<p>" + ("The river rises in spring. " * 3500) + "</p>"  # ~95,000 characters
    body = urlencode({"csrf_token": token, "title": "Water, rewritten", "body": new_text,
                      "version": str(page.version), "view_rule": "members",
                      "edit_rule": "teachers"}).encode()
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    server = server_for(app)

    conn = send_part_then_wait(server, address, headers, body, len(body) // 2)
    server.kill_worker()
    conn.close()
    assert_database_consistent()
    kept = Page.get_by_id(page.id)
    assert (kept.title, kept.body, kept.version) == ("Water", "<p>Old text</p>", 1)
    assert PageRevision.select().where(PageRevision.page == page).count() == 1

    # Sent whole, then the worker killed at once: the page is the old or the new, never half.
    # Killed once it has read the request: a request still queued on the listening socket
    # would be served by the next worker after we looked, and the retry would then conflict.
    conn = server.connection()
    conn.request("POST", address, body=body, headers=headers)
    wait_for(lambda: server_has_read_all(server, conn), 20, "the server to read the request")
    server.kill_worker()
    conn.close()
    assert_database_consistent()
    now = Page.get_by_id(page.id)
    assert (now.title, now.version) in (("Water", 1), ("Water, rewritten", 2))
    if now.version == 1:  # the kill came first: send it again
        response = server.request("POST", address, body=body, headers=headers)
        assert response.status == 303, response.body[:2000]
    now = Page.get_by_id(page.id)
    assert (now.title, now.version) == ("Water, rewritten", 2)
    assert "The river rises in spring." in now.body and len(now.body) > 90000
    assert PageRevision.select().where(PageRevision.page == page).count() == 2
    assert_database_consistent()
    response = server.request("GET", shown, headers={"Cookie": cookie})
    assert response.status == 200 and b"Water, rewritten" in response.body
