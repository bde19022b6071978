"""Delete my account (issue 13, 7a): a tombstone stays under what I wrote, the rest goes."""
from models import (AuditEntry, Contact, ContactState, DiaryPost, Follow, MailRecipient, Membership,
                    Notification, PartnerState, Project, ProjectPartner, Role, SpaceRole,
                    User, UserSubject)
from services import accounts, audit, mailbox, search, spaces
from tests.conftest import switch
from tests.factories import PASSWORD, make_space, make_user, reload


def _project_with_partner(founder, partner):
    space = make_space(founder, title="Rivers")
    ProjectPartner.create(project=space.project, user=founder, state=PartnerState.ACCEPTED)
    ProjectPartner.create(project=space.project, user=partner, state=PartnerState.ACCEPTED)
    spaces.join(space, partner, SpaceRole.TEACHER)
    return space


def _items(result):
    return list(result.items)


def _delete(client, url, user, password=PASSWORD, confirm=None):
    return client.post(url("account.delete_account"), data={
        "password": password, "confirm": user.email if confirm is None else confirm})


def test_deleting_leaves_a_former_member_and_erases_the_rest(app, client, login, url):
    tina = make_user(name="Tina Leaving", subjects=["history"])
    quinn = make_user(name="Quinn Partner")
    space = _project_with_partner(tina, quinn)
    earlier = audit.record(tina, "role.change", ("user", quinn.id, "Quinn Partner"))
    DiaryPost.create(space=space, author=tina, title="Our trip", body="<p>TRIP-TEXT</p>")
    Contact.create(requester=tina, addressee=quinn, state=ContactState.ACCEPTED)
    Follow.create(follower=quinn, followed=tina)
    with app.test_request_context():
        mailbox.compose(quinn, "Hi", "QUINN-TO-TINA", [tina], app.config)
    assert Notification.select().where(Notification.recipient == tina.id).exists()
    email = tina.email
    found = search.search_teachers(keyword="Tina Leaving", public_only=False)
    assert [u.id for u in _items(found)] == [tina.id]

    other = app.test_client()  # a second computer, logged in before
    switch(other, tina)
    assert other.get(url("account.show")).status_code == 200

    login(tina)
    page = client.get(url("account.delete_account")).get_data(as_text=True)
    assert "Former member" in page and 'name="password"' in page
    response = _delete(client, url, tina)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url("account.deleted"))

    gone = reload(tina)
    assert gone.deleted_at is not None and gone.disabled
    assert gone.email is None and gone.username is None and gone.name == "Former member"
    found = search.search_teachers(keyword="Tina Leaving", public_only=False)
    assert _items(found) == []
    gone.save()  # saved back, the translated name is not written into the row
    assert User.select().where(User.id == tina.id, User.name == "").exists()
    for query in (UserSubject.select().where(UserSubject.user == tina.id),
                  Contact.select().where(Contact.requester == tina.id),
                  Follow.select().where(Follow.followed == tina.id),
                  Notification.select().where(Notification.recipient == tina.id),
                  MailRecipient.select().where(MailRecipient.user == tina.id),
                  Membership.select().where(Membership.user == tina.id),
                  ProjectPartner.select().where(ProjectPartner.user == tina.id)):
        assert not query.exists()
    # The project passes to the partner, who runs its space now.
    assert Project.get_by_id(space.project_id).founder_id == quinn.id
    assert Membership.get(space=space, user=quinn).role == SpaceRole.ADMIN
    # What Tina wrote stays, under "Former member".
    switch(client, quinn)
    diary = client.get(url("twinspace.diary", space_id=space.id)).get_data(as_text=True)
    assert "TRIP-TEXT" in diary and "Former member" in diary and "Tina Leaving" not in diary
    # Every session has ended; the old address no longer logs in, and can register again.
    assert other.get(url("account.show")).status_code == 303
    assert switch(client, tina).status_code != 303  # the log-in form again, with an error
    assert client.get(url("account.show")).status_code == 303
    assert accounts.check_login(email, PASSWORD) is None
    response = client.post(url("auth.register"), data={
        "country": "ES", "school": "", "new_school_name": "IES Nueva",
        "new_school_city": "Toledo", "name": "Tina Again", "email": email,
        "password": "a long password here", "subjects": ["history"],
        "age_ranges": ["12-15"]})
    assert response.status_code == 303
    assert User.get(User.email == email).id != tina.id
    # The audit log keeps that an account went, and nothing personal of it; what they did
    # as an actor stays, under "Former member".
    entry = AuditEntry.get(AuditEntry.action == "account.delete")
    assert entry.target_label == f"#{tina.id}" and entry.actor_id is None
    assert "Tina" not in entry.actor_name + entry.target_label + entry.detail
    earlier = AuditEntry.get_by_id(earlier.id)
    assert earlier.actor_id == tina.id and earlier.actor_name == ""


def test_wrong_password_or_confirmation_is_refused_next_to_the_field(client, login, url):
    tina = make_user()
    login(tina)
    response = _delete(client, url, tina, password="not my password")
    assert response.status_code == 400
    assert "Enter your password correctly" in response.get_data(as_text=True)
    response = _delete(client, url, tina, confirm="someone@else.org")
    assert response.status_code == 400
    assert "Type your own e-mail address" in response.get_data(as_text=True)
    response = client.post(url("account.delete_account"), csrf=False,
                           data={"password": PASSWORD, "confirm": tina.email})
    assert response.status_code == 400
    assert reload(tina).deleted_at is None


def test_the_last_teacher_of_a_space_hands_it_over_first(client, login, url):
    tina = make_user()
    space = make_space(tina, title="Lonely project")
    spaces.join(space, make_user(Role.STUDENT), SpaceRole.STUDENT)
    login(tina)
    page = client.get(url("account.delete_account")).get_data(as_text=True)
    assert "Lonely project" in page and "invite a partner teacher" in page
    response = _delete(client, url, tina)
    assert response.status_code == 409
    assert reload(tina).deleted_at is None and reload(tina).email == tina.email


def test_pupils_and_staff_cannot_delete_themselves(client, login, url):
    teacher = make_user()
    space = make_space(teacher)
    pupil = make_user(Role.STUDENT)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    for person in (pupil, make_user(Role.NSS)):
        login(person)
        assert client.get(url("account.delete_account")).status_code == 403
        assert _delete(client, url, person, confirm="x").status_code == 403
        assert reload(person).deleted_at is None


def test_a_founders_project_never_passes_to_a_disabled_partner(app):
    from services import account_deletion
    tina = make_user(name="Tina Leaving")
    gone = make_user(name="Dora Disabled", disabled=True)
    space = _project_with_partner(tina, gone)
    assert account_deletion._successor(space.project, tina) is None
    rob = make_user(name="Rob Active")
    ProjectPartner.create(project=space.project, user=rob, state=PartnerState.ACCEPTED)
    assert account_deletion._successor(space.project, tina).user_id == rob.id
