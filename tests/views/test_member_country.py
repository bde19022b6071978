"""Issue 10.20: adding a teacher from another country asks for the country by name (a list,
like registration), not for a two-letter code typed by hand."""
import re

import pytest

from models import Role, User
from tests.factories import make_space, make_user
from tests.views.test_members import kinds_that


@pytest.mark.parametrize("space_kind", kinds_that("adds_outside_teachers"))
def test_the_country_is_a_list_of_names_of_countries_not_taking_part(client, login, space_kind,
                                                                     space_url):
    teacher = make_user(country="PT")
    space = make_space(teacher, space_kind)
    login(teacher)
    page = client.get(space_url(space, "members_add_teacher")).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="country"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the country is a <select>"
    assert '<label for="country">Country</label>' in page and "Country code" not in page
    options = dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>',
                              select.group(1)))
    assert options["CA"] == "Canada" and options["MA"] == "Morocco"
    # Countries taking part register themselves: they are not offered here.
    assert "ES" not in options and "FR" not in options
    assert "EU" not in options and "001" not in options


@pytest.mark.parametrize("space_kind", kinds_that("adds_outside_teachers"))
def test_a_country_outside_the_list_is_refused_next_to_the_field(client, login, space_kind,
                                                                 space_url):
    teacher = make_user(country="PT")
    space = make_space(teacher, space_kind)
    login(teacher)
    url = space_url(space, "members_add_teacher")
    for code, message in (("", "country from the list"),
                          ("QQ", "country from the list"),
                          ("ES", "Teachers of this country register themselves")):
        response = client.post(url, data={"name": "Olena K", "email": "olena@school.ca",
                                          "country": code})
        body = response.get_data(as_text=True)
        assert response.status_code == 422, code
        error = re.search(r'<p class="error-message" id="country-error">(.*?)</p>', body, re.S)
        assert error and message in error.group(1), code
        assert 'aria-invalid="true"' in body
    response = client.post(url, data={"name": "Olena K", "email": "olena@school.ca",
                                      "country": "CA"})
    assert response.status_code == 303
    assert User.get(User.email == "olena@school.ca").country == "CA"
    assert User.get(User.email == "olena@school.ca").role == Role.TEACHER
