"""Issue 10.18: the gallery and a project's public page lead to its public TwinSpace view
(T-9) when that view exists, and never to one that does not."""
from flask import url_for

from models import DiaryPost
from tests.factories import make_user
from tests.views.test_portal import make_project


def _urls(app, **endpoints):
    with app.test_request_context():
        return {name: url_for(endpoint, **args) for name, (endpoint, args) in endpoints.items()}


def test_gallery_links_each_project_to_its_public_twinspace(app, client):
    founder = make_user()
    labelled, space = make_project(founder, "Label Winner", labelled=True)
    urls = _urls(app, gallery=("portal.gallery", {}),
                 public=("twinspace.public_view", {"space_id": space.id}))
    page = client.get(urls["gallery"]).get_data(as_text=True)
    assert f'href="{urls["public"]}"' in page
    assert "See its public TwinSpace" in page
    # The link leads somewhere a visitor may go.
    assert client.get(urls["public"]).status_code == 200


def test_project_page_links_to_its_public_twinspace_only_when_public(app, client, login):
    founder = make_user()
    public, space = make_project(founder, "Open Project")
    DiaryPost.create(space=space, title="Public news", body="<p>hello</p>", is_public=True)
    private, private_space = make_project(founder, "Closed Doors", public=False)
    urls = _urls(app, public_page=("portal.project", {"project_id": public.id}),
                 public_view=("twinspace.public_view", {"space_id": space.id}),
                 private_page=("portal.project", {"project_id": private.id}),
                 private_view=("twinspace.public_view", {"space_id": private_space.id}))
    page = client.get(urls["public_page"]).get_data(as_text=True)
    assert f'href="{urls["public_view"]}"' in page
    assert client.get(urls["public_view"]).status_code == 200
    # A project that is not public has no public view: no link, and the view is refused.
    assert client.get(urls["private_view"]).status_code == 404
    login(founder)
    page = client.get(urls["private_page"]).get_data(as_text=True)
    assert "Closed Doors" in page and urls["private_view"] not in page
    assert "See its public TwinSpace" not in page


def test_project_page_without_a_space_still_shows(app, client):
    from models import Space
    founder = make_user()
    project, space = make_project(founder, "Spaceless")
    Space.delete().where(Space.id == space.id).execute()
    url = _urls(app, page=("portal.project", {"project_id": project.id}))["page"]
    page = client.get(url)
    assert page.status_code == 200 and "See its public TwinSpace" not in page.get_data(
        as_text=True)
