"""Issue 10.21: public pages tell search engines what they are — a <meta name="description">
from their own content, plain text, at most 160 characters — and every other page (private,
or for members only) carries <meta name="robots" content="noindex"> and no description.
A description never holds what the public may not see. The spaces here are TwinSpaces: a
project's public view is the TwinSpace parent's own page."""
import html as htmlmod
import re

import pytest
from flask import url_for

from blueprints.spaces import parents
from models import PartnerState, Project, ProjectPartner, Space, SpaceRole, Visibility
from services import spaces
from tests.conftest import log_out
from tests.factories import make_school, make_user

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
NOINDEX = '<meta name="robots" content="noindex">'


def meta(client, endpoint, **values):
    with client.application.test_request_context():
        address = url_for(endpoint, **values)
    return meta_at(client, address)


def meta_at(client, address):
    """(description, noindex) of the page at `address`."""
    response = client.get(address)
    assert response.status_code == 200, address
    page = response.get_data(as_text=True)
    head = page.split("</head>")[0]
    found = DESCRIPTION.findall(head)
    assert len(found) <= 1 and (not found or NOINDEX not in head), address
    return htmlmod.unescape(found[0]) if found else None, NOINDEX in head


@pytest.fixture
def world():
    school = make_school(name="Colegio Río Tajo", city="Toledo")
    teacher = make_user(name="Rosa Díaz", school=school)
    teacher.offer = "I run a <b>podcast</b> club & want partners in Italy."
    teacher.set_subjects(["history"])
    teacher.set_visibility({"name": Visibility.PUBLIC, "school": Visibility.PUBLIC,
                            "offer": Visibility.MEMBERS})
    teacher.save()
    hidden = make_user(name="Hidden Teacher")  # members only (the default)
    long_text = "Pupils measure rivers. " * 20
    public = Project.create(title="Rivers", description=long_text, founder=teacher,
                            is_public=True)
    Space.create(kind="twinspace", title="Rivers", project=public,
                 description="Our <rivers> & us: a space of three schools.")
    private = Project.create(title="Secret plan", description="Not for the public eye.",
                             founder=teacher, is_public=False)
    private_space = Space.create(kind="twinspace", title="Secret plan", project=private)
    for space in (public.space, private_space):
        spaces.join(space, teacher, SpaceRole.ADMIN)
        ProjectPartner.create(project=space.project, user=teacher, state=PartnerState.ACCEPTED)
    return dict(school=school, teacher=teacher, hidden=hidden, public=public,
                private=private)


def test_public_portal_pages_describe_themselves(client, world):
    for endpoint in ("portal.home", "portal.discover", "portal.connect", "portal.collaborate",
                     "portal.kits", "portal.modules", "portal.gallery", "portal.progress"):
        description, noindex = meta(client, endpoint)
        assert description and not noindex, endpoint
        assert 40 <= len(description) <= 160 and "<" not in description, description
    description, _ = meta(client, "portal.home")
    assert description.startswith("OpenTwin is where teachers find partners")


def test_public_profiles_projects_schools_and_space_views(client, world, parent_url):
    description, noindex = meta(client, "portal.project", project_id=world["public"].id)
    assert not noindex and description.startswith("Pupils measure rivers. Pupils")
    assert len(description) <= 160 and description.endswith("…")
    from services.sanitize import plain_text
    assert description == plain_text(world["public"].description, 160)
    description, _ = meta_at(client, parent_url(world["public"].space, "public_view"))
    assert description == "Our <rivers> & us: a space of three schools."  # text, escaped
    description, _ = meta(client, "portal.school", school_id=world["school"].id)
    assert "Colegio Río Tajo" in description and "Toledo" in description
    description, noindex = meta(client, "portal.teacher", user_id=world["teacher"].id)
    assert not noindex and "Rosa Díaz" in description and "Colegio Río Tajo" in description
    assert "podcast" not in description  # "what I can offer" is for members only


def test_private_pages_stay_out_of_search_engines(client, login, world, space_url, url):
    # Logged in, the teacher sees their members-only fields and the private project: the
    # description still holds only public fields, and private pages are noindex.
    login(world["teacher"])
    description, noindex = meta(client, "portal.teacher", user_id=world["teacher"].id)
    assert "podcast" not in description
    space = world["public"].space
    for address in (url("portal.project", project_id=world["private"].id),
                    url("live.dashboard"), url(parents.of(space).list_endpoint),
                    space_url(space, "home"), space_url(space, "pages"), url("account.show")):
        description, noindex = meta_at(client, address)
        assert noindex and description is None, address
    # A members-only profile, seen by a member: private, so noindex.
    description, noindex = meta(client, "portal.teacher", user_id=world["hidden"].id)
    assert noindex and description is None
    log_out(client)
    for endpoint in ("auth.login", "auth.register"):
        assert meta(client, endpoint)[1], endpoint
    with client.application.test_request_context():
        hidden = url_for("portal.teacher", user_id=world["hidden"].id)
        private = url_for("portal.project", project_id=world["private"].id)
    assert client.get(hidden).status_code == 404 and client.get(private).status_code == 404


def test_plain_text_cuts_at_a_word():
    from services.sanitize import plain_text
    assert plain_text("<p>One</p><p>two &amp; <b>three</b></p>") == "One two & three"
    text = plain_text("word " * 50, 30)
    assert text == "word word word word word word…" and len(text) <= 30
