"""Download my data (issue 13, 7a): a zip of my profile, my mail, what I wrote, my files."""
import io
import json
import zipfile

from werkzeug.datastructures import FileStorage

from models import (Contact, ContactState, DiaryPost, Follow, NotificationPreference, Role,
                    SpaceRole)
from services import mailbox, spaces, storage
from tests.factories import make_space, make_user


def _pdf(app, owner, name, marker):
    upload = FileStorage(io.BytesIO(b"%PDF-1.4\n" + marker.encode() + b"\n%%EOF"),
                         filename=name)
    return storage.save_pdf(upload, app.config["UPLOAD_DIR"], owner=owner.id)


def _download(client, url):
    response = client.post(url("account.download_data"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return archive, {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_my_data_and_nobody_elses(app, client, login, url):
    ana = make_user(name="Ana Mine", subjects=["history"])
    ana.offer = "<p>ANA-OFFER</p>"
    ana.save()
    ben = make_user(name="Ben Other")
    ben.offer = "BEN-SECRET-OFFER"
    ben.save()
    cleo = make_user(name="Cleo Third")
    Contact.create(requester=ana, addressee=ben, state=ContactState.ACCEPTED)
    Follow.create(follower=ana, followed=cleo)
    NotificationPreference.create(user=ana, kind="mail", mode="daily")
    space = make_space(ana, title="Rivers")
    DiaryPost.create(space=space, author=ana, title="Our trip", body="<p>ANA-DIARY</p>")
    DiaryPost.create(space=space, author=ben, title="Ben's", body="<p>BEN-DIARY</p>")
    _pdf(app, ana, "plan ana.pdf", "ANA-FILE")
    _pdf(app, ben, "secret-ben.pdf", "BEN-FILE")
    with app.test_request_context():
        thread = mailbox.compose(ana, "Hello Ben", "ANA-TO-BEN", [ben], app.config)
        mailbox.reply(thread, ben, "BEN-REPLY", app.config)
        mailbox.compose(ben, "Private", "BEN-TO-CLEO", [cleo], app.config)
        gone = mailbox.compose(ben, "Purged", "BEN-PURGED", [ana], app.config)
        mailbox.purge(ana, gone)

    login(ana)
    archive, files = _download(client, url)
    names = set(files)
    assert {"profile.json", "messages.json", "posts.json", "files.json"} <= names
    profile = json.loads(files["profile.json"])
    assert profile["name"] == "Ana Mine" and profile["offer"] == "<p>ANA-OFFER</p>"
    assert profile["offer_text"] == "ANA-OFFER"  # rich text also as words without tags
    assert profile["subjects"] == ["history"]
    assert profile["contacts"][0]["with"] == "Ben Other"
    assert profile["following"][0]["name"] == "Cleo Third"
    assert profile["notification_preferences"] == {"mail": "daily"}
    messages = json.loads(files["messages.json"])
    bodies = [m["body"] for t in messages for m in t["messages"]]
    assert "<p>ANA-TO-BEN</p>" in bodies and "<p>BEN-REPLY</p>" in bodies
    texts = [m["text"] for t in messages for m in t["messages"]]
    assert "ANA-TO-BEN" in texts and "BEN-REPLY" in texts
    posts = json.loads(files["posts.json"])
    assert [p["title"] for p in posts["diary_posts"]] == ["Our trip"]
    assert [p["title"] for p in posts["projects_founded"]] == ["Rivers"]
    uploaded = [n for n in names if n.startswith("files/")]
    assert len(uploaded) == 1 and uploaded[0].endswith("plan_ana.pdf")
    assert b"ANA-FILE" in files[uploaded[0]]
    everything = b"".join(files.values())
    for other in (b"BEN-SECRET-OFFER", b"BEN-DIARY", b"BEN-FILE", b"BEN-TO-CLEO",
                  b"BEN-PURGED", b"secret-ben"):
        assert other not in everything, other


def test_every_role_can_download(app, client, login, url):
    teacher = make_user()
    space = make_space(teacher)
    pupil = make_user(Role.STUDENT, name="Pia Pupil")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    for person in (pupil, make_user(Role.NSS), make_user(Role.CSS)):
        login(person)
        _archive, files = _download(client, url)
        assert json.loads(files["profile.json"])["role"] == person.role


def test_only_a_logged_in_post_with_csrf_gets_the_zip(app, client, login, url):
    address = url("account.download_data")
    response = client.post(address)
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    login(make_user())
    assert client.get(address).status_code == 405
    response = client.post(address, csrf=False)
    assert response.status_code == 400 and response.mimetype != "application/zip"


def test_downloads_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    from tests.conftest import switch
    switch(client, make_user())
    with app.test_request_context():
        from flask import url_for
        address = url_for("account.download_data")
    codes = [client.post(address).status_code for _i in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
