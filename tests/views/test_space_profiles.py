"""T-13: the profile in a space: picture, short description and role, the same in all my
spaces; the guestbook (members leave messages; the author or the teachers delete them)."""
import io
import json

from PIL import Image

from models import GuestbookEntry, Notification, Role, SpaceRole, User
from services import spaces
from tests.conftest import switch
from tests.factories import make_user
from tests.views.test_twinmail import class_of
from tests.views.test_twinspace import make_space




def png(name="me.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 90, 0)).save(out, "PNG")
    out.seek(0)
    return (out, name)


def edit(client, space, about="", picture=None, remove=False):
    data = {"about": about}
    if picture is not None:
        data["picture"] = picture
    if remove:
        data["remove_picture"] = "y"
    return client.post(f"/twinspaces/{space.id}/profile/edit", data=data,
                       content_type="multipart/form-data")


def sign(client, space, person, body="Great work!"):
    return client.post(f"/twinspaces/{space.id}/members/{person.id}/guestbook",
                       data={"body": body})


def test_my_picture_and_description_show_in_all_my_spaces(client, login):
    space, teacher, pupil = class_of()
    other_space = make_space(make_user(), title="Mountains")
    spaces.join(other_space, pupil, SpaceRole.STUDENT)
    login(pupil)
    page = client.get(f"/twinspaces/{space.id}/profile/edit").get_data(as_text=True)
    assert "Edit my profile" in page and 'enctype="multipart/form-data"' in page
    response = edit(client, space, about="I like <b>rivers</b>\nand https://example.org",
                    picture=png())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/twinspaces/{space.id}/members/"
                                                 f"{pupil.id}/profile")
    me = User.get_by_id(pupil.id)
    assert me.photo_id and me.space_about.startswith("I like <b>rivers</b>")
    for where in (space, other_space):
        page = client.get(f"/twinspaces/{where.id}/members/{pupil.id}/profile").get_data(
            as_text=True)
        assert "I like &lt;b&gt;rivers&lt;/b&gt;" in page and "<b>rivers</b>" not in page
        assert '<a href="https://example.org" rel="nofollow">' in page
        assert f'src="/files/{me.photo_id}/w160"' in page and 'alt="Picture of Lucia Pupil"' in page
        assert "Pupil</span>" in page and "Edit my profile" in page
    # Her teacher sees the same, and the picture file.
    switch(client, teacher)
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert "I like &lt;b&gt;rivers" in page and "Edit my profile" not in page
    assert client.get(f"/files/{me.photo_id}/w160").status_code == 200
    # Remove the picture.
    switch(client, pupil)
    assert edit(client, space, about="Short", remove=True).status_code == 303
    me = User.get_by_id(pupil.id)
    assert me.photo_id is None and me.space_about == "Short"


