"""The staff audit log (issue 13, 7b): each staff action writes one entry with who, what,
on what and where; central staff (only) read and filter the log on /admin/audit."""
import datetime

import pytest

from models import (AuditEntry, CertificateRequest, Module, Project, ProjectState,
                    QualityLabelRequest, Role, SpaceRole, Validation, db)
from services import audit, spaces
from tests.conftest import hx
from tests.factories import make_space, make_user, reload



def only_entry():
    entries = list(AuditEntry.select())
    assert len(entries) == 1, [(e.action, e.target_label) for e in entries]
    return entries[0]


# --- Who reads the log ---------------------------------------------------------------------

@pytest.mark.parametrize("role, code", [
    (Role.CSS, 200), (Role.NSS, 403), (Role.TEACHER, 403), (Role.STUDENT, 403),
    (Role.VISITOR, 403)])
def test_only_central_staff_read_the_log(client, login, url, role, code):
    login(make_user(role))
    assert client.get(url("admin.audit_log")).status_code == code


def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url("admin.audit_log"))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(url("auth.login"))


def test_the_dashboard_links_the_log_for_central_staff_only(client, login, url):
    login(make_user(Role.NSS))
    assert url("admin.audit_log") not in client.get(url("admin.dashboard")).get_data(True)
    login(make_user(Role.CSS))
    assert url("admin.audit_log") in client.get(url("admin.dashboard")).get_data(True)


# --- Each staff action writes one entry ----------------------------------------------------

@pytest.mark.parametrize("decision, action, data", [
    ("validation_accept", "teacher.validate", {}),
    ("validation_refuse", "teacher.refuse", {"reason": "Your school is unknown"})])
def test_deciding_on_a_teacher_is_logged(client, login, url, decision, action, data):
    staff = make_user(Role.NSS, country="FR", name="Nina National")
    teacher = make_user(country="FR", validated=False, name="Paul Waiting")
    login(staff)
    data = {f"refuse-{teacher.id}-{k}": v for k, v in data.items()}
    response = client.post(url(f"admin.{decision}", user_id=teacher.id), data=data)
    assert response.status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.actor_name, entry.action, entry.target_type, entry.target_id,
            entry.target_label, entry.country) == (
        staff.id, "Nina National", action, "user", teacher.id, "Paul Waiting", "FR")
    assert entry.detail == data.get(f"refuse-{teacher.id}-reason", "")


def test_a_refused_form_logs_nothing(client, login, url):
    teacher = make_user(country="FR", validated=False)
    login(make_user(Role.NSS, country="FR"))
    response = client.post(url("admin.validation_refuse", user_id=teacher.id),
                           data={f"refuse-{teacher.id}-reason": ""})
    assert response.status_code == 422
    assert AuditEntry.select().count() == 0


def _closed_project(title="Rivers of Europe"):
    founder = make_user(country="ES")
    project = Project.create(title=title, founder=founder, state=ProjectState.CLOSED)
    return founder, project


@pytest.mark.parametrize("kind, decision, action", [
    ("labels", "accept", "label.approve"), ("labels", "refuse", "label.refuse"),
    ("certificates", "accept", "certificate.approve"),
    ("certificates", "refuse", "certificate.refuse")])
def test_reviews_are_logged(client, login, url, kind, decision, action):
    founder, project = _closed_project()
    if kind == "labels":
        item = QualityLabelRequest.create(project=project, requester=founder, country="ES",
                                          report="We did a lot")
        endpoint, key = "admin.review_label", "request_id"
    else:
        item = CertificateRequest.create(project=project, teacher=founder, country="ES",
                                         code="ABC123")
        endpoint, key = "admin.review_certificate", "request_id"
    staff = make_user(Role.NSS, country="ES")
    login(staff)
    response = client.post(url(endpoint, decision=decision, **{key: item.id}),
                           data={"reason": "Not shown enough"} if decision == "refuse" else {})
    assert response.status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_id, entry.target_label,
            entry.country) == (staff.id, action, item.id, "Rivers of Europe", "ES")
    assert entry.detail == ("Not shown enough" if decision == "refuse" else "")


def test_reopening_a_project_is_logged(client, login, url):
    _, project = _closed_project()
    staff = make_user(Role.CSS)
    login(staff)
    assert client.post(url("admin.project_reopen", project_id=project.id)).status_code == 303
    entry = only_entry()
    assert (entry.action, entry.target_type, entry.target_id, entry.target_label) == (
        "project.reopen", "project", project.id, "Rivers of Europe")


@pytest.mark.parametrize("state, action, text", [
    ("pending", "approve", ""), ("pending", "reject", "Off topic"),
    ("pending", "ask_info", "Who is it for?"), ("active", "close", ""),
    ("active", "feature", ""), ("active", "exempt", "")])
