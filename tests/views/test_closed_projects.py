"""Closing a project (L-10, L-12), issue 10: the card stays a conversation both ways (10.5),
invitations nobody answered are withdrawn and say so (10.6), and closing before the planned
end date asks for a confirmation the server checks (10.19)."""
import datetime

import pytest
from flask import url_for

from models import (PartnerState, Project, ProjectCardMessage, ProjectPartner, Role, Space,
                    utcnow)
from tests.conftest import switch
from tests.factories import make_user
from tests.views.test_projects import founder, partner, register  # noqa: F401 (fixtures)


def links(app, project):
    with app.test_request_context():
        return dict(desk=url_for("live.project", project_id=project.id),
                    close=url_for("live.project_close", project_id=project.id),
                    card=url_for("live.project_card_post", project_id=project.id),
                    staff_card=url_for("admin.project_card", project_id=project.id),
                    invite=url_for("live.project_invite", project_id=project.id),
                    accept=url_for("live.project_answer", project_id=project.id,
                                   answer="accept"),
                    projects=url_for("live.projects"))


def test_the_card_of_a_closed_project_goes_both_ways(app, client, login, founder):
    login(founder)
    project = register(client, ends_on="")
    url = links(app, project)
    assert client.post(url["close"]).status_code == 303
    html = client.get(url["desk"]).get_data(as_text=True)
    assert "Post on the card" in html
    assert client.post(url["card"], data={"body": "Can we still get the label?"}
                       ).status_code == 303
    switch(client, make_user(Role.NSS, country="ES"))
    client.post(url["staff_card"], data={"body": "Yes: ask for it on your desk."})
    switch(client, founder)
    client.post(url["card"], data={"body": "Thank you!"})
    assert [m.body for m in ProjectCardMessage.select().order_by(ProjectCardMessage.id)] == [
        "Can we still get the label?", "Yes: ask for it on your desk.", "Thank you!"]
    assert client.post(url["card"], data={"body": ""}).status_code == 303  # refused, told
    assert ProjectCardMessage.select().count() == 3
    switch(client, make_user())  # not one of its teachers
    assert client.post(url["card"], data={"body": "intrusion"}).status_code == 404


def test_closing_withdraws_open_invitations_and_says_so(app, client, login, founder, partner):
    login(founder)
    project = register(client, ends_on="")
    url = links(app, project)
    client.post(url["invite"], data={"email": partner.email})
    assert "Invited" in client.get(url["desk"]).get_data(as_text=True)
    client.post(url["close"])
    row = ProjectPartner.get(ProjectPartner.user == partner)
    assert row.state == PartnerState.WITHDRAWN
    html = client.get(url["desk"]).get_data(as_text=True)
    assert "Invitation withdrawn: the project was closed" in html
    assert ">Invited<" not in html

    switch(client, partner)
    assert "Rivers of Europe" not in client.get(url["projects"]).get_data(as_text=True)
    html = client.get(url["desk"]).get_data(as_text=True)
    assert "The invitation was withdrawn: the project was closed." in html
    assert "Accept the invitation" not in html
    response = client.post(url["accept"])
    assert response.status_code == 303
    assert "withdrawn" in client.get(response.location).get_data(as_text=True)
    assert ProjectPartner.get(ProjectPartner.user == partner).state == PartnerState.WITHDRAWN
    assert Space.get(Space.project == project).closed_at is not None


@pytest.mark.parametrize("ends_on, needs_confirmation", [
    (datetime.timedelta(days=30), True), (datetime.timedelta(days=0), False),
    (datetime.timedelta(days=-3), False), (None, False)])
def test_closing_before_the_end_date_asks_for_confirmation(app, client, login, founder,
                                                           ends_on, needs_confirmation):
    login(founder)
    today = utcnow().date()
    end = today + ends_on if ends_on is not None else None
    project = register(client, starts_on=(today - datetime.timedelta(days=90)).isoformat(),
                       ends_on=end.isoformat() if end else "")
    url = links(app, project)
    html = client.get(url["close"]).get_data(as_text=True)
    assert ("Yes, close it before its end date" in html) == needs_confirmation
    response = client.post(url["close"])
    if needs_confirmation:
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert html.count("Tick the box to close the project before its end date") == 2
        assert 'aria-invalid="true"' in html and "<title>Error:" in html
        assert not Project.get_by_id(project.id).is_closed
        response = client.post(url["close"], data={"confirm_early": "y"})
    assert response.status_code == 303
    project = Project.get_by_id(project.id)
    assert project.is_closed and project.ends_on == min(end or today, today)


def test_only_the_founder_closes(app, client, login, founder, partner):
    login(founder)
    project = register(client, ends_on="")
    url = links(app, project)
    switch(client, partner)
    assert client.post(url["close"], data={"confirm_early": "y"}).status_code == 404
    assert not Project.get_by_id(project.id).is_closed
