"""P-6: register, confirm the e-mail, log in and out, reset a forgotten password."""
import os
import re

import pytest
from flask import url_for

from app import create_app

from models import OutboxMail, Role, School, SpaceRole, User
from services import spaces
from tests.conftest import hx
from tests.factories import PASSWORD, make_school, make_space, make_user, reload

REDIS_URL = os.environ.get("REDIS_URL")


def register_data(**overrides):
    data = {
        "country": "ES", "school": "", "new_school_name": "IES Nueva", "new_school_city": "Toledo",
        "name": "Rosa Díaz", "email": "rosa@example.org", "password": "a long password here",
        "subjects": ["history", "art"], "age_ranges": ["12-15"],
    }
    data.update(overrides)
    return data


def link_in_last_mail(to):
    mail = (OutboxMail.select().where(OutboxMail.to_address == to)
            .order_by(OutboxMail.id.desc()).first())
    assert mail is not None, f"no mail to {to}"
    return re.search(r"http://localhost(/\S+)", mail.body).group(1)


def test_register_creates_teacher_with_new_school_and_mails_confirmation(client):
    response = client.post("/auth/register", data=register_data())
    assert response.status_code == 303
    assert response.headers["Location"] == "/live/"
    user = User.get(User.email == "rosa@example.org")
    assert user.role == Role.TEACHER and user.country == "ES"
    assert user.school.name == "IES Nueva" and user.school.city == "Toledo"
    assert user.subject_codes == ["art", "history"]
    assert user.age_range_codes == ["12-15"]
    assert not user.email_confirmed
    assert user.password_hash != "a long password here"
    # Logged in straight away, with the confirmation notice on the desktop.
    page = client.get("/live/").get_data(as_text=True)
    assert "Confirm your e-mail address" in page and "rosa@example.org" in page
    assert link_in_last_mail("rosa@example.org").startswith("/auth/confirm/")


def test_register_with_an_existing_school_of_the_country(client):
    school = make_school("FR", "Collège Victor Hugo", "Lyon")
    response = client.post("/auth/register", data=register_data(
        country="FR", school=str(school.id), new_school_name="", new_school_city=""))
    assert response.status_code == 303
    assert User.get(User.email == "rosa@example.org").school_id == school.id
    assert School.select().count() == 1


def test_register_lists_schools_of_the_chosen_country_only(client):
    make_school("FR", "Collège Victor Hugo")
    make_school("IT", "Liceo Dante")
    page = client.get("/auth/register?country=FR").get_data(as_text=True)
    assert "Collège Victor Hugo" in page and "Liceo Dante" not in page


