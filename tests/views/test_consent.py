"""T-16: the consent register — only the space's teachers read and keep it, one record per
pupil of the space, refusals that keep what was typed — and the rule that decides from it
what the public view may show (permissions.consent_allows_public, material_is_public,
public_materials)."""
import datetime

import pytest

from models import (Consent, ConsentScope, Folder, Material, MaterialKind, MaterialPerson,
                    SpaceRole)
from services import permissions, spaces
from tests.factories import make_space, make_user

TODAY = datetime.date(2026, 6, 1)


FULL = {"photo": "y", "video": "y", "scope": "public", "until": "2099-06-30",
        "note": "Form in the office"}


@pytest.fixture
def space_kind():
    """The register is kept where a space has pupils (a TwinSpace); a kind of space of
    teachers only (a group) has none: see the last test."""
    return "twinspace"


def test_teachers_keep_the_register(client, login, cast, space_url):
    space, pupil = cast["space"], cast["pupil"]
    login(cast["teacher"])
    html = client.get(space_url(space, "consent")).get_data(as_text=True)
    assert pupil.name in html and cast["pupil2"].name in html
    assert html.count("No consent recorded") == 2
    assert cast["guest"].name not in html and cast["other"].name not in html
    assert cast["stranger_pupil"].name not in html

    response = client.post(space_url(space, "consent_edit", user_id=pupil.id), data=FULL)
    assert response.status_code == 303 and response.headers["Location"].endswith(
        space_url(space, "consent", _anchor=f"pupil-{pupil.id}"))
    record = Consent.get(Consent.student == pupil.id)
    assert (record.photo, record.video, record.voice, record.real_name) == (
        True, True, False, False)
    assert record.scope == "public" and record.until == datetime.date(2099, 6, 30)
    assert record.note == "Form in the office" and record.updated_by_id == cast["teacher"].id

    html = client.get(space_url(space, "consent")).get_data(as_text=True)
    assert html.count("No consent recorded") == 1
    row = html.split(f'id="pupil-{pupil.id}"')[1].split("</tr>")[0]
    assert row.count(">Yes<") == 2 and row.count(">No<") == 2
    assert "Also in public" in row and "2099" in row and "Form in the office" in row

    # The other teacher changes it: still one record, now theirs.
    login(cast["other"])
    html = client.get(space_url(space, "consent_edit", user_id=pupil.id)).get_data(as_text=True)
    assert 'value="2099-06-30"' in html and "Form in the office" in html
    client.post(space_url(space, "consent_edit", user_id=pupil.id),
                data={"voice": "y", "scope": "private", "until": ""})
    record = Consent.get(Consent.student == pupil.id)
    assert Consent.select().count() == 1
    assert (record.photo, record.voice, record.scope, record.until) == (
        False, True, "private", None)
    assert record.updated_by_id == cast["other"].id
    register = client.get(space_url(space, "consent")).get_data(as_text=True)
    row = register.split(f'id="pupil-{pupil.id}"')[1]
    assert "Inside the space only" in row.split("</tr>")[0]
    assert "No end date" in row.split("</tr>")[0]


def test_a_past_date_is_kept_and_shown_as_expired(client, login, cast, space_url):
    space, pupil = cast["space"], cast["pupil"]
    login(cast["teacher"])
    response = client.post(space_url(space, "consent_edit", user_id=pupil.id),
                           data=dict(FULL, until="2020-01-31"), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "counts as expired" in html
    row = html.split(f'id="pupil-{pupil.id}"')[1].split("</tr>")[0]
    assert "Expired on" in row and "2020" in row


@pytest.mark.parametrize("who", ["pupil", "guest", "outsider"])
def test_nobody_else_sees_or_changes_it(client, login, cast, who, space_url):
    space, pupil = cast["space"], cast["pupil"]
    login(cast[who])
    assert client.get(space_url(space, "consent")).status_code == 404
    assert client.get(space_url(space, "consent_edit", user_id=pupil.id)).status_code == 404
    assert client.post(
        space_url(space, "consent_edit", user_id=pupil.id), data=FULL).status_code == 404
    assert Consent.select().count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, cast, space_url, url):
    response = client.get(space_url(cast["space"], "consent"))
    assert response.status_code in (302, 303) and url("auth.login") in response.headers["Location"]


def test_only_pupils_of_this_space_have_a_record(client, login, cast, space_url):
    space = cast["space"]
    login(cast["teacher"])
    for person in ("stranger_pupil", "guest", "other", "teacher"):
        target = cast[person].id
        assert client.get(space_url(space, "consent_edit", user_id=target)).status_code == 404
        assert client.post(
            space_url(space, "consent_edit", user_id=target), data=FULL).status_code == 404
    assert client.get(space_url(space, "consent_edit", user_id=999999)).status_code == 404
    # A teacher of another space cannot reach this space's register by guessing its id.
    elsewhere_teacher = make_user()
    third = make_space(elsewhere_teacher, space.kind, title="Third")
    spaces.join(third, cast["pupil"], SpaceRole.STUDENT)
    login(elsewhere_teacher)
    assert client.get(space_url(space, "consent_edit", user_id=cast["pupil"].id)).status_code == 404
    assert Consent.select().count() == 0


