"""T-13: the profile in a space: picture, short description and role, the same in all my
spaces; the guestbook (members leave messages; the author or the teachers delete them)."""
import io
import json

import pytest
from PIL import Image

from models import GuestbookEntry, Notification, SpaceRole, User
from services import spaces
from tests.conftest import log_out, switch


def png(name="me.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 90, 0)).save(out, "PNG")
    out.seek(0)
    return (out, name)


@pytest.fixture
def edit(client, space_url):
    """edit(space, about=..., picture=..., remove=...): post my profile form in `space`."""
    def _edit(space, about="", picture=None, remove=False):
        data = {"about": about}
        if picture is not None:
            data["picture"] = picture
        if remove:
            data["remove_picture"] = "y"
        return client.post(space_url(space, "profile_edit"), data=data,
                           content_type="multipart/form-data")
    return _edit


@pytest.fixture
def sign(client, space_url):
    """sign(space, person, body): leave a message in `person`'s guestbook."""
    def _sign(space, person, body="Great work!"):
        return client.post(space_url(space, "guestbook_post", user_id=person.id),
                           data={"body": body})
    return _sign


def test_my_picture_and_description_show_in_all_my_spaces(client, login, cast, edit, space_url,
                                                          url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    other_space = cast["other_space"]
    spaces.join(other_space, pupil, SpaceRole.STUDENT)
    login(pupil)
    page = client.get(space_url(space, "profile_edit")).get_data(as_text=True)
    assert "Edit my profile" in page and 'enctype="multipart/form-data"' in page
    response = edit(space, about='<p>I like <b>rivers</b> <a href="https://example.org" '
                                 'onclick="alert(1)">and this</a></p><script>alert(2)</script>',
                    picture=png())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_url(space, "profile", user_id=pupil.id))
    me = User.get_by_id(pupil.id)
    # Rich text (issue 14): the editor's HTML, cleaned.
    assert me.photo_id and me.space_about == (
        '<p>I like <b>rivers</b> <a href="https://example.org">and this</a></p>alert(2)')
    picture = url("portal.file", file_id=me.photo_id, width=160)
    for where in (space, other_space):
        page = client.get(space_url(where, "profile", user_id=pupil.id)).get_data(as_text=True)
        assert me.space_about in page and "onclick" not in page and "<script>alert" not in page
        assert f'src="{picture}"' in page and f'alt="Picture of {pupil.name}"' in page
        assert "Pupil</span>" in page and "Edit my profile" in page
    # Her teacher sees the same, and the picture file.
    switch(client, teacher)
    page = client.get(space_url(space, "profile", user_id=pupil.id)).get_data(as_text=True)
    assert "I like <b>rivers" in page and "Edit my profile" not in page
    assert client.get(picture).status_code == 200
    # Remove the picture.
    switch(client, pupil)
    assert edit(space, about="Short", remove=True).status_code == 303
    me = User.get_by_id(pupil.id)
    assert me.photo_id is None and me.space_about == "<p>Short</p>"


def test_profile_edit_errors_keep_what_was_typed(client, login, cast, edit):
    space, pupil = cast["space"], cast["pupil"]
    login(pupil)
    response = edit(space, about="x" * 501)
    assert response.status_code == 422
    assert "Write at most 500 characters about yourself" in response.get_data(as_text=True)
    response = edit(space, about="Kept words",
                    picture=(io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "a.svg"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file must be a JPEG, PNG, GIF or WebP image" in page and "Kept words" in page
    assert 'id="picture-error"' in page and "<title>Error:" in page
    me = User.get_by_id(pupil.id)
    assert me.space_about == "" and me.photo_id is None
    assert edit(space, about="x" * 500).status_code == 303


def test_member_pictures_are_for_people_who_share_a_space(client, login, cast, edit, url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    # The teacher keeps her Live photo for contacts only: still seen by her space's members.
    teacher.profile_visibility = json.dumps({"photo": "contacts"})
    teacher.save()
    login(teacher)
    edit(space, about="Teacher of science", picture=png("ana.png"))
    picture = url("portal.file", file_id=User.get_by_id(teacher.id).photo_id, width=160)
    switch(client, pupil)
    assert client.get(picture).status_code == 200
    switch(client, cast["other_teacher"])
    assert client.get(picture).status_code == 404
    log_out(client)
    assert client.get(picture).status_code == 404


def test_profiles_of_non_members_and_other_spaces_are_404(client, login, cast, sign, space_url,
                                                          url):
    space, pupil = cast["space"], cast["pupil"]
    other_space, other_pupil = cast["other_space"], cast["stranger_pupil"]
    entry = GuestbookEntry.create(space=other_space, profile=other_pupil,
                                  author=cast["other_teacher"], body="Secret of Mountains")
    login(pupil)
    for person in (cast["outsider"], other_pupil):
        assert client.get(space_url(space, "profile", user_id=person.id)).status_code == 404
        assert sign(space, person).status_code == 404
    assert client.get(space_url(space, "profile", user_id=999999)).status_code == 404
    # Guessing the ids of another space's guestbook, here or there.
    for owner in (other_pupil, pupil):
        assert client.get(space_url(space, "guestbook_delete", user_id=owner.id,
                                    entry_id=entry.id)).status_code == 404
    assert client.get(space_url(other_space, "profile", user_id=other_pupil.id)).status_code \
        == 404
    assert client.post(space_url(other_space, "guestbook_post", user_id=other_pupil.id),
                       data={"body": "x"}).status_code == 404
    assert client.post(space_url(other_space, "guestbook_delete", user_id=other_pupil.id,
                                 entry_id=entry.id)).status_code == 404
    assert client.get(space_url(other_space, "profile_edit")).status_code == 404
    assert GuestbookEntry.select().count() == 1
    log_out(client)
    response = client.get(space_url(space, "profile", user_id=pupil.id))
    assert response.status_code in (302, 303) and url("auth.login") in response.headers["Location"]


def test_members_leave_messages_and_the_owner_is_told(client, login, cast, sign, space_url):
    space, teacher, pupil, guest = cast["space"], cast["teacher"], cast["pupil"], cast["guest"]
    profile = space_url(space, "profile", user_id=pupil.id)
    login(teacher)
    page = client.get(profile).get_data(as_text=True)
    assert "Leave a message" in page and "No messages yet." in page
    response = sign(space, pupil, body="Well done <script>x</script>")
    assert response.status_code == 303
    guestbook = space_url(space, "profile", user_id=pupil.id, _anchor="guestbook")
    assert response.headers["Location"].endswith(guestbook)
    entry = GuestbookEntry.get()
    assert (entry.space_id, entry.profile_id, entry.author_id) == (space.id, pupil.id,
                                                                    teacher.id)
    note = Notification.get(Notification.recipient == pupil.id)
    assert note.kind == "guestbook"
    assert note.text == f"{teacher.name} left a message on your profile in {space.title}"
    assert note.link == guestbook
    # Guests are members too: they read and write.
    switch(client, guest)
    page = client.get(profile).get_data(as_text=True)
    assert "Well done &lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert sign(space, pupil, body="Bravo").status_code == 303
    assert Notification.get(Notification.recipient == pupil.id).text == (
        f"2 new messages on your profile in {space.title}")
    # Errors: next to the field, what was typed kept.
    response = sign(space, pupil, body="y" * 1001)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write a message of at most 1,000 characters" in page and "y" * 1001 in page
    assert sign(space, pupil, body="  ").status_code == 422
    assert GuestbookEntry.select().count() == 2
    # Not on one's own profile.
    switch(client, pupil)
    page = client.get(profile).get_data(as_text=True)
    assert "Bravo" in page and "Leave the message" not in page
    assert sign(space, pupil).status_code == 403


def test_the_author_or_the_teachers_delete_a_message(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    classmate = cast["pupil2"]
    mine = GuestbookEntry.create(space=space, profile=pupil, author=classmate, body="Mine")
    other = GuestbookEntry.create(space=space, profile=pupil, author=teacher, body="Teacher's")
    delete_mine, delete_other = (
        space_url(space, "guestbook_delete", user_id=pupil.id, entry_id=entry.id)
        for entry in (mine, other))
    profile = space_url(space, "profile", user_id=pupil.id)
    login(pupil)  # the profile's owner is not the author: she cannot delete
    page = client.get(profile).get_data(as_text=True)
    assert delete_mine not in page
    assert client.get(delete_mine).status_code == 403
    assert client.post(delete_mine).status_code == 403
    switch(client, classmate)
    page = client.get(profile).get_data(as_text=True)
    assert delete_mine in page and delete_other not in page
    assert client.post(delete_other).status_code == 403
    confirm = client.get(delete_mine)
    assert confirm.status_code == 200 and "Delete the message" in confirm.get_data(as_text=True)
    assert client.post(delete_mine, csrf=False).status_code == 400
    assert GuestbookEntry.select().count() == 2  # without a token: refused, kept
    assert client.post(delete_mine).status_code == 303
    assert GuestbookEntry.select().count() == 1
    switch(client, teacher)
    assert client.post(delete_other).status_code == 303
    assert GuestbookEntry.select().count() == 0
    assert client.post(delete_other).status_code == 404


def test_the_guestbook_is_newest_first_and_paginated(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    for n in range(12):
        GuestbookEntry.create(space=space, profile=pupil, author=teacher, body=f"Entry {n:02d}")
    login(teacher)
    first = client.get(space_url(space, "profile", user_id=pupil.id)).get_data(as_text=True)
    assert "Entry 11" in first and "Entry 02" in first and "Entry 01" not in first
    assert first.index("Entry 11") < first.index("Entry 10")
    assert "Page 1 of 2" in first and "Next page" in first
    second = client.get(space_url(space, "profile", user_id=pupil.id, page=2)).get_data(
        as_text=True)
    assert "Entry 01" in second and "Entry 00" in second and "Entry 02" not in second


def test_members_list_links_to_profiles(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    login(pupil)
    page = client.get(space_url(space, "members")).get_data(as_text=True)
    their_profile = space_url(space, "profile", user_id=teacher.id)
    assert f'href="{their_profile}">{teacher.name}</a>' in page
    profile = client.get(their_profile).get_data(as_text=True)
    assert f'href="{space_url(space, "mail_new", to=teacher.id)}"' in profile
    assert "runs the space" in profile
