"""Issue 10.16: people in search results (P-3 for visitors, L-2 for members: both search at
portal.connect) show their subjects, pupil ages, languages and photo, each only when the
viewer may see it (permissions.visible_profile_fields), with a small thumbnail, in a bounded
number of queries."""
import io
import re

import pytest
from flask import url_for
from playhouse.test_utils import count_queries

from models import Visibility
from services import search, storage
from tests.conftest import hx
from tests.factories import make_school, make_user


class Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def _photo(app, owner):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "teal").save(out, "PNG")
    return storage.save_image(Upload(out.getvalue(), "me.png"), app.config["UPLOAD_DIR"],
                              owner=owner.id)


def make_teacher(app, full_name, with_photo=True, **levels):
    """A teacher with subjects, ages, languages and a photo; `levels` who sees what."""
    person = make_user(name=full_name, school=make_school("FR", f"Collège {full_name}", "Lyon"),
                       country="FR", subjects=["art", "maths"], age_ranges=["12-15", "6-11"])
    person.set_languages(["fr", "de"])
    if with_photo:
        person.photo_id = _photo(app, person).id
    person.set_visibility(levels)
    person.save()
    search.index_teacher(person)
    return person


def connect_url(app, **args):
    with app.test_request_context():
        return url_for("portal.connect", type="teachers", **args)


def file_url(app, file_id):
    with app.test_request_context():
        return url_for("portal.file", file_id=file_id, width=160)


def result_of(page, name):
    """The <li> of one person in the results."""
    found = re.search(r'<li class="person">((?:(?!</li>).)*?>' + re.escape(name)
                      + r'</a>.*?)</li>', page, re.S)
    assert found, name
    return found.group(1)


def test_results_show_subjects_ages_languages_and_photo_to_those_allowed(app, client, login):
    make_teacher(app, "Camille Public", name=Visibility.PUBLIC, photo=Visibility.PUBLIC,
                 languages=Visibility.PUBLIC)
    hidden = make_teacher(app, "Marc Members", name=Visibility.PUBLIC)  # photo, langs: members
    url = connect_url(app)

    page = client.get(url).get_data(as_text=True)
    camille = result_of(page, "Camille Public")
    assert "Art, Mathematics" in camille and "6 to 11 years, 12 to 15 years" in camille
    assert "French" in camille and "German" in camille
    img = re.search(r'<img class="person-photo" src="([^"]+)"[^>]*>', camille)
    assert img and '/w160' in img.group(1)
    assert 'width="64"' in img.group(0) and 'height="64"' in img.group(0)
    assert 'alt=""' in img.group(0) and 'loading="lazy"' in img.group(0)
    assert client.get(img.group(1)).status_code == 200
    # What Marc keeps for members stays hidden from visitors: no languages, no photo.
    marc = result_of(page, "Marc Members")
    assert "Art, Mathematics" in marc and "6 to 11 years" in marc
    assert "French" not in marc and "<img" not in marc
    assert file_url(app, hidden.photo_id) not in page

    login(make_user(name="A Member"))
    page = client.get(url).get_data(as_text=True)
    marc = result_of(page, "Marc Members")
    assert "French" in marc and file_url(app, hidden.photo_id) in marc


def test_fields_kept_for_contacts_are_not_in_the_results(app, client, login):
    make_teacher(app, "Zoe Private", name=Visibility.MEMBERS, country=Visibility.CONTACTS,
                 subjects=Visibility.CONTACTS, age_ranges=Visibility.CONTACTS,
                 languages=Visibility.CONTACTS, photo=Visibility.CONTACTS,
                 school=Visibility.CONTACTS)
    login(make_user(name="A Member"))
    zoe = result_of(client.get(connect_url(app)).get_data(as_text=True), "Zoe Private")
    for hidden in ("France", "Collège", "Mathematics", "6 to 11", "French", "<img", "<dl"):
        assert hidden not in zoe, hidden


def test_the_htmx_results_show_the_same(app, client):
    make_teacher(app, "Camille Public", name=Visibility.PUBLIC, languages=Visibility.PUBLIC)
    body = client.get(connect_url(app, q="camille"), headers=hx("results")).get_data(
        as_text=True)
    assert "<html" not in body and "Art, Mathematics" in body and "French" in body


@pytest.mark.parametrize("member", [False, True])
def test_the_results_need_a_bounded_number_of_queries(app, client, login, member):
    for n in range(20):
        make_teacher(app, f"Teacher {n}", name=Visibility.PUBLIC, photo=Visibility.PUBLIC,
                     languages=Visibility.PUBLIC)
    if member:
        login(make_user(name="Zed Member"))  # listed for members too: last, on page 2
    url = connect_url(app)
    with count_queries() as counter:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="person-photo"') == 20 and page.count("French") == 20
    assert counter.count <= 8, [str(q.msg)[:80] for q in counter.get_queries()]


def test_a_search_with_more_results_than_it_counts_says_so(client, app, monkeypatch):
    for name in ("Quentin Zwick", "Quinn Zwick", "Quirin Zwick"):
        person = make_user(name=name, country="FR")
        person.set_visibility({"name": Visibility.PUBLIC})
        person.save()
    search.reindex_all()
    html = client.get(connect_url(app, q="zwick")).get_data(as_text=True)
    assert "3 results" in html and "More than" not in html and "Only the first" not in html
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    html = client.get(connect_url(app, q="zwick")).get_data(as_text=True)
    assert "More than 2 results" in html
    assert "Only the first 2 are shown: add a word or a filter to find fewer." in html
    assert len(re.findall(r'<li class="person">', html)) == 2