def test_refusals_keep_what_was_typed(client, login, cast, space_url):
    space, pupil = cast["space"], cast["pupil"]
    edit = space_url(space, "consent_edit", user_id=pupil.id)
    login(cast["teacher"])
    response = client.post(edit, data=dict(FULL, note="x" * 301))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "at most 300 characters" in html
    assert 'id="note-error"' in html and "x" * 301 in html and "<title>Error:" in html
    response = client.post(edit, data=dict(FULL, until="30/06/2099"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter a date like 2027-06-30" in html
    assert 'id="until-error"' in html and "Form in the office" in html
    assert "Not a valid date" not in html
    response = client.post(edit, data=dict(FULL, scope="everyone"))
    assert response.status_code == 422
    response = client.post(edit, data=FULL, csrf=False)
    assert response.status_code in (400, 422)
    assert Consent.select().count() == 0


def test_the_register_takes_few_queries(client, login, cast, space_url):
    from playhouse.test_utils import count_queries
    space = cast["space"]
    for _ in range(15):
        pupil = make_user("student")
        spaces.join(space, pupil, SpaceRole.STUDENT)
        Consent.create(space=space, student=pupil, photo=True, scope="public")
    login(cast["teacher"])
    with count_queries() as counter:
        html = client.get(space_url(space, "consent")).get_data(as_text=True)
    assert html.count(">Yes<") == 15
    assert counter.count <= 10


# --- The rule: what the public view may show --------------------------------------------

def _material(space, kind=MaterialKind.IMAGE, alt="Pupils at the river", public=True,
              people=()):
    folder = Folder.create(space=space, kind=kind, title="Folder")
    material = Material.create(space=space, folder=folder, kind=kind, title="M", alt_text=alt,
                               is_public=public)
    for person in people:
        MaterialPerson.create(material=material, user=person)
    return material


def _consent(space, pupil, **fields):
    values = dict(photo=True, video=False, scope=ConsentScope.PUBLIC, until=None)
    values.update(fields)
    return Consent.create(space=space, student=pupil, **values)


def test_consent_allows_public_only_with_scope_flag_and_date():
    today = TODAY
    ok = Consent(photo=True, video=False, scope="public", until=today)
    assert permissions.consent_allows_public(ok, MaterialKind.IMAGE, today)
    assert not permissions.consent_allows_public(ok, MaterialKind.VIDEO, today)  # flag
    assert not permissions.consent_allows_public(ok, MaterialKind.IMAGE,
                                                 today + datetime.timedelta(days=1))  # expired
    assert permissions.consent_allows_public(Consent(photo=True, scope="public"),
                                             MaterialKind.IMAGE, today)  # no end date
    assert not permissions.consent_allows_public(Consent(photo=True, scope="private"),
                                                 MaterialKind.IMAGE, today)
    assert not permissions.consent_allows_public(None, MaterialKind.IMAGE, today)
    assert not permissions.consent_allows_public(Consent(photo=True, video=True, voice=True,
                                                         scope="public"),
                                                 MaterialKind.DOCUMENT, today)


def test_material_is_public_needs_every_tagged_pupil(app, cast):
    space, lucia, marcos = cast["space"], cast["pupil"], cast["pupil2"]
    untagged = _material(space)
    both = _material(space, people=(lucia, marcos))
    only_lucia = _material(space, people=(lucia,))
    video = _material(space, kind=MaterialKind.VIDEO, people=(lucia,))
    no_alt = _material(space, alt="", people=())
    unmarked = _material(space, public=False)
    document = _material(space, kind=MaterialKind.DOCUMENT, alt="", people=(lucia, marcos))
    private_document = _material(space, kind=MaterialKind.DOCUMENT, public=False)

    def public(today=TODAY):
        listed = {m.id for m in permissions.public_materials(space, today=today)}
        one_by_one = {m.id for m in Material.select()
                      if permissions.material_is_public(m, today=today)}
        assert listed == one_by_one  # the list and the single check agree
        return listed

    # Nobody has consent yet: only what shows no pupil, marked public, with alt text.
    assert public() == {untagged.id, document.id}
    assert no_alt.id not in public() and unmarked.id not in public()
    assert private_document.id not in public()

    _consent(space, lucia, until=TODAY + datetime.timedelta(days=30))
    assert public() == {untagged.id, document.id, only_lucia.id}  # Marcos still missing
    assert both.id not in public() and video.id not in public()  # video needs its own flag

    marcos_consent = _consent(space, marcos, scope=ConsentScope.PRIVATE)
    assert both.id not in public()  # inside the space only
    marcos_consent.scope = ConsentScope.PUBLIC
    marcos_consent.photo = False
    marcos_consent.save()
    assert both.id not in public()  # no photo flag
    marcos_consent.photo = True
    marcos_consent.save()
    assert both.id in public()

    Consent.update(video=True).where(Consent.student == lucia.id).execute()
    assert video.id in public()
    # A month later Lucía's consent has expired: nothing showing her is public any more.
    later = TODAY + datetime.timedelta(days=31)
    assert public(later) == {untagged.id, document.id}

    # A consent kept in another space does not count here.
    Consent.delete().where(Consent.student == marcos.id).execute()
    other = make_space(make_user(), space.kind, title="Elsewhere")
    _consent(other, marcos)
    assert both.id not in public()


def test_a_space_of_teachers_only_has_no_register(client, login, space_url):
    moderator = make_user()
    group = make_space(moderator, "group")
    login(moderator)
    home = client.get(space_url(group, "home")).get_data(as_text=True)
    assert space_url(group, "consent") not in home
    assert client.get(space_url(group, "consent")).status_code == 404
