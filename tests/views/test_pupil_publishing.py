"""Issue 10.3: a pupil cannot publish a classmate's photo. The pupil who added a material
changes its words and may mark more classmates as shown; only the space's teachers take a
pupil off it, mark it public or move it. Where the file is served, the consent of everybody
shown decides, whoever saved the material."""
import pytest

from models import Consent, ConsentScope, Material, MaterialPerson
from tests.conftest import switch
from tests.views.test_materials import folder, image, png


@pytest.fixture
def photo(app, cast):
    """An image the pupil added, showing the other pupil; not public."""
    album = folder(cast["space"])
    other_album = folder(cast["space"], title="Lab")
    material = image(cast["space"], album, cast["pupil"], upload_dir=app.config["UPLOAD_DIR"])
    MaterialPerson.create(material=material, user=cast["pupil2"])
    return dict(material=material, album=album, other_album=other_album)


def tags(material):
    return sorted(p.user_id for p in MaterialPerson.select().where(
        MaterialPerson.material == material.id))


def test_a_pupil_can_neither_untag_nor_publish_nor_move(client, login, cast, photo, space_url):
    space, material = cast["space"], photo["material"]
    login(cast["pupil"])
    edit = space_url(space, "material_edit", material_id=material.id)
    html = client.get(edit).get_data(as_text=True)
    assert "Title" in html and "Alt text" in html
    assert "families agreed" not in html and 'name="is_public"' not in html
    assert 'name="folder"' not in html
    assert f"Shown: {cast['pupil2'].name}" in html  # not a checkbox to untick
    response = client.post(edit, data={
        "title": "Reeds", "description": "Spring", "alt_text": "Tall reeds",
        "is_public": "y", "folder": str(photo["other_album"].id), "people": []})
    assert response.status_code == 303
    material = Material.get_by_id(material.id)
    assert (material.title, material.description, material.alt_text) == (
        "Reeds", "Spring", "Tall reeds")
    assert not material.is_public and material.folder_id == photo["album"].id
    assert tags(material) == [cast["pupil2"].id]
    # Adding a classmate only protects them: allowed.
    client.post(edit, data={"title": "Reeds", "alt_text": "Tall reeds",
                            "people": [str(cast["pupil"].id)]})
    assert tags(material) == sorted([cast["pupil"].id, cast["pupil2"].id])


def test_a_pupils_upload_is_never_public(client, login, cast, photo, space_url):
    space = cast["space"]
    login(cast["pupil"])
    folder_url = space_url(space, "folder", folder_id=photo["album"].id)
    upload = space_url(space, "folder_upload", folder_id=photo["album"].id)
    assert "families agreed" not in client.get(folder_url).get_data(as_text=True)
    response = client.post(upload, data={"files": [png("mine.png")], "is_public": "y"},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    assert not Material.select().order_by(Material.id.desc()).first().is_public
    switch(client, cast["teacher"])
    assert "families agreed" in client.get(folder_url).get_data(as_text=True)


def test_the_teacher_untags_and_publishes(client, login, cast, photo, space_url):
    space, material = cast["space"], photo["material"]
    login(cast["teacher"])
    edit = space_url(space, "material_edit", material_id=material.id)
    assert 'name="is_public"' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={"title": "Bank", "alt_text": "Reeds", "is_public": "y",
                                   "folder": str(photo["other_album"].id),
                                   "people": []}).status_code == 303
    material = Material.get_by_id(material.id)
    assert material.is_public and material.folder_id == photo["other_album"].id
    assert tags(material) == []


@pytest.mark.parametrize("space_kind", ["twinspace"])  # groups have no public view
def test_the_file_is_public_only_with_the_consent_of_everybody_shown(
        client, login, cast, photo, url):
    material, pupil = photo["material"], cast["pupil2"]
    material.is_public = True  # saved public by somebody: the consent still decides
    material.save()
    files = [url("portal.file", file_id=material.file_id),
             url("portal.file", file_id=material.file_id, width=480)]
    for address in files:  # anonymous visitors of the public view
        assert client.get(address).status_code == 404
    consent = Consent.create(space=cast["space"], student=pupil, photo=True,
                             scope=ConsentScope.PRIVATE)
    assert client.get(files[0]).status_code == 404  # inside the space only
    consent.scope = ConsentScope.PUBLIC
    consent.save()
    for address in files:
        assert client.get(address).status_code == 200
    login(cast["outsider"])  # a member of the platform, not of the space
    assert client.get(files[0]).status_code == 200
    consent.photo = False
    consent.save()
    assert client.get(files[0]).status_code == 404