def test_group_decisions_are_logged(client, login, url, state, action, text):
    from tests.factories import make_group
    staff = make_user(Role.CSS, name="Carla Central")
    creator = make_user(country="IT")
    group = make_group(staff, "Robots club", state=state, creator=creator)
    AuditEntry.delete().execute()  # what the factory's own steps wrote
    login(staff)
    response = client.post(url("admin.group_act", group_id=group.id, action=action),
                           data={"text": text})
    assert response.status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id,
            entry.target_label, entry.country, entry.detail) == (
        staff.id, f"group.{action}", "group", group.id, "Robots club", "IT", text)


def test_a_refused_group_decision_logs_nothing(client, login, url):
    from tests.factories import make_group
    staff = make_user(Role.CSS)
    group = make_group(staff, "Robots club", state="pending")
    login(staff)
    response = client.post(url("admin.group_act", group_id=group.id, action="close"),
                           data={"text": ""})
    assert response.status_code == 409
    assert AuditEntry.select().count() == 0


def test_watching_groups_logs_the_step_and_the_message(client, login, url):
    from tests.factories import make_group
    staff = make_user(Role.CSS)
    group = make_group(staff, "Robots club")
    AuditEntry.delete().execute()
    login(staff)
    client.post(url("admin.group_watch_act", group_id=group.id, action="close"))
    client.post(url("admin.group_watch_act", group_id=group.id, action="reopen"))
    client.post(url("admin.group_watch_message", group_id=group.id),
                data={"subject": "Still there?", "body": "Your group is quiet."})
    rows = [(e.action, e.target_label, e.detail)
            for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert rows == [("group.close", "Robots club", ""), ("group.reopen", "Robots club", ""),
                    ("group.message", "Robots club", "Still there?")]


def test_creating_a_featured_group_is_logged(app):
    from services import groups
    staff, moderator = make_user(Role.CSS), make_user(name="Mo Derator")
    with app.app_context():
        group = groups.create(staff, title="Space news", description="d", objectives="o",
                              is_open=True, languages=["en"], topics="", featured=True,
                              moderators=[moderator])
    entry = only_entry()
    assert (entry.action, entry.target_id, entry.target_label, entry.detail) == (
        "group.create_featured", group.id, "Space news", "Mo Derator")


@pytest.mark.parametrize("decision", ["hide", "dismiss"])
def test_a_moderators_decision_on_a_report_is_logged(client, login, space_url, decision):
    from models import Discussion, Forum, Post
    from services import reports
    teacher = make_user(name="Tina Teacher", country="PT")
    space = make_space(teacher, "twinspace")
    pupil, author = make_user("student"), make_user("student")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, author, SpaceRole.STUDENT)
    talk = Discussion.create(forum=Forum.create(space=space, title="Talk"), author=author,
                             title="Our river")
    post = Post.create(discussion=talk, author=author, body="You are all silly")
    report = reports.create(space, pupil, "post", post, "This is rude to the others.")
    login(teacher)
    response = client.post(space_url(space, "report_handle", report_id=report.id,
                                     decision=decision))
    assert response.status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id,
            entry.target_label, entry.country, entry.detail) == (
        teacher.id, f"report.{decision}", "post", post.id, "Our river", "PT",
        "This is rude to the others.")


def test_deleting_portal_content_is_logged(client, login, url):
    module = Module.create(title="Coding basics", body="<p>Hi</p>")
    staff = make_user(Role.CSS)
    login(staff)
    assert client.get(url("admin.content_delete", key="modules", obj_id=module.id)
                      ).status_code == 200
    assert AuditEntry.select().count() == 0  # asking to confirm is not deleting
    response = client.post(url("admin.content_delete", key="modules", obj_id=module.id))
    assert response.status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id,
            entry.target_label, entry.detail) == (
        staff.id, "content.delete", "module", module.id, "Coding basics", "")
    assert Module.get_or_none(Module.id == module.id) is None


