"""L-9 to L-13: a project's life from registration to the Quality Label and certificates."""
import datetime
import io

import pytest
from pypdf import PdfReader

from models import (CertificateRequest, Contact, ContactState, Notification, PartnerState,
                    Project, ProjectCardMessage, ProjectPartner, QualityLabelRequest, Role,
                    Space)
from tests.conftest import switch
from tests.factories import make_school, make_user


def project_data(**overrides):
    data = {"title": "Rivers of Europe", "description": "Pupils measure their rivers.",
            "subjects": ["environment"], "age_ranges": ["12-15"], "languages": ["en", "es"],
            "starts_on": "2027-02-01", "ends_on": "2027-06-30", "is_public": "y"}
    data.update(overrides)
    return data


@pytest.fixture
def founder():
    return make_user(name="Ana Founder", country="ES", school=make_school("ES"))


@pytest.fixture
def partner():
    return make_user(name="Giulia Partner", country="IT", school=make_school("IT"))


def register(client, **overrides):
    response = client.post("/live/projects/new", data=project_data(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return Project.select().order_by(Project.id.desc()).first()


def test_a_validated_teacher_registers_a_project_with_its_twinspace(client, login, founder):
    login(founder)
    project = register(client)
    assert project.founder_id == founder.id and project.is_public
    assert project.subject_codes == ["environment"] and project.language_codes == ["en", "es"]
    assert ProjectPartner.get(ProjectPartner.project == project).state == PartnerState.ACCEPTED
    assert Space.get(Space.project == project).kind == "twinspace"
    page = client.get(f"/live/projects/{project.id}").get_data(as_text=True)
    assert "Rivers of Europe" in page and "Invite a partner" in page
    assert "Rivers of Europe" in client.get("/live/projects/").get_data(as_text=True)


def test_a_teacher_waiting_for_validation_cannot_register(client, login):
    login(make_user(validated=False))
    response = client.get("/live/projects/new")
    assert response.status_code == 403
    assert "waiting for validation" in response.get_data(as_text=True)
    assert client.post("/live/projects/new", data=project_data()).status_code == 403
    assert Project.select().count() == 0


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter a title for the project"),
    ({"title": "t" * 201}, "at most 200 characters"),
    ({"subjects": []}, "Choose at least one subject"),
    ({"languages": ["xx"]}, "Choose languages from the list"),
    ({"age_ranges": []}, "Choose at least one age range"),
    ({"starts_on": ""}, "Enter the date the project starts"),
    ({"ends_on": "2026-01-01"}, "Enter an end date after the start date"),
])
def test_registration_refusals_keep_the_input(client, login, founder, overrides, message):
    login(founder)
    response = client.post("/live/projects/new", data=project_data(**overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert "Pupils measure their rivers." in body
    assert Project.select().count() == 0


def test_invite_a_contact_who_accepts(client, login, founder, partner):
    Contact.create(requester=founder, addressee=partner, state=ContactState.ACCEPTED)
    login(founder)
    project = register(client)
    page = client.get(f"/live/projects/{project.id}").get_data(as_text=True)
    assert "Giulia Partner" in page  # offered among my contacts
    client.post(f"/live/projects/{project.id}/invite", data={"contact": str(partner.id)})
    row = ProjectPartner.get(ProjectPartner.user == partner)
    assert row.state == PartnerState.INVITED
    assert Notification.get(Notification.recipient == partner).kind == "project_invitation"
    # Inviting twice changes nothing.
    client.post(f"/live/projects/{project.id}/invite", data={"contact": ""},
                follow_redirects=False)
    client.post(f"/live/projects/{project.id}/invite", data={"email": partner.email})
    assert ProjectPartner.select().where(ProjectPartner.user == partner).count() == 1

    switch(client, partner)
    assert "Invitations" in client.get("/live/projects/").get_data(as_text=True)
    assert "invites you" in client.get(f"/live/projects/{project.id}").get_data(as_text=True)
    client.post(f"/live/projects/{project.id}/invitation/accept")
    assert ProjectPartner.get(ProjectPartner.user == partner).state == PartnerState.ACCEPTED
    assert Notification.get(Notification.recipient == founder).kind == "project_answer"
    assert "Invite a partner" not in client.get(
        f"/live/projects/{project.id}").get_data(as_text=True)  # only the founder invites


@pytest.mark.parametrize("data, message", [
    ({}, "Choose a contact or enter a teacher"),
    ({"email": "nobody@example.org"}, "There is no validated teacher with this e-mail"),
    ({"contact": "99999"}, "Choose a contact from the list"),
])
def test_invitation_refusals(client, login, founder, data, message):
    login(founder)
    project = register(client)
    response = client.post(f"/live/projects/{project.id}/invite", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_inviting_a_staff_member_or_unvalidated_teacher_is_refused(client, login, founder):
    staff = make_user(Role.NSS)
    pending = make_user(validated=False)
    login(founder)
    project = register(client)
    for person in (staff, pending):
        response = client.post(f"/live/projects/{project.id}/invite",
                               data={"email": person.email})
        assert response.status_code == 422
    assert ProjectPartner.select().count() == 1


def test_decline_and_outsiders(client, login, founder, partner):
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/invite", data={"email": partner.email})
    outsider = make_user()
    switch(client, outsider)
    assert client.get(f"/live/projects/{project.id}").status_code == 404
    assert client.post(f"/live/projects/{project.id}/invitation/accept").status_code == 404
    assert client.post(f"/live/projects/{project.id}/invite",
                       data={"email": outsider.email}).status_code == 404
    switch(client, partner)
    client.post(f"/live/projects/{project.id}/invitation/decline")
    assert ProjectPartner.get(ProjectPartner.user == partner).state == PartnerState.DECLINED
    assert client.get(f"/live/projects/{project.id}").status_code == 404


def test_partners_cannot_manage_and_the_founder_removes_partners(client, login, founder,
                                                                 partner):
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/invite", data={"email": partner.email})
    switch(client, partner)
    client.post(f"/live/projects/{project.id}/invitation/accept")
    assert client.get(f"/live/projects/{project.id}/edit").status_code == 403
    assert client.post(f"/live/projects/{project.id}/close").status_code == 403
    assert client.post(f"/live/projects/{project.id}/partners/{founder.id}/remove"
                       ).status_code == 403
    switch(client, founder)
    assert client.post(f"/live/projects/{project.id}/partners/{founder.id}/remove"
                       ).status_code == 400
    client.post(f"/live/projects/{project.id}/partners/{partner.id}/remove")
    assert not ProjectPartner.select().where(ProjectPartner.user == partner).exists()


def test_edit_then_close_makes_the_project_read_only(client, login, founder):
    login(founder)
    project = register(client)
    response = client.post(f"/live/projects/{project.id}/edit",
                           data=project_data(title="Rivers and Seas"))
    assert response.status_code == 303
    assert Project.get_by_id(project.id).title == "Rivers and Seas"
    page = client.get(f"/live/projects/{project.id}/close").get_data(as_text=True)
    assert "Yes, close the project" in page
    client.post(f"/live/projects/{project.id}/close", data={"confirm_early": "y"})
    project = Project.get_by_id(project.id)
    assert project.is_closed and project.closed_at is not None
    assert client.get(f"/live/projects/{project.id}/edit").status_code == 403
    assert client.post(f"/live/projects/{project.id}/invite",
                       data={"email": "x@example.org"}).status_code == 403


def closed_project(client, login, founder):
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/close", data={"confirm_early": "y"})
    return project


def test_quality_label_needs_a_closed_project_and_a_report(client, login, founder):
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/label", data={"report": "We did a lot"})
    assert QualityLabelRequest.select().count() == 0
    client.post(f"/live/projects/{project.id}/close", data={"confirm_early": "y"})
    client.post(f"/live/projects/{project.id}/label", data={"report": ""})
    assert QualityLabelRequest.select().count() == 0
    client.post(f"/live/projects/{project.id}/label", data={"report": "We did a lot"})
    client.post(f"/live/projects/{project.id}/label", data={"report": "Again"})
    request = QualityLabelRequest.get()
    assert request.country == "ES" and request.report == "We did a lot"


def test_national_staff_award_the_label_and_it_reaches_the_gallery(client, login, founder):
    project = closed_project(client, login, founder)
    client.post(f"/live/projects/{project.id}/label", data={"report": "Great work"})
    request = QualityLabelRequest.get()
    switch(client, make_user(Role.NSS, country="FR"))
    assert "Great work" not in client.get("/admin/reviews").get_data(as_text=True)
    assert client.post(f"/admin/reviews/labels/{request.id}/accept").status_code == 404
    switch(client, make_user(Role.NSS, country="ES"))
    assert "Great work" in client.get("/admin/reviews").get_data(as_text=True)
    client.post(f"/admin/reviews/labels/{request.id}/accept")
    assert Project.get_by_id(project.id).label_awarded_at is not None
    assert Notification.get(Notification.recipient == founder,
                            Notification.kind == "label_decision")
    assert "Rivers of Europe" in client.get("/gallery").get_data(as_text=True)
    # Deciding twice changes nothing.
    response = client.post(f"/admin/reviews/labels/{request.id}/refuse", data={"reason": "x"})
    assert QualityLabelRequest.get().state == "accepted"
    assert response.status_code == 303


def test_refusing_needs_a_reason_which_the_teacher_reads(client, login, founder):
    project = closed_project(client, login, founder)
    client.post(f"/live/projects/{project.id}/label", data={"report": "Report"})
    request = QualityLabelRequest.get()
    switch(client, make_user(Role.NSS, country="ES"))
    response = client.post(f"/admin/reviews/labels/{request.id}/refuse", data={"reason": ""})
    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    client.post(f"/admin/reviews/labels/{request.id}/refuse",
                data={"reason": "The pupils' work is not shown."})
    switch(client, founder)
    page = client.get(f"/live/projects/{project.id}").get_data(as_text=True)
    assert "The pupils&#39; work is not shown." in page


def test_certificate_pdf_after_validation_with_a_public_check(client, login, founder):
    project = closed_project(client, login, founder)
    client.post(f"/live/projects/{project.id}/certificate")
    client.post(f"/live/projects/{project.id}/certificate")
    cert = CertificateRequest.get()
    assert CertificateRequest.select().count() == 1
    assert client.get(f"/live/certificates/{cert.id}.pdf").status_code == 404  # not yet
    switch(client, make_user(Role.NSS, country="ES"))
    client.post(f"/admin/reviews/certificates/{cert.id}/accept")
    switch(client, make_user())
    assert client.get(f"/live/certificates/{cert.id}.pdf").status_code == 404  # not mine
    switch(client, founder)
    response = client.get(f"/live/certificates/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Certificate of participation" in text
    assert "Ana Founder" in text and "Rivers of Europe" in text and cert.code in text
    check = client.get(f"/certificates/verify/{cert.code}")
    assert check.status_code == 200 and "This certificate is valid" in check.get_data(
        as_text=True)
    assert client.get("/certificates/verify/NOPE-NOPE-NOPE").status_code == 404


def test_certificate_is_in_the_teachers_language(client, login):
    teacher = make_user(name="Marta", country="ES", language="es")
    project = closed_project(client, login, teacher)
    client.post(f"/live/projects/{project.id}/certificate")
    cert = CertificateRequest.get()
    switch(client, make_user(Role.NSS, country="ES"))
    client.post(f"/admin/reviews/certificates/{cert.id}/accept")
    switch(client, teacher)
    data = client.get(f"/live/certificates/{cert.id}.pdf").data
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Certificado de participación" in text


def test_project_card_between_teachers_and_their_national_staff(client, login, founder):
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/card", data={"body": "Can we start in March?"})
    client.post(f"/live/projects/{project.id}/card", data={"body": ""})
    assert ProjectCardMessage.select().count() == 1
    switch(client, make_user(Role.NSS, country="IT"))
    assert client.get(f"/admin/projects/{project.id}/card").status_code == 404
    switch(client, make_user(Role.NSS, country="ES"))
    assert "Rivers of Europe" in client.get("/admin/reviews").get_data(as_text=True)
    page = client.get(f"/admin/projects/{project.id}/card").get_data(as_text=True)
    assert "Can we start in March?" in page
    client.post(f"/admin/projects/{project.id}/card", data={"body": "Yes, of course."})
    switch(client, founder)
    assert "Yes, of course." in client.get(f"/live/projects/{project.id}").get_data(
        as_text=True)
    switch(client, make_user())
    assert client.post(f"/live/projects/{project.id}/card",
                       data={"body": "intrusion"}).status_code == 404


def test_my_projects_page_needs_a_bounded_number_of_queries(client, login, founder):
    from playhouse.test_utils import count_queries
    login(founder)
    for n in range(10):
        register(client, title=f"Project {n}")
    with count_queries() as counter:
        assert client.get("/live/projects/").status_code == 200
    assert counter.count <= 6


def test_invite_from_a_teachers_profile(client, login, founder, partner):
    login(founder)
    project = register(client)
    page = client.get(f"/teachers/{partner.id}").get_data(as_text=True)
    assert "Invite to my project" in page and "Rivers of Europe" in page
    response = client.post(f"/live/people/{partner.id}/invite", data={"project": project.id})
    assert response.status_code == 303
    assert ProjectPartner.get(ProjectPartner.user == partner).state == PartnerState.INVITED
    # Already invited: the project is no longer offered.
    assert "Invite to my project" not in client.get(f"/teachers/{partner.id}").get_data(
        as_text=True)


def test_invite_from_a_profile_refuses_other_peoples_projects_and_non_teachers(
        client, login, founder, partner):
    login(founder)
    project = register(client)
    staff = make_user(Role.NSS)
    assert client.post(f"/live/people/{staff.id}/invite",
                       data={"project": project.id}).status_code == 404
    switch(client, partner)
    assert client.post(f"/live/people/{founder.id}/invite",
                       data={"project": project.id}).status_code == 404  # not my project
    assert client.post(f"/live/people/{founder.id}/invite",
                       data={"project": "x"}).status_code == 303
    assert ProjectPartner.select().count() == 1


def test_a_closed_project_cannot_be_joined_late(client, login, founder, partner):
    # (Its card stays open to both sides: see test_closed_projects.py, issue 10.5.)
    login(founder)
    project = register(client)
    client.post(f"/live/projects/{project.id}/invite", data={"email": partner.email})
    client.post(f"/live/projects/{project.id}/close", data={"confirm_early": "y"})
    switch(client, partner)
    client.post(f"/live/projects/{project.id}/invitation/accept")
    assert not ProjectPartner.select().where(ProjectPartner.user == partner,
                                             ProjectPartner.state == "accepted").exists()
    assert client.post(f"/live/projects/{project.id}/certificate").status_code == 404
