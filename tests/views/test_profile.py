"""L-1 the teacher's profile: editing it, who sees each field, the completeness meter; and
L-15 from the teacher's side (what a pending or refused teacher reads, asking again)."""
import io

import pytest

from models import Contact, ContactState, Role, StoredFile, User, Validation, Visibility
from services import permissions
from tests.factories import make_school, make_user, reload

ALL_FIELDS = ("name", "photo", "school", "subjects", "age_ranges", "languages", "offer")


def png(size=(200, 260)):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    out.seek(0)
    return (out, "me.png")


def form_data(user=None, **changes):
    """A complete, valid profile form; `changes` replace single values."""
    data = {"name": "Rosa Díaz", "school": str(user.school_id) if user and user.school_id else "",
            "subjects": ["history", "maths"], "age_ranges": ["12-15"],
            "languages": ["en", "es"], "offer": "A river project with 13-year-olds."}
    data.update({f"vis_{field}": Visibility.MEMBERS for field in ALL_FIELDS})
    data.update(changes)
    return data


@pytest.fixture
def teacher():
    school = make_school("ES", name="IES Cervantes", city="Toledo")
    return make_user(Role.TEACHER, school=school, name="Rosa Díaz",
                     subjects=["history"], age_ranges=["12-15"])


@pytest.mark.parametrize("role, code", [
    (Role.TEACHER, 200), (Role.STUDENT, 403), (Role.VISITOR, 403), (Role.NSS, 403),
    (Role.CSS, 403)])
def test_only_teachers_have_a_profile_to_edit(client, login, role, code):
    login(make_user(role))
    assert client.get("/live/profile").status_code == code
    assert client.get("/live/profile/edit").status_code == code
    if code == 403:
        assert client.post("/live/profile/edit", data=form_data()).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/live/profile/edit")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


def test_edit_form_shows_what_i_have_now(client, login, teacher):
    login(teacher)
    body = client.get("/live/profile/edit").get_data(as_text=True)
    assert 'value="Rosa Díaz"' in body
    assert "IES Cervantes — Toledo" in body
    assert 'value="history" checked' in body and 'value="maths" checked' not in body
    # Every field has its own "who can see it" group, members chosen by default.
    for field in ALL_FIELDS:
        assert f'id="vis_{field}-1" name="vis_{field}" value="members" checked' in body
    assert "your country, subjects and pupil ages become public too" in body