def test_adding_and_changing_portal_content_is_logged(client, login, url):
    staff = make_user(Role.CSS)
    login(staff)
    data = {"title": "Coding basics", "summary": "Start here", "body": "<p>Hi</p>"}
    assert client.post(url("admin.content_new", key="modules"), data=data).status_code == 303
    module = Module.get()
    data["title"] = "Coding for all"
    assert client.post(url("admin.content_edit", key="modules", obj_id=module.id),
                       data=data).status_code == 303
    rows = [(e.actor_id, e.action, e.target_type, e.target_id, e.target_label)
            for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert rows == [(staff.id, "content.create", "module", module.id, "Coding basics"),
                    (staff.id, "content.update", "module", module.id, "Coding for all")]
    # A form with a mistake changes nothing and logs nothing.
    data["title"] = ""
    assert client.post(url("admin.content_edit", key="modules", obj_id=module.id),
                       data=data).status_code == 422
    assert AuditEntry.select().count() == 2


def test_a_teacher_changing_a_members_role_is_logged(client, login, space_url):
    teacher = make_user(name="Tina Teacher")
    space = make_space(teacher, "twinspace", title="Rivers")
    pupil = make_user("student", name="Pia Pupil")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    login(teacher)
    address = space_url(space, "member_type", user_id=pupil.id)
    assert client.post(address, data={"role": SpaceRole.VISITOR}).status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id,
            entry.target_label) == (teacher.id, "role.change", "user", pupil.id, "Pia Pupil")
    assert entry.detail == "twinspace “Rivers”: student → visitor"
    # Saving the same role again changes nothing and logs nothing.
    client.post(address, data={"role": SpaceRole.VISITOR})
    assert AuditEntry.select().count() == 1