def test_profile_edit_errors_keep_what_was_typed(client, login):
    space, _teacher, pupil = class_of()
    login(pupil)
    response = edit(client, space, about="x" * 501)
    assert response.status_code == 422
    assert "Write at most 500 characters about yourself" in response.get_data(as_text=True)
    response = edit(client, space, about="Kept words",
                    picture=(io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "a.svg"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file must be a JPEG, PNG, GIF or WebP image" in page and "Kept words" in page
    assert 'id="picture-error"' in page and "<title>Error:" in page
    me = User.get_by_id(pupil.id)
    assert me.space_about == "" and me.photo_id is None
    assert edit(client, space, about="x" * 500).status_code == 303


def test_member_pictures_are_for_people_who_share_a_space(client, login):
    space, teacher, pupil = class_of()
    other_space, other_teacher, _other_pupil = class_of("Mountains")
    # The teacher keeps her Live photo for contacts only: still seen by her space's members.
    teacher.profile_visibility = json.dumps({"photo": "contacts"})
    teacher.save()
    login(teacher)
    edit(client, space, about="Teacher of science", picture=png("ana.png"))
    photo_id = User.get_by_id(teacher.id).photo_id
    switch(client, pupil)
    assert client.get(f"/files/{photo_id}/w160").status_code == 200
    switch(client, other_teacher)
    assert client.get(f"/files/{photo_id}/w160").status_code == 404
    client.post("/auth/logout")
    assert client.get(f"/files/{photo_id}/w160").status_code == 404


def test_profiles_of_non_members_and_other_spaces_are_404(client, login):
    space, teacher, pupil = class_of()
    other_space, other_teacher, other_pupil = class_of("Mountains")
    stranger = make_user()
    entry = GuestbookEntry.create(space=other_space, profile=other_pupil, author=other_teacher,
                                  body="Secret of Mountains")
    login(pupil)
    base = f"/twinspaces/{space.id}/members"
    for person in (stranger, other_pupil):
        assert client.get(f"{base}/{person.id}/profile").status_code == 404
        assert sign(client, space, person).status_code == 404
    assert client.get(f"{base}/999999/profile").status_code == 404
    # Guessing the ids of another space's guestbook, here or there.
    assert client.get(f"{base}/{other_pupil.id}/guestbook/{entry.id}/delete").status_code == 404
    assert client.get(f"{base}/{pupil.id}/guestbook/{entry.id}/delete").status_code == 404
    there = f"/twinspaces/{other_space.id}/members/{other_pupil.id}"
    assert client.get(f"{there}/profile").status_code == 404
    assert client.post(f"{there}/guestbook", data={"body": "x"}).status_code == 404
    assert client.post(f"{there}/guestbook/{entry.id}/delete").status_code == 404
    assert client.get(f"/twinspaces/{other_space.id}/profile/edit").status_code == 404
    assert GuestbookEntry.select().count() == 1
    client.post("/auth/logout")
    response = client.get(f"{base}/{pupil.id}/profile")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


def test_members_leave_messages_and_the_owner_is_told(client, login):
    space, teacher, pupil = class_of()
    guest = make_user(Role.VISITOR, name="Guest Mum")
    spaces.join(space, guest, SpaceRole.VISITOR)
    login(teacher)
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert "Leave a message" in page and "No messages yet." in page
    response = sign(client, space, pupil, body="Well done <script>x</script>")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/members/{pupil.id}/profile#guestbook")
    entry = GuestbookEntry.get()
    assert (entry.space_id, entry.profile_id, entry.author_id) == (space.id, pupil.id,
                                                                    teacher.id)
    note = Notification.get(Notification.recipient == pupil.id)
    assert note.kind == "guestbook"
    assert note.text == "Ana Teacher left a message on your profile in Rivers"
    assert note.link == f"/twinspaces/{space.id}/members/{pupil.id}/profile#guestbook"
    # Guests are members too: they read and write.
    switch(client, guest)
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert "Well done &lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert sign(client, space, pupil, body="Bravo").status_code == 303
    assert Notification.get(Notification.recipient == pupil.id).text == (
        "2 new messages on your profile in Rivers")
    # Errors: next to the field, what was typed kept.
    response = sign(client, space, pupil, body="y" * 1001)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write a message of at most 1,000 characters" in page and "y" * 1001 in page
    assert sign(client, space, pupil, body="  ").status_code == 422
    assert GuestbookEntry.select().count() == 2
    # Not on one's own profile.
    switch(client, pupil)
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert "Bravo" in page and "Leave the message" not in page
    assert sign(client, space, pupil).status_code == 403


def test_the_author_or_the_teachers_delete_a_message(client, login):
    space, teacher, pupil = class_of()
    classmate = make_user(Role.STUDENT, name="Classmate")
    spaces.join(space, classmate, SpaceRole.STUDENT)
    mine = GuestbookEntry.create(space=space, profile=pupil, author=classmate, body="Mine")
    other = GuestbookEntry.create(space=space, profile=pupil, author=teacher, body="Teacher's")
    base = f"/twinspaces/{space.id}/members/{pupil.id}/guestbook"
    login(pupil)  # the profile's owner is not the author: she cannot delete
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert f"{base}/{mine.id}/delete" not in page
    assert client.get(f"{base}/{mine.id}/delete").status_code == 403
    assert client.post(f"{base}/{mine.id}/delete").status_code == 403
    switch(client, classmate)
    page = client.get(f"/twinspaces/{space.id}/members/{pupil.id}/profile").get_data(
        as_text=True)
    assert f"{base}/{mine.id}/delete" in page and f"{base}/{other.id}/delete" not in page
    assert client.post(f"{base}/{other.id}/delete").status_code == 403
    confirm = client.get(f"{base}/{mine.id}/delete")
    assert confirm.status_code == 200 and "Delete the message" in confirm.get_data(as_text=True)
    assert client.post(f"{base}/{mine.id}/delete", csrf=False).status_code == 400
    assert GuestbookEntry.select().count() == 2  # without a token: refused, kept
    assert client.post(f"{base}/{mine.id}/delete").status_code == 303
    assert GuestbookEntry.select().count() == 1
    switch(client, teacher)
    assert client.post(f"{base}/{other.id}/delete").status_code == 303
    assert GuestbookEntry.select().count() == 0
    assert client.post(f"{base}/{other.id}/delete").status_code == 404


def test_the_guestbook_is_newest_first_and_paginated(client, login):
    space, teacher, pupil = class_of()
    for n in range(12):
        GuestbookEntry.create(space=space, profile=pupil, author=teacher, body=f"Entry {n:02d}")
    login(teacher)
    url = f"/twinspaces/{space.id}/members/{pupil.id}/profile"
    first = client.get(url).get_data(as_text=True)
    assert "Entry 11" in first and "Entry 02" in first and "Entry 01" not in first
    assert first.index("Entry 11") < first.index("Entry 10")
    assert "Page 1 of 2" in first and "Next page" in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert "Entry 01" in second and "Entry 00" in second and "Entry 02" not in second


def test_members_list_links_to_profiles(client, login):
    space, teacher, pupil = class_of()
    login(pupil)
    page = client.get(f"/twinspaces/{space.id}/members").get_data(as_text=True)
    assert f'href="/twinspaces/{space.id}/members/{teacher.id}/profile">Ana Teacher</a>' in page
    profile = client.get(f"/twinspaces/{space.id}/members/{teacher.id}/profile").get_data(
        as_text=True)
    assert f'href="/twinspaces/{space.id}/mail/new?to={teacher.id}"' in profile
    assert "runs the space" in profile
