"""The command line: create-user, seed-demo, db upgrade."""
import pytest

from models import Role, School, User
from services import demo


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_user_makes_a_ready_teacher(app, client):
    result = run(app, "create-user", "--role", "teacher", "--email", "T@Example.org",
                 "--password", "a long password", "--country", "es", "--name", "Tina",
                 "--school", "IES Uno")
    assert result.exit_code == 0, result.output
    user = User.get(User.email == "t@example.org")
    assert user.email_confirmed and user.validation == "validated"
    assert user.country == "ES" and user.school.name == "IES Uno"
    response = client.post("/auth/login", data={"identifier": "t@example.org",
                                                "password": "a long password"})
    assert response.status_code == 303


def test_create_user_makes_a_student_with_a_username(app, client):
    result = run(app, "create-user", "--role", "student", "--username", "pupil7",
                 "--password", "a long password", "--country", "IT")
    assert result.exit_code == 0, result.output
    assert User.get(User.username == "pupil7").role == Role.STUDENT


@pytest.mark.parametrize("args, message", [
    (["--role", "teacher", "--password", "a long password", "--country", "ES"],
     "Give --email or --username"),
    (["--role", "teacher", "--email", "a@example.org", "--password", "short",
      "--country", "ES"], "10 to 128 characters"),
    (["--role", "teacher", "--email", "a@example.org", "--password", "a long password",
      "--country", "XX"], "Unknown country"),
    (["--role", "nss", "--email", "a@example.org", "--password", "a long password"],
     "needs --country"),
    (["--role", "wizard", "--email", "a@example.org", "--password", "a long password"],
     "Invalid value"),
])
def test_create_user_refuses_bad_input(app, args, message):
    result = run(app, "create-user", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert User.select().count() == 0


def test_create_user_refuses_a_duplicate(app):
    args = ["create-user", "--role", "css", "--email", "a@example.org",
            "--password", "a long password"]
    assert run(app, *args).exit_code == 0
    result = run(app, *args)
    assert result.exit_code != 0 and "exists" in result.output


def test_seed_demo_fills_an_empty_database_once(app):
    result = run(app, "seed-demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert demo.DEMO_PASSWORD in result.output
    teachers = User.select().where(User.role == Role.TEACHER)
    assert teachers.count() == len(demo.TEACHERS) + 1  # and one waiting for validation
    assert teachers.where(User.validation == "pending").count() == 1
    assert len({t.country for t in teachers}) >= 8
    assert School.select().count() == len(demo.SCHOOLS)
    for role in (Role.NSS, Role.CSS, Role.STUDENT):
        assert User.select().where(User.role == role).exists()
    again = run(app, "seed-demo", "--if-empty")
    assert "not added" in again.output
    assert User.select().count() == len(demo.TEACHERS) + 1 + len(demo.STAFF) + 1


def test_demo_accounts_log_in_with_the_printed_password(app, client):
    run(app, "seed-demo")
    for _role, login in demo.DEMO_LOGINS:
        response = client.post("/auth/login", data={"identifier": login,
                                                    "password": demo.DEMO_PASSWORD})
        assert response.status_code == 303, login
        client.post("/auth/logout")


def test_db_upgrade_reports_an_up_to_date_database(app):
    result = run(app, "db", "upgrade")
    assert result.exit_code == 0 and "up to date" in result.output


def test_trusted_hosts_follow_base_url(make_app):
    app = make_app(BASE_URL="https://opentwin.example.org/")
    assert app.config["TRUSTED_HOSTS"] == ["opentwin.example.org"]