def test_a_teacher_resetting_a_pupils_password_and_removing_them_is_logged(
        client, login, space_url):
    teacher = make_user()
    space = make_space(teacher, "twinspace", title="Rivers")
    pupil = make_user("student", name="Pia Pupil")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    login(teacher)
    assert client.post(space_url(space, "member_password", user_id=pupil.id)
                       ).status_code == 200
    assert client.post(space_url(space, "member_remove", user_id=pupil.id)
                       ).status_code == 303
    rows = [(e.actor_id, e.action, e.target_id, e.target_label)
            for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert rows == [(teacher.id, "password.reset", pupil.id, "Pia Pupil"),
                    (teacher.id, "member.remove", pupil.id, "Pia Pupil")]


def test_a_users_own_password_reset_is_logged_with_them_as_actor(client, app, url):
    from services import accounts
    user = make_user(name="Ana Forgetful", country="IE")
    token = accounts.reset_token(app.config["SECRET_KEY"], user)
    new = {"password": "a brand new password", "confirm": "a brand new password"}
    assert client.post(url("auth.reset_password", token=token), data=new).status_code == 303
    entry = only_entry()
    assert (entry.actor_id, entry.action, entry.target_id, entry.target_label,
            entry.country) == (user.id, "password.reset", user.id, "Ana Forgetful", "IE")


# --- record() itself -----------------------------------------------------------------------

def test_a_failing_log_never_breaks_the_action(client, login, url, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(AuditEntry, "create", broken)
    teacher = make_user(country="FR", validated=False)
    login(make_user(Role.NSS, country="FR"))
    assert client.post(url("admin.validation_accept", user_id=teacher.id)).status_code == 303
    assert reload(teacher).validation == Validation.VALIDATED


def test_the_entry_shares_the_callers_transaction(app):
    staff = make_user(Role.CSS)
    with app.app_context():
        with db.atomic() as txn:
            assert audit.record(staff, "content.delete", ("module", 1, "Gone")) is not None
            txn.rollback()  # the action failed: its entry goes with it
        assert AuditEntry.select().count() == 0
        with db.atomic():
            audit.record(staff, "content.delete", ("module", 2, "Kept"))
        assert [e.target_label for e in AuditEntry.select()] == ["Kept"]


def test_an_entry_the_database_refuses_leaves_the_callers_transaction_usable(app):
    staff = make_user(Role.CSS)
    with app.app_context():
        with db.atomic():
            # Too long for its column on PostgreSQL (SQLite stores it): either way the
            # caller's next write must still commit.
            audit.record(staff, "x" * 60, ("module", 1, "Too long"))
            Module.create(title="Still saved", body="b")
        assert [m.title for m in Module.select()] == ["Still saved"]


def test_the_entry_outlives_its_actor(client, login, url):
    gone = make_user(Role.NSS, name="Old Staff")
    audit.record(gone, "teacher.validate", ("user", 5, "Some Teacher"))
    gone.delete_instance()
    entry = only_entry()
    assert entry.actor_id is None and entry.actor_name == "Old Staff"
    login(make_user(Role.CSS))
    page = client.get(url("admin.audit_log")).get_data(True)
    assert "Old Staff" in page and "account gone" in page


# --- The page's filters --------------------------------------------------------------------

@pytest.fixture
def entries():
    """Four entries over three days, by two people, in two countries."""
    nina, carla = make_user(Role.NSS, name="Nina National", country="FR"), make_user(
        Role.CSS, name="Carla Central")
    day = datetime.datetime(2026, 3, 10, 12, 0)
    rows = [(nina, "teacher.validate", "Paul Waiting", "FR", day),
            (nina, "teacher.refuse", "Rita Refused", "FR", day + datetime.timedelta(days=1)),
            (carla, "group.approve", "Robots club", "IT", day + datetime.timedelta(days=2)),
            (carla, "content.delete", "Coding basics", None, day + datetime.timedelta(days=2))]
    for actor, action, label, country, when in rows:
        entry = audit.record(actor, action, ("thing", 1, label), country=country)
        AuditEntry.update(created_at=when).where(AuditEntry.id == entry.id).execute()
    return rows


def shown(response):
    html = response.get_data(True)
    return {label for label in ("Paul Waiting", "Rita Refused", "Robots club", "Coding basics")
            if label in html}


@pytest.mark.parametrize("args, expected", [
    ({}, {"Paul Waiting", "Rita Refused", "Robots club", "Coding basics"}),
    ({"action": "teacher.refuse"}, {"Rita Refused"}),
    ({"actor": "carla"}, {"Robots club", "Coding basics"}),
    ({"country": "FR"}, {"Paul Waiting", "Rita Refused"}),
    ({"date_from": "2026-03-11"}, {"Rita Refused", "Robots club", "Coding basics"}),
    ({"date_to": "2026-03-11"}, {"Paul Waiting", "Rita Refused"}),
    ({"date_from": "2026-03-11", "date_to": "2026-03-11"}, {"Rita Refused"}),
    ({"q": "robots"}, {"Robots club"}),
    ({"actor": "nina", "q": "paul"}, {"Paul Waiting"}),
    ({"q": "nothing like it"}, set()),
    ({"date_to": "9999-12-31"}, {"Paul Waiting", "Rita Refused", "Robots club",
                                 "Coding basics"}),  # the last day there is: no overflow
    ({"date_from": "0001-01-01"}, {"Paul Waiting", "Rita Refused", "Robots club",
                                   "Coding basics"})])
def test_filters(client, login, url, entries, args, expected):
    login(make_user(Role.CSS))
    response = client.get(url("admin.audit_log", **args))
    assert response.status_code == 200
    assert shown(response) == expected


def test_newest_first_and_the_htmx_region(client, login, url, entries):
    login(make_user(Role.CSS))
    html = client.get(url("admin.audit_log")).get_data(True)
    assert html.index("Robots club") < html.index("Rita Refused") < html.index("Paul Waiting")
    part = client.get(url("admin.audit_log", action="group.approve"),
                      headers=hx("audit-results"))
    body = part.get_data(True)
    assert part.status_code == 200 and body.lstrip().startswith('<div id="audit-results"')
    assert "Robots club" in body and "Paul Waiting" not in body and "<form" not in body


def test_paging_keeps_the_filters(client, login, url):
    staff = make_user(Role.CSS)
    for n in range(55):
        audit.record(staff, "content.update", ("module", n, f"Module {n:02d}"))
    audit.record(staff, "teacher.validate", ("user", 1, "Someone"))
    login(staff)
    first = client.get(url("admin.audit_log", action="content.update")).get_data(True)
    assert "55 entries" in first and "Module 54" in first and "Module 04" not in first
    next_page = url("admin.audit_log", page=2, action="content.update")
    assert f'href="{next_page.replace("&", "&amp;")}"' in first
    second = client.get(url("admin.audit_log", action="content.update", page=2)).get_data(True)
    assert "Module 04" in second and "Module 54" not in second and "Someone" not in second


@pytest.mark.parametrize("args, field, message", [
    ({"date_from": "2026-13-45"}, "date_from", "Enter a date like 2026-12-31"),
    ({"date_to": "yesterday"}, "date_to", "Enter a date like 2026-12-31"),
    ({"date_from": "2026-03-12", "date_to": "2026-03-10"}, "date_to",
     "Enter a day on or after the first day"),
    ({"action": "drop.tables"}, "action", "Choose an action from the list"),
    ({"country": "XX"}, "country", "Choose a country from the list"),
    ({"actor": "x" * 121}, "actor", "Enter at most 120 characters")])
def test_wrong_filters_say_what_is_wrong_next_to_the_field(client, login, url, args, field,
                                                           message):
    login(make_user(Role.CSS))
    response = client.get(url("admin.audit_log", **args))
    assert response.status_code == 400
    html = response.get_data(True)
    error = html.index(f'id="{field}-error"')
    assert message in html[error:error + 300]
    assert 'aria-invalid="true"' in html


def test_a_wrong_filter_through_htmx_loads_the_whole_page(client, login, url):
    login(make_user(Role.CSS))
    response = client.get(url("admin.audit_log", date_from="nope"),
                          headers=hx("audit-results"))
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == url("admin.audit_log", date_from="nope")