def test_school_list_is_an_htmx_partial(client):
    make_school("IT", "Liceo Dante")
    response = client.get("/auth/register?country=IT", headers=hx("school-field"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Liceo Dante" in body
    assert "<html" not in body and 'id="school-field"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_no_js_show_schools_keeps_what_was_typed_without_validating(client):
    make_school("IT", "Liceo Dante")
    response = client.post("/auth/register", data={"country": "IT", "name": "Rosa",
                                                     "action": "schools"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Liceo Dante" in body and 'value="Rosa"' in body
    assert "There is a problem" not in body
    assert User.select().count() == 0


@pytest.mark.parametrize("overrides, field, message", [
    ({"email": ""}, "email", "Enter your e-mail address"),
    ({"email": "not-an-address"}, "email", "Enter an e-mail address like name@school.eu"),
    ({"email": "x" * 250 + "@example.org"}, "email", "at most 254 characters"),
    ({"password": "short"}, "password", "at least 10 characters"),
    ({"password": "rosa@example.org"}, "password", "not your e-mail address"),
    ({"password": "p" * 129}, "password", "at most 128 characters"),
    ({"name": "   "}, "name", "Enter your full name"),
    ({"name": "n" * 121}, "name", "at most 120 characters"),
    ({"country": "XX"}, "country", "Choose your country from the list"),
    ({"country": ""}, "country", "Choose your country from the list"),
    ({"new_school_name": ""}, "new_school_name", "enter its name if it is not there"),
    ({"new_school_name": "s" * 201}, "new_school_name", "at most 200 characters"),
    ({"school": "999999"}, "school", "Choose a school from the list for your country"),
    ({"subjects": []}, "subjects", "Choose at least one subject"),
    ({"subjects": ["alchemy"]}, "subjects", "Choose subjects from the list"),
    ({"age_ranges": []}, "age_ranges", "Choose at least one age range"),
])
def test_register_refuses_bad_input_next_to_the_field_and_keeps_it(client, overrides, field,
                                                                      message):
    response = client.post("/auth/register", data=register_data(**overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in body and "There is a problem" in body
    assert f'id="{field}-error"' in body and message in body
    # Everything typed is kept (passwords excepted, by design).
    if field != "name":
        assert 'value="Rosa Díaz"' in body
    if field != "new_school_name":
        assert 'value="IES Nueva"' in body
    assert User.select().count() == 0


def test_register_refuses_a_school_of_another_country(client):
    italian = make_school("IT", "Liceo Dante")
    response = client.post("/auth/register", data=register_data(school=str(italian.id),
                                                                 new_school_name=""))
    assert response.status_code == 422
    assert "Choose a school from the list for your country" in response.get_data(as_text=True)


def test_register_refuses_a_duplicate_email_whatever_its_case(client):
    make_user(email="rosa@example.org")
    response = client.post("/auth/register", data=register_data(email="Rosa@Example.org"))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert User.select().count() == 1


def test_register_without_csrf_token_is_refused_with_a_clear_page(client):
    response = client.post("/auth/register", data=register_data(), csrf=False)
    assert response.status_code == 400
    assert "The form could not be sent" in response.get_data(as_text=True)
    assert User.select().count() == 0


def test_confirm_link_confirms_the_address(client):
    client.post("/auth/register", data=register_data())
    response = client.get(link_in_last_mail("rosa@example.org"))
    assert response.status_code == 303
    assert User.get(User.email == "rosa@example.org").email_confirmed
    assert "is confirmed" in client.get("/live/").get_data(as_text=True)


def test_confirm_with_a_tampered_token_is_refused(client):
    response = client.get("/auth/confirm/not-a-token")
    assert response.status_code == 400
    assert "This confirmation link does not work" in response.get_data(as_text=True)


def test_resend_confirmation_sends_another_mail(client, login):
    teacher = make_user(confirmed=False)
    login(teacher)
    response = client.post("/auth/confirm")
    assert response.status_code == 303
    assert OutboxMail.select().where(OutboxMail.to_address == teacher.email).count() == 1


def test_login_with_email_lands_teacher_on_live(client):
    teacher = make_user(email="ana@example.org")
    response = client.post("/auth/login", data={"identifier": "ANA@example.org",
                                                "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/live/"
    assert reload(teacher).last_login_at is not None


def test_student_logs_in_with_username(app, client):
    pupil = make_user(Role.STUDENT, username="lucia")
    space = make_space(make_user())
    spaces.join(space, pupil, SpaceRole.STUDENT)
    response = client.post("/auth/login", data={"identifier": "lucia", "password": PASSWORD})
    assert response.status_code == 303
    assert "lucia" in client.get("/account/").get_data(as_text=True)


# --- Issue 10.8: each role lands where its work is ------------------------------------------

@pytest.mark.parametrize("role, space_role", [(Role.STUDENT, SpaceRole.STUDENT),
                                              (Role.VISITOR, SpaceRole.VISITOR)])
def test_pupils_and_guests_land_in_their_space(app, client, role, space_role, space_kind,
                                               space_url):
    person = make_user(role)
    space = make_space(make_user(), space_kind, title="Rivers")
    spaces.join(space, person, space_role)
    make_space(make_user(), space_kind, title="Not mine")
    response = attempt(client, app, person.username, PASSWORD)
    home = space_url(space, "home")
    assert response.status_code == 303 and response.headers["Location"] == home
    page = client.get(home)
    assert page.status_code == 200 and "<h1>Rivers</h1>" in page.get_data(as_text=True)


def test_a_pupil_in_several_spaces_lands_on_the_list_of_them(app, client):
    pupil = make_user(Role.STUDENT)
    for title in ("Rivers", "Letters"):
        spaces.join(make_space(make_user(), title=title), pupil, SpaceRole.STUDENT)
    response = attempt(client, app, pupil.username, PASSWORD)
    with app.test_request_context():
        listing = url_for("twinspace.my_spaces")
    assert response.headers["Location"] == listing
    page = client.get(listing).get_data(as_text=True)
    assert "Rivers" in page and "Letters" in page


@pytest.mark.parametrize("role, endpoint", [(Role.TEACHER, "live.dashboard"),
                                            (Role.NSS, "admin.dashboard"),
                                            (Role.CSS, "admin.dashboard")])
def test_teachers_and_staff_land_on_their_dashboards(app, client, role, endpoint):
    person = make_user(role)
    response = attempt(client, app, person.email, PASSWORD)
    with app.test_request_context():
        assert response.headers["Location"] == url_for(endpoint)
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_safe_local_next_still_wins_for_a_pupil(app, client):
    pupil = make_user(Role.STUDENT)
    spaces.join(make_space(make_user()), pupil, SpaceRole.STUDENT)
    with app.test_request_context():
        account, login_url = url_for("account.show"), url_for("auth.login", next="/account/")
        evil = url_for("auth.login", next="https://evil.example/")
    data = {"identifier": pupil.username, "password": PASSWORD}
    assert client.post(login_url, data=data).headers["Location"] == account
    client.post("/auth/logout")
    assert "evil" not in client.post(evil, data=data).headers["Location"]


@pytest.mark.parametrize("identifier, password", [
    ("ana@example.org", "wrong password"),
    ("nobody@example.org", PASSWORD),
])
def test_login_failure_says_the_same_whatever_was_wrong(client, identifier, password):
    make_user(email="ana@example.org")
    response = client.post("/auth/login", data={"identifier": identifier, "password": password})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a correct e-mail address or username and password" in body
    assert 'value="%s"' % identifier in body


def test_disabled_account_cannot_log_in(client):
    make_user(email="ana@example.org", disabled=True)
    response = client.post("/auth/login", data={"identifier": "ana@example.org",
                                                "password": PASSWORD})
    assert response.status_code == 422


def test_login_returns_to_a_local_next_only(client):
    make_user(email="ana@example.org")
    data = {"identifier": "ana@example.org", "password": PASSWORD}
    response = client.post("/auth/login?next=/account/", data=data)
    assert response.headers["Location"] == "/account/"
    client.post("/auth/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/auth/login?next=" + evil, data=data)
        assert response.headers["Location"] == "/live/"
        client.post("/auth/logout")


def test_login_gives_a_new_session(client):
    teacher = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/auth/login", data={"identifier": teacher.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_the_session(client, login):
    login(make_user())
    assert client.get("/live/").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 303
    assert client.get("/live/").status_code == 303


def test_logout_needs_csrf(client, login):
    login(make_user())
    assert client.post("/auth/logout", csrf=False).status_code == 400
    assert client.get("/live/").status_code == 200


def test_forgot_password_answers_the_same_for_unknown_addresses(client):
    make_user(email="ana@example.org")
    known = client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    unknown = client.post("/auth/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert OutboxMail.select().count() == 1


def test_forgot_password_refuses_a_malformed_address(client):
    response = client.post("/auth/password/forgot", data={"email": "ana"})
    assert response.status_code == 422
    assert "Enter an e-mail address like name@school.eu" in response.get_data(as_text=True)


def test_reset_link_sets_a_new_password_once(client):
    teacher = make_user(email="ana@example.org", confirmed=False)
    client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    link = link_in_last_mail("ana@example.org")
    assert client.get(link).status_code == 200
    new = {"password": "a brand new password", "confirm": "a brand new password"}
    response = client.post(link, data=new)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert reload(teacher).email_confirmed
    login_new = client.post("/auth/login", data={"identifier": "ana@example.org",
                                                 "password": "a brand new password"})
    assert login_new.status_code == 303
    # The same link a second time: spent.
    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert client.post(link, data=new).status_code == 400


def test_reset_link_expires_after_an_hour(client, monkeypatch):
    make_user(email="ana@example.org")
    client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    link = link_in_last_mail("ana@example.org")
    import time
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3601)
    assert client.get(link).status_code == 400


def test_reset_refuses_mismatched_or_weak_passwords(client):
    make_user(email="ana@example.org")
    client.post("/auth/password/forgot", data={"email": "ana@example.org"})
    link = link_in_last_mail("ana@example.org")
    response = client.post(link, data={"password": "a brand new password", "confirm": "other"})
    assert response.status_code == 422
    assert "Enter the same password twice" in response.get_data(as_text=True)
    response = client.post(link, data={"password": "ana@example.org",
                                       "confirm": "ana@example.org"})
    assert response.status_code == 422


def test_password_reset_ends_existing_sessions(app, client, login):
    teacher = make_user(email="ana@example.org")
    login(teacher)
    other = app.test_client()
    other.post("/auth/password/forgot", data={"email": "ana@example.org"})
    link = link_in_last_mail("ana@example.org")
    other.post(link, data={"password": "a brand new password",
                           "confirm": "a brand new password"})
    assert client.get("/live/").status_code == 303


# --- Issue 10.2: failed log-ins are limited without letting anybody lock a teacher out ------

SCHOOL, ATTACKER = "198.51.100.7", "203.0.113.9"


def urls(app):
    with app.test_request_context():
        return {name: url_for(name) for name in
                ("auth.login", "auth.logout", "auth.forgot_password", "live.dashboard")}


def attempt(client, app, identifier, password, address=SCHOOL):
    return client.post(urls(app)["auth.login"], data={"identifier": identifier,
                                                      "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_successful_log_ins_are_not_counted(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    make_user(email="ana@example.org")
    for _ in range(12):
        response = attempt(client, app, "ana@example.org", PASSWORD)
        assert response.status_code == 303
        assert response.headers["Location"] == urls(app)["live.dashboard"]
        client.post(urls(app)["auth.logout"])


def test_failures_elsewhere_do_not_lock_the_owner_out(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    attacker, owner = app.test_client(), app.test_client()
    make_user(email="ana@example.org")
    codes = [attempt(attacker, app, "ana@example.org", "a wrong guess", ATTACKER).status_code
             for _ in range(10)]
    assert codes == [422] * 10
    # The attacker's eleventh guess is refused, even the right password, with how long to wait.
    for password in ("another guess", PASSWORD):
        refused = attempt(attacker, app, "ANA@example.org ", password, ATTACKER)
        assert refused.status_code == 429
        assert 800 < int(refused.headers["Retry-After"]) <= 900
        page = refused.get_data(as_text=True)
        assert "Too many failed attempts to log in. Wait 15 minutes and try again" in page
        assert "<title>Error: " in page and 'aria-invalid="true"' in page
        assert 'value="ANA@example.org "' in page  # what was typed is kept
    # Ana, from her school, is not affected.
    response = attempt(owner, app, "ana@example.org", PASSWORD, SCHOOL)
    assert response.status_code == 303
    # Other accounts from the attacker's address are not affected either.
    make_user(email="ben@example.org")
    assert attempt(attacker, app, "ben@example.org", PASSWORD, ATTACKER).status_code == 303


def test_a_success_clears_the_count_of_that_account(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    make_user(email="ana@example.org")
    for _ in range(9):
        assert attempt(client, app, "ana@example.org", "typo").status_code == 422
    assert attempt(client, app, "ana@example.org", PASSWORD).status_code == 303
    client.post(urls(app)["auth.logout"])
    for _ in range(9):
        assert attempt(client, app, "ana@example.org", "typo").status_code == 422
    assert attempt(client, app, "ana@example.org", PASSWORD).status_code == 303


def test_the_password_reset_link_lets_a_locked_out_owner_in(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    make_user(email="ana@example.org")
    for _ in range(10):
        attempt(client, app, "ana@example.org", "a wrong guess")
    assert attempt(client, app, "ana@example.org", PASSWORD).status_code == 429
    client.post(urls(app)["auth.forgot_password"], data={"email": "ana@example.org"})
    link = link_in_last_mail("ana@example.org")
    new = "a brand new password"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 303
    assert attempt(client, app, "ana@example.org", new).status_code == 303


def test_one_address_has_a_larger_limit_over_all_accounts(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_FAILURES_PER_ADDRESS="15 per 15 minutes")
    client = app.test_client()
    make_user(email="ana@example.org")
    for n in range(15):
        assert attempt(client, app, f"guess{n}@example.org", "x", ATTACKER).status_code == 422
    response = attempt(client, app, "ana@example.org", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Wait 15 minutes" in response.get_data(as_text=True)
    assert attempt(client, app, "ana@example.org", PASSWORD, SCHOOL).status_code == 303


def test_refused_and_invalid_forms_are_not_failures(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    make_user(email="ana@example.org")
    for _ in range(12):
        assert attempt(client, app, "ana@example.org", "").status_code == 422
    assert attempt(client, app, "ana@example.org", PASSWORD).status_code == 303


def failures_are_counted_across_server_processes(make_app):
    """Defined as a test only when REDIS_URL is set (CI's second pass), never skipped: a
    second app (as another process would) builds its own connection to the same Redis."""
    config = dict(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL)
    app = make_app(**config)
    make_user(email="ana@example.org")
    client = app.test_client()
    for _ in range(10):
        assert attempt(client, app, "ana@example.org", "a wrong guess").status_code == 422
    other = create_app(dict(app.config))  # same database, same Redis, fresh storage object
    other.test_client_class = app.test_client_class
    assert attempt(other.test_client(), other, "ana@example.org", PASSWORD).status_code == 429


if REDIS_URL:
    test_failures_are_counted_across_server_processes = \
        failures_are_counted_across_server_processes


def test_logout_ends_the_sessions_on_other_computers_too(app, client, login):
    teacher = make_user()
    login(teacher)
    other = app.test_client()
    other.post("/auth/login", data={"identifier": teacher.email, "password": PASSWORD})
    assert other.get("/live/").status_code == 200
    client.post("/auth/logout")
    assert other.get("/live/").status_code == 303


def test_disabling_an_account_ends_its_sessions(client, login):
    teacher = make_user()
    login(teacher)
    assert client.get("/live/").status_code == 200
    User.update(disabled=True).where(User.id == teacher.id).execute()
    assert client.get("/live/").status_code == 303


def test_changing_password_keeps_this_session_and_ends_the_others(app, client, login):
    teacher = make_user()
    login(teacher)
    other = app.test_client()
    other.post("/auth/login", data={"identifier": teacher.email, "password": PASSWORD})
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": "another long password",
        "confirm": "another long password"})
    assert response.status_code == 303
    assert client.get("/live/").status_code == 200
    assert other.get("/live/").status_code == 303


@pytest.mark.parametrize("data, message", [
    ({"current": "wrong one", "password": "another long password",
      "confirm": "another long password"}, "Enter your current password correctly"),
    ({"current": PASSWORD, "password": "short", "confirm": "short"}, "at least 10 characters"),
    ({"current": PASSWORD, "password": "another long password", "confirm": "different"},
     "Enter the same password twice"),
])
def test_changing_password_refuses_bad_input(client, login, data, message):
    teacher = make_user()
    login(teacher)
    response = client.post("/account/password", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reload(teacher).password_hash == teacher.password_hash
