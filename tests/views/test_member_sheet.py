"""Issue 10.15 (T-12): the sheet of new pupils' passwords has a Print button (shown by
app.js; without it the browser's Print works) and, for paper, one slip per pupil with the
name, username, password and the address to log in at. Only the space's teachers get it."""
import re

import pytest

from models import SpaceRole
from services import spaces
from tests.factories import make_space, make_user
from tests.views.test_members import kinds_that

SLIP = re.compile(r'<li class="slip">(.*?)</li>', re.S)


@pytest.mark.parametrize("space_kind", kinds_that("adds_pupils"))
def test_the_sheet_has_a_print_button_and_one_slip_per_pupil(client, login, space_kind,
                                                             space_url, url):
    teacher = make_user()
    space = make_space(teacher, space_kind, title="Rivers & seas")
    login(teacher)
    response = client.post(space_url(space, "members_add_pupils"),
                           data={"names": "Lucía Pérez\nJohn O'Neil"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert re.search(r'<p class="no-print" data-print-box hidden><button class="button" '
                     r'type="button" data-print>Print the slips</button></p>', html)
    assert "js/app.js" in html
    rows = re.findall(r'<th scope="row">([^<]+)</th><td><code>([^<]+)</code></td>'
                      r'<td><code>([^<]+)</code></td>', html)
    slips = SLIP.findall(html)
    assert len(rows) == len(slips) == 2
    login_at = url("auth.login", _external=True)
    for (name, username, password), slip in zip(rows, slips):
        assert f"<dd>{name}</dd>" in slip
        assert f"<dd><code>{username}</code></dd>" in slip
        assert f"<dd><code>{password}</code></dd>" in slip
        assert f"Log in at {login_at}" in slip and "Rivers &amp; seas" in slip


def test_a_new_password_gives_one_slip_and_pupils_get_no_sheet(client, login, space_kind,
                                                               space_url):
    teacher, pupil = make_user(), make_user("student", name="Lucia Perez")
    other = make_user("student")
    space = make_space(teacher, space_kind)
    spaces.join(space, pupil, SpaceRole.STUDENT)
    spaces.join(space, other, SpaceRole.STUDENT)
    login(teacher)
    html = client.post(space_url(space, "member_password",
                                 user_id=pupil.id)).get_data(as_text=True)
    assert len(SLIP.findall(html)) == 1 and "<dd>Lucia Perez</dd>" in html
    login(other)  # Lucia's password has just changed
    for endpoint, values in (("members_add_pupils", {}), ("member_password",
                                                         {"user_id": pupil.id})):
        response = client.post(space_url(space, endpoint, **values), data={"names": "Someone"})
        assert response.status_code == 404 and "slip" not in response.get_data(as_text=True)
