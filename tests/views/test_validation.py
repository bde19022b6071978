"""L-15: national staff validate the new teachers of their country — the queue, accepting,
refusing with a reason, who may do it, and the notification the teacher gets."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from models import Notification, Role, User, Validation, utcnow
from tests.factories import make_school, make_user, reload


def pending(country="ES", **kwargs):
    kwargs.setdefault("school", make_school(country, city="Sevilla"))
    return make_user(Role.TEACHER, country=country, validated=False, **kwargs)


@pytest.mark.parametrize("role, code", [
    (Role.TEACHER, 403), (Role.STUDENT, 403), (Role.VISITOR, 403), (Role.NSS, 200),
    (Role.CSS, 200)])
def test_who_reaches_the_queue(client, login, role, code):
    login(make_user(role))
    assert client.get("/admin/validation").status_code == code


def test_a_teacher_cannot_validate_anybody(client, login):
    waiting = pending()
    login(make_user(Role.TEACHER))
    assert client.post(f"/admin/validation/{waiting.id}/accept").status_code == 403
    assert client.post(f"/admin/validation/{waiting.id}/refuse",
                       data={f"refuse-{waiting.id}-reason": "No"}).status_code == 403
    assert reload(waiting).validation == Validation.PENDING


def test_queue_lists_my_countrys_pending_teachers_oldest_first(client, login):
    now = utcnow()
    older = pending(name="Older Teacher", subjects=["history"])
    newer = pending(name="Newer Teacher", confirmed=False)
    User.update(created_at=now - datetime.timedelta(days=3)).where(User.id == older.id).execute()
    User.update(created_at=now - datetime.timedelta(days=1)).where(User.id == newer.id).execute()
    pending("FR", name="French Teacher")
    make_user(Role.TEACHER, name="Validated Teacher")
    login(make_user(Role.NSS, country="ES"))
    body = client.get("/admin/validation").get_data(as_text=True)
    assert "Teachers to validate in Spain" in body
    assert body.index("Older Teacher") < body.index("Newer Teacher")
    assert "French Teacher" not in body and "Validated Teacher" not in body
    assert older.email in body and "Sevilla" in body and "History" in body
    assert "not confirmed" in body and "2 teachers are waiting" in body
    assert f'action="/admin/validation/{older.id}/accept"' in body


def test_central_staff_see_every_country_and_filter(client, login):
    pending("ES", name="Spanish Teacher")
    pending("FR", name="French Teacher")
    login(make_user(Role.CSS))
    body = client.get("/admin/validation").get_data(as_text=True)
    assert "Spanish Teacher" in body and "French Teacher" in body
    body = client.get("/admin/validation?country=FR").get_data(as_text=True)
    assert "French Teacher" in body and "Spanish Teacher" not in body
    body = client.get("/admin/validation?country=ZZ").get_data(as_text=True)
    assert "Spanish Teacher" in body  # an unknown country is no filter


def test_national_staff_cannot_filter_out_of_their_country(client, login):
    pending("FR", name="French Teacher")
    login(make_user(Role.NSS, country="ES"))
    body = client.get("/admin/validation?country=FR").get_data(as_text=True)
    assert "French Teacher" not in body


def test_queue_is_paginated_and_fits_a_query_budget(app, client, login):
    start = utcnow() - datetime.timedelta(days=30)
    school = make_school("ES")
    for n in range(25):
        user = pending(name=f"Teacher {n:02d}", school=school, subjects=["maths", "art"])
        User.update(created_at=start + datetime.timedelta(hours=n)).where(
            User.id == user.id).execute()
    login(make_user(Role.NSS, country="ES"))
    client.get("/admin/validation")  # warm up
    with count_queries() as counter:
        response = client.get("/admin/validation")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.count("/accept\"") == 20 and "Teacher 00" in body and "Teacher 20" not in body
    assert "Page 1 of 2" in body and "Next page" in body
    assert counter.count <= 6, counter.count
    body = client.get("/admin/validation?page=2").get_data(as_text=True)
    assert "Teacher 24" in body and "Teacher 00" not in body


def test_accepting_validates_and_notifies_in_the_teachers_language(client, login):
    waiting = pending(language="es")
    waiting.validation_note = "old reason"
    waiting.save()
    login(make_user(Role.NSS, country="ES"))
    response = client.post(f"/admin/validation/{waiting.id}/accept")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/admin/validation")
    user = reload(waiting)
    assert user.validation == Validation.VALIDATED and user.validation_note == ""
    assert user.validated_at and abs(user.validated_at - utcnow()).total_seconds() < 60
    note = Notification.get(Notification.recipient == user.id)
    assert note.kind == "validation" and note.subject_key == f"validation:{user.id}"
    assert note.link == "/live/profile" and note.text
    assert "is validated" in client.get("/admin/validation").get_data(as_text=True)


def test_refusing_keeps_the_reason_and_notifies(client, login):
    waiting = pending()
    login(make_user(Role.NSS, country="ES"))
    response = client.post(f"/admin/validation/{waiting.id}/refuse",
                           data={f"refuse-{waiting.id}-reason": "  Your school is unknown  "})
    assert response.status_code == 303
    user = reload(waiting)
    assert user.validation == Validation.REFUSED
    assert user.validation_note == "Your school is unknown"
    note = Notification.get(Notification.recipient == user.id)
    assert note.kind == "validation" and note.link == "/live/profile"
    assert "could not validate your account" in note.text
    # The teacher reads the reason on their profile.
    client.post("/auth/logout")
    login(user)
    body = client.get("/live/profile").get_data(as_text=True)
    assert "Your school is unknown" in body


@pytest.mark.parametrize("reason", ["", "   "])
def test_refusing_without_a_reason_asks_for_one(client, login, reason):
    waiting = pending()
    login(make_user(Role.NSS, country="ES"))
    response = client.post(f"/admin/validation/{waiting.id}/refuse",
                           data={f"refuse-{waiting.id}-reason": reason})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in body and "There is a problem" in body
    assert f'id="refuse-{waiting.id}-reason-error"' in body
    assert "Enter the reason, so the teacher knows what to correct" in body
    assert f'href="#refuse-{waiting.id}-reason"' in body
    assert reload(waiting).validation == Validation.PENDING
    assert Notification.select().count() == 0


def test_national_staff_of_another_country_get_404(client, login):
    spanish = pending("ES")
    login(make_user(Role.NSS, country="FR"))
    assert client.post(f"/admin/validation/{spanish.id}/accept").status_code == 404
    assert client.post(f"/admin/validation/{spanish.id}/refuse",
                       data={f"refuse-{spanish.id}-reason": "No"}).status_code == 404
    assert reload(spanish).validation == Validation.PENDING


def test_unknown_people_and_non_teachers_get_404(client, login):
    login(make_user(Role.NSS, country="ES"))
    assert client.post("/admin/validation/999999/accept").status_code == 404
    pupil = make_user(Role.STUDENT, country="ES")
    assert client.post(f"/admin/validation/{pupil.id}/accept").status_code == 404


def test_central_staff_validate_any_country(client, login):
    french = pending("FR")
    login(make_user(Role.CSS))
    assert client.post(f"/admin/validation/{french.id}/accept?country=FR").status_code == 303
    assert reload(french).validation == Validation.VALIDATED


@pytest.mark.parametrize("state", [Validation.VALIDATED, Validation.REFUSED])
def test_a_decided_teacher_is_not_changed_again(client, login, state):
    teacher = pending()
    teacher.validation, teacher.validation_note = state, "first"
    teacher.save()
    login(make_user(Role.NSS, country="ES"))
    for action, data in (("accept", {}), ("refuse", {f"refuse-{teacher.id}-reason": "again"})):
        response = client.post(f"/admin/validation/{teacher.id}/{action}", data=data)
        assert response.status_code == 303
        body = client.get("/admin/validation").get_data(as_text=True)
        assert "is not waiting for validation any more" in body
    user = reload(teacher)
    assert user.validation == state and user.validation_note == "first"
    assert Notification.select().count() == 0


def test_validation_needs_a_csrf_token(client, login):
    waiting = pending()
    login(make_user(Role.NSS, country="ES"))
    assert client.post(f"/admin/validation/{waiting.id}/accept", csrf=False).status_code == 400
    assert reload(waiting).validation == Validation.PENDING