def test_saving_the_profile_writes_everything_and_goes_back(app, client, login, teacher):
    other_school = make_school("ES", name="CEIP Goya", city="Zaragoza")
    login(teacher)
    response = client.post("/live/profile/edit", data=form_data(
        teacher, name="Rosa Díaz Ruiz", school=str(other_school.id), photo=png(),
        vis_offer=Visibility.CONTACTS, vis_school=Visibility.PUBLIC),
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/live/profile")
    user = reload(teacher)
    assert user.name == "Rosa Díaz Ruiz" and user.school_id == other_school.id
    assert user.subject_codes == ["history", "maths"] and user.language_codes == ["en", "es"]
    assert user.offer == "<p>A river project with 13-year-olds.</p>"
    photo = StoredFile.get_by_id(user.photo_id)
    assert photo.owner_id == user.id and photo.content_type == "image/webp"
    assert user.visibility["offer"] == Visibility.CONTACTS
    assert user.visibility["school"] == Visibility.PUBLIC
    assert user.validation == Validation.VALIDATED
    page = client.get("/live/profile").get_data(as_text=True)
    assert "Your profile is saved." in page and "Rosa Díaz Ruiz" in page
    assert f"/files/{photo.id}/w160" in page and 'alt="Rosa Díaz Ruiz"' in page
    # The search index knows the new name.
    found = client.get("/connect?q=Ruiz").get_data(as_text=True)
    assert "Rosa Díaz Ruiz" in found


def test_a_public_name_makes_what_partners_search_for_public(client, login, teacher):
    login(teacher)
    client.post("/live/profile/edit", data=form_data(teacher, vis_name=Visibility.PUBLIC))
    user = reload(teacher)
    assert user.listed_publicly
    for field in ("name", "country", "subjects", "age_ranges"):
        assert user.visibility[field] == Visibility.PUBLIC
    assert user.visibility["offer"] == Visibility.MEMBERS


def test_removing_the_photo(client, login, teacher):
    login(teacher)
    client.post("/live/profile/edit", data=form_data(teacher, photo=png()),
                content_type="multipart/form-data")
    assert reload(teacher).photo_id
    body = client.get("/live/profile/edit").get_data(as_text=True)
    assert "Remove my photo" in body
    client.post("/live/profile/edit", data=form_data(teacher, remove_photo="y"))
    assert reload(teacher).photo_id is None


@pytest.mark.parametrize("changes, message, anchor", [
    ({"name": ""}, "Enter your full name", "name"),
    ({"subjects": ["history", "alchemy"]}, "Choose subjects from the list", "subjects-0"),
    ({"age_ranges": ["99-100"]}, "Choose age ranges from the list", "age_ranges-0"),
    ({"languages": ["en", "klingon"]}, "Choose languages from the list", "languages-0"),
    ({"vis_offer": "everybody"}, "Choose who can see it", "vis_offer-0"),
    ({"vis_photo": ""}, "Choose who can see it", "vis_photo-0"),
    ({"offer": "x" * 2001}, "Enter at most 2000 characters", "offer"),
    ({"school": "999999"}, "Choose a school from the list for your country", "school"),
])
def test_refusals_say_what_to_fix_next_to_the_field_and_keep_the_input(
        client, login, teacher, changes, message, anchor):
    login(teacher)
    data = form_data(teacher, **{"offer": "My typed words", **changes})
    response = client.post("/live/profile/edit", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in body and "There is a problem" in body
    assert f'href="#{anchor}"' in body and message in body
    assert 'aria-invalid="true"' in body or "field--error" in body
    if "offer" not in changes:
        assert "My typed words" in body
    user = reload(teacher)
    assert user.offer == "" and user.subject_codes == ["history"]


def test_a_school_of_another_country_is_refused(client, login, teacher):
    french = make_school("FR", name="Lycée Hugo", city="Paris")
    login(teacher)
    response = client.post("/live/profile/edit", data=form_data(teacher, school=str(french.id)))
    assert response.status_code == 422
    assert reload(teacher).school_id == teacher.school_id


@pytest.mark.parametrize("upload, message", [
    ((io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "me.png"),
     "The file must be a JPEG, PNG, GIF or WebP image"),
    ((io.BytesIO(b"GIF89a not really"), "me.gif"),
     "The file must be a JPEG, PNG, GIF or WebP image"),
])
def test_a_bad_photo_is_refused_next_to_the_field(client, login, teacher, upload, message):
    login(teacher)
    response = client.post("/live/profile/edit",
                           data=form_data(teacher, photo=upload, offer="Kept offer"),
                           content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="photo-error"' in body and message in body and 'href="#photo"' in body
    assert "Kept offer" in body
    user = reload(teacher)
    assert user.photo_id is None and user.offer == ""


def test_post_without_csrf_token_is_refused(client, login, teacher):
    login(teacher)
    response = client.post("/live/profile/edit", data=form_data(teacher), csrf=False)
    assert response.status_code == 400
    assert reload(teacher).offer == ""


def test_completeness_meter_names_what_is_missing(client, login, teacher):
    login(teacher)
    body = client.get("/live/profile").get_data(as_text=True)
    # School, subjects and ages given at registration: 3 of 6.
    assert "Your profile is 50% complete" in body
    assert '<meter id="completeness"' in body and 'value="50"' in body
    for label, anchor in [("A photo", "photo"), ("The languages you speak", "languages-0"),
                          ("What you can offer partners", "offer")]:
        assert f'href="/live/profile/edit#{anchor}">{label}</a>' in body
    assert "edit#subjects-0" not in body and "edit#school" not in body

    client.post("/live/profile/edit", data=form_data(teacher, photo=png()),
                content_type="multipart/form-data")
    body = client.get("/live/profile").get_data(as_text=True)
    assert "Your profile is 100% complete" in body and "Nothing is missing" in body


def test_completeness_of_an_empty_profile(client, login):
    user = make_user(Role.TEACHER)
    login(user)
    body = client.get("/live/profile").get_data(as_text=True)
    assert "Your profile is 0% complete" in body
    for anchor in ("photo", "school", "subjects-0", "age_ranges-0", "languages-0", "offer"):
        assert f"/live/profile/edit#{anchor}" in body


# --- Who sees what on /teachers/<id> ------------------------------------------------------

def _profile_with_levels(client, login, teacher, **levels):
    login(teacher)
    data = form_data(teacher, photo=png(), offer="Field trips by the river", **{
        f"vis_{field}": level for field, level in levels.items()})
    assert client.post("/live/profile/edit", data=data,
                       content_type="multipart/form-data").status_code == 303
    client.post("/auth/logout")
    return reload(teacher)


def test_an_anonymous_visitor_sees_only_public_fields(app, client, login, teacher):
    user = _profile_with_levels(client, login, teacher, name=Visibility.PUBLIC,
                                photo=Visibility.PUBLIC, languages=Visibility.MEMBERS,
                                offer=Visibility.CONTACTS, school=Visibility.MEMBERS)
    body = client.get(f"/teachers/{user.id}").get_data(as_text=True)
    assert "Rosa Díaz" in body and 'alt="Rosa Díaz"' in body
    assert 'width="160"' in body
    assert "Field trips by the river" not in body and "IES Cervantes" not in body
    assert "Spanish" not in body
    # The public photo file itself is served; a members-only one is not.
    assert client.get(f"/files/{user.photo_id}/w160").status_code == 200
    with app.app_context():
        user.set_visibility({**user.visibility, "photo": Visibility.MEMBERS})
        user.save()
    assert client.get(f"/files/{user.photo_id}/w160").status_code == 404


def test_an_unlisted_teacher_is_hidden_from_visitors(client, login, teacher):
    user = _profile_with_levels(client, login, teacher)
    assert client.get(f"/teachers/{user.id}").status_code == 404


def test_a_member_sees_members_fields_but_not_contacts_fields(client, login, teacher):
    user = _profile_with_levels(client, login, teacher, languages=Visibility.MEMBERS,
                                offer=Visibility.CONTACTS, photo=Visibility.CONTACTS)
    login(make_user(Role.TEACHER, country="FR"))
    body = client.get(f"/teachers/{user.id}").get_data(as_text=True)
    assert "Rosa Díaz" in body and "Spanish" in body and "IES Cervantes" in body
    assert "Field trips by the river" not in body and f"/files/{user.photo_id}" not in body
    assert client.get(f"/files/{user.photo_id}/w160").status_code == 404


def _contacts(a, b, state=ContactState.ACCEPTED):
    return Contact.create(requester=a, addressee=b, state=state)


def test_profile_fields_for_adds_contacts_fields_for_accepted_contacts_only(app, teacher):
    with app.app_context():
        teacher.set_visibility({"offer": Visibility.CONTACTS, "photo": Visibility.CONTACTS,
                                "name": Visibility.MEMBERS})
        teacher.save()
        friend, pending, stranger = (make_user(Role.TEACHER, country="IT") for _ in range(3))
        _contacts(friend, teacher)
        _contacts(teacher, pending, ContactState.PENDING)
        assert {"offer", "photo"} <= permissions.profile_fields_for(friend, teacher)
        for viewer in (pending, stranger):
            fields = permissions.profile_fields_for(viewer, teacher)
            assert "offer" not in fields and "name" in fields
        assert "offer" in permissions.profile_fields_for(teacher, teacher)


def test_a_contact_sees_contacts_fields_and_the_photo(client, login, teacher):
    user = _profile_with_levels(client, login, teacher, offer=Visibility.CONTACTS,
                                photo=Visibility.CONTACTS)
    friend = make_user(Role.TEACHER, country="IT")
    _contacts(user, friend)
    login(friend)
    assert client.get(f"/files/{user.photo_id}/w160").status_code == 200
    body = client.get(f"/teachers/{user.id}").get_data(as_text=True)
    assert "Field trips by the river" in body
    assert f"/files/{user.photo_id}/w160" in body


# --- Validation, seen by the teacher (L-15) ---------------------------------------------

def test_a_pending_teacher_reads_what_waiting_means(client, login):
    user = make_user(Role.TEACHER, validated=False, country="ES")
    login(user)
    body = client.get("/live/profile").get_data(as_text=True)
    assert ("National support staff of Spain will check your account; until then you can "
            "look around and complete your profile, but not found projects or write to "
            "others") in body


def test_a_refused_teacher_reads_the_reason_and_asks_again_by_saving(client, login, teacher):
    teacher.validation, teacher.validation_note = Validation.REFUSED, "Name a real school <b>"
    teacher.save()
    make_user(Role.NSS, country="ES")
    login(teacher)
    body = client.get("/live/profile").get_data(as_text=True)
    assert "Name a real school &lt;b&gt;" in body
    assert "Correct your profile and save it to ask again" in body
    response = client.post("/live/profile/edit", data=form_data(teacher))
    assert response.status_code == 303
    user = reload(teacher)
    assert user.validation == Validation.PENDING
    # National staff see the queue; nobody is notified one by one.
    from models import Notification
    assert Notification.select().count() == 0
    assert "look at your account again" in client.get("/live/profile").get_data(as_text=True)


def test_saving_does_not_change_a_validated_or_pending_state(client, login):
    pending = make_user(Role.TEACHER, validated=False)
    login(pending)
    client.post("/live/profile/edit", data=form_data(pending))
    assert reload(pending).validation == Validation.PENDING
    assert User.get_by_id(pending.id).name == "Rosa Díaz"


def test_role_in_the_community_is_saved_shown_and_searchable(client, login):
    from services import search
    teacher = make_user(name="Helena Head")
    login(teacher)
    page = client.get("/live/profile/edit").get_data(as_text=True)
    assert "Your role at school" in page
    data = {"name": "Helena Head", "community_role": "head_teacher", "subjects": ["maths"],
            "age_ranges": ["12-15"], "languages": ["en"]}
    for field in ("name", "photo", "school", "subjects", "age_ranges", "languages", "offer"):
        data[f"vis_{field}"] = "members"
    response = client.post("/live/profile/edit", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert User.get_by_id(teacher.id).community_role == "head_teacher"
    assert "Head teacher" in client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    results = client.get("/connect?type=teachers&role=head_teacher").get_data(as_text=True)
    assert "Helena Head" in results
    data["community_role"] = "wizard"
    response = client.post("/live/profile/edit", data=data)
    assert response.status_code == 422
    assert "Choose your role from the list" in response.get_data(as_text=True)
