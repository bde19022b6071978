"""L-7: partner-finding forums: the forums by pupil age and programme, partner searches,
replies, contacting the poster, and who may do what."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from models import (Discussion, Forum, Notification, Post, Project, Role, Space, SpaceKind,
                    User, utcnow)
from services import forums
from tests.conftest import hx, switch
from tests.factories import make_school, make_user



def forum_of(category):
    forums.ensure_partner_forums()
    return Forum.get(Forum.category == category)


def search_data(**overrides):
    data = {"title": "Pen pals for 13-year-olds", "body": "Pupils write letters about home.",
            "subject": "foreign_languages", "languages": ["en", "fr"],
            "starts_on": "2027-01-10", "ends_on": "2027-05-30"}
    data.update(overrides)
    return data


def post_search(client, forum, **overrides):
    response = client.post(f"/live/forums/{forum.id}/new", data=search_data(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    return Discussion.select().order_by(Discussion.id.desc()).first()


def make_search(forum, author, title="A search", subject=None, languages="en", replies=0,
                when=None):
    """A partner search straight in the database (for lists and budgets)."""
    discussion = forums.start_discussion(forum, author, title=title, body="Proposal",
                                         subject=subject, languages=languages.split(","),
                                         age_range=forums.age_of(forum.category))
    for n in range(replies):
        forums.add_reply(discussion, author, f"Reply {n}")
    if when:
        Discussion.update(last_post_at=when).where(Discussion.id == discussion.id).execute()
    return discussion


@pytest.fixture
def claire():
    return make_user(name="Claire Poster", country="FR", school=make_school("FR"))


@pytest.fixture
def giulia():
    return make_user(name="Giulia Replier", country="IT", school=make_school("IT"))


# --- The forums ------------------------------------------------------------------------

def test_the_forums_are_made_once_per_age_range_and_programme(client, login, claire):
    login(claire)
    assert Forum.select().count() == 0
    page = client.get("/live/forums")
    assert page.status_code == 200
    expected = {"age:0-5", "age:6-11", "age:12-15", "age:16-19", "age:20+",
                "programme:etwinning", "programme:erasmus"}
    assert {f.category for f in Forum.select()} == expected
    assert all(f.space_id is None for f in Forum.select())
    client.get("/live/forums")
    assert len(forums.ensure_partner_forums()) == 7
    assert Forum.select().count() == 7
    html = page.get_data(as_text=True)
    for name in ("Up to 5 years", "12 to 15 years", "20 years and over", "eTwinning",
                 "Erasmus+"):
        assert name in html
    assert "No partner search yet." in html


def test_forum_names_come_from_the_code_not_the_stored_title(client, login, claire):
    login(claire)
    forum = forum_of("age:12-15")
    Forum.update(title="Something stale").where(Forum.id == forum.id).execute()
    html = client.get("/live/forums").get_data(as_text=True)
    assert "Something stale" not in html and "12 to 15 years" in html
    page = client.get(f"/live/forums/{forum.id}").get_data(as_text=True)
    assert "Partner forum: 12 to 15 years" in page and "Something stale" not in page


def test_the_list_shows_the_number_of_searches_and_the_newest(client, login, claire, giulia):
    forum = forum_of("age:12-15")
    make_search(forum, giulia, title="Older search")
    make_search(forum, claire, title="Newest search")
    make_search(forum_of("programme:erasmus"), giulia, title="Erasmus search")
    login(claire)
    html = client.get("/live/forums").get_data(as_text=True)
    assert "2 partner searches" in html and "1 partner search" in html
    assert "Newest search" in html and "Older search" not in html
    assert "by Claire Poster (France)" in html and "Erasmus search" in html


def test_the_forum_list_needs_at_most_five_queries(client, login, claire):
    for category in forums.partner_categories():
        for n in range(3):
            make_search(forum_of(category), claire, title=f"{category} {n}")
    login(claire)
    client.get("/live/forums")
    with count_queries() as counter:
        response = client.get("/live/forums")
    assert response.status_code == 200
    assert counter.count <= 5, counter.count
    assert response.get_data(as_text=True).count("3 partner searches") == 7


# --- Who may do what ----------------------------------------------------------------------

def test_visitors_are_sent_to_log_in_and_other_roles_refused(client, login):
    forum = forum_of("age:12-15")
    response = client.get("/live/forums")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]
    for role in (Role.NSS, Role.CSS, Role.STUDENT):
        switch(client, make_user(role))
        assert client.get("/live/forums").status_code == 403
        assert client.get(f"/live/forums/{forum.id}").status_code == 403
        assert client.post(f"/live/forums/{forum.id}/new",
                           data=search_data()).status_code == 403
    assert Discussion.select().count() == 0


def test_a_teacher_waiting_for_validation_reads_but_cannot_post_or_reply(client, login, claire):
    forum = forum_of("age:12-15")
    discussion = make_search(forum, claire, title="Open search")
    login(make_user(validated=False))
    assert client.get("/live/forums").status_code == 200
    page = client.get(f"/live/forums/{forum.id}").get_data(as_text=True)
    assert "Open search" in page and "Post a partner search" not in page
    assert "once national support staff have validated your account" in page
    response = client.get(f"/live/forums/{forum.id}/new")
    assert response.status_code == 403
    assert "waiting for validation" in response.get_data(as_text=True)
    assert client.post(f"/live/forums/{forum.id}/new", data=search_data()).status_code == 403
    page = client.get(f"/live/forums/discussions/{discussion.id}").get_data(as_text=True)
    assert "Post the reply" not in page and "You can reply once" in page
    response = client.post(f"/live/forums/discussions/{discussion.id}/reply",
                           data={"body": "Me too"})
    assert response.status_code == 403
    assert Discussion.select().count() == 1 and Post.select().count() == 1


def test_unknown_forums_and_discussions_are_not_found(client, login, claire):
    login(claire)
    forums.ensure_partner_forums()
    assert client.get("/live/forums/9999").status_code == 404
    assert client.get("/live/forums/9999/new").status_code == 404
    assert client.get("/live/forums/discussions/9999").status_code == 404
    assert client.post("/live/forums/discussions/9999/reply",
                       data={"body": "x"}).status_code == 404


def test_space_forums_are_not_reachable_here(client, login, claire):
    project = Project.create(title="P", founder=claire)
    space = Space.create(kind=SpaceKind.TWINSPACE, project=project, title="P")
    forum = Forum.create(space=space, title="Our forum")
    discussion = Discussion.create(forum=forum, author=claire, title="Members only")
    Post.create(discussion=discussion, author=claire, body="Secret plans")
    login(claire)
    assert client.get(f"/live/forums/{forum.id}").status_code == 404
    assert client.get(f"/live/forums/{forum.id}/new").status_code == 404
    assert client.post(f"/live/forums/{forum.id}/new", data=search_data()).status_code == 404
    assert client.get(f"/live/forums/discussions/{discussion.id}").status_code == 404
    assert client.post(f"/live/forums/discussions/{discussion.id}/reply",
                       data={"body": "x"}).status_code == 404
    assert "Our forum" not in client.get("/live/forums").get_data(as_text=True)
    assert Post.select().count() == 1


# --- Posting a partner search -------------------------------------------------------------

def test_a_validated_teacher_posts_a_partner_search_in_an_age_forum(client, login, claire):
    login(claire)
    forum = forum_of("age:12-15")
    page = client.get(f"/live/forums/{forum.id}/new").get_data(as_text=True)
    assert 'name="age_range"' not in page and "12 to 15 years" in page
    discussion = post_search(client, forum, age_range="6-11")
    assert (discussion.forum_id, discussion.author_id) == (forum.id, claire.id)
    assert discussion.age_range == "12-15"  # the forum's, whatever was sent
    assert discussion.subject == "foreign_languages"
    assert discussion.language_codes == ["en", "fr"]
    assert discussion.starts_on == datetime.date(2027, 1, 10)
    assert discussion.ends_on == datetime.date(2027, 5, 30)
    first = Post.get(Post.discussion == discussion)
    assert first.body == "<p>Pupils write letters about home.</p>" and first.is_html
    assert first.author_id == claire.id
    html = client.get(f"/live/forums/{forum.id}").get_data(as_text=True)
    assert "Pen pals for 13-year-olds" in html and "Posted by Claire Poster (France)" in html
    assert "Foreign languages" in html and "English" in html and "French" in html
    assert "0 replies" in html and "2027" in html


def test_in_a_programme_forum_the_ages_are_chosen(client, login, claire):
    login(claire)
    forum = forum_of("programme:erasmus")
    assert 'name="age_range"' in client.get(f"/live/forums/{forum.id}/new").get_data(
        as_text=True)
    response = client.post(f"/live/forums/{forum.id}/new", data=search_data())
    assert response.status_code == 422
    assert "Choose the ages of your pupils" in response.get_data(as_text=True)
    response = client.post(f"/live/forums/{forum.id}/new", data=search_data(age_range="99"))
    assert "Choose an age range from the list" in response.get_data(as_text=True)
    discussion = post_search(client, forum, age_range="16-19", subject="", starts_on="",
                             ends_on="")
    assert discussion.age_range == "16-19" and discussion.subject is None
    assert discussion.starts_on is None and discussion.ends_on is None


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter a title"),
    ({"title": "t" * 201}, "Enter a title of at most 200 characters"),
    ({"body": ""}, "Say what you propose"),
    ({"body": "b" * 5001}, "at most 5000 characters"),
    ({"languages": []}, "Choose at least one language"),
    ({"languages": ["en", "xx"]}, "Choose languages from the list"),
    ({"languages": ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga"]},
     "Choose at most 10 languages"),
    ({"subject": "astrology"}, "Choose a subject from the list"),
    ({"ends_on": "2027-01-01"}, "Enter an end date after the start date"),
])
def test_refusals_are_next_to_the_field_and_keep_the_input(client, login, claire, overrides,
                                                            message):
    login(claire)
    forum = forum_of("age:12-15")
    data = search_data(body="Keep this text please.", **{
        k: v for k, v in overrides.items() if k != "body"})
    if "body" in overrides:
        data["body"] = overrides["body"]
    response = client.post(f"/live/forums/{forum.id}/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert "<title>Error: " in html and 'class="error-message"' in html
    assert "There is a problem" in html
    if "languages" not in overrides:
        assert 'aria-invalid="true"' in html
    if "body" not in overrides:
        assert "Keep this text please." in html
    if "title" not in overrides:
        assert "Pen pals for 13-year-olds" in html
    assert Discussion.select().count() == 0 and Post.select().count() == 0


def test_posting_needs_the_csrf_token(client, login, claire):
    login(claire)
    forum = forum_of("age:12-15")
    response = client.post(f"/live/forums/{forum.id}/new", data=search_data(), csrf=False)
    assert response.status_code == 400
    assert Discussion.select().count() == 0


# --- Reading, replying, contacting the poster ---------------------------------------------

def test_the_discussion_shows_cleaned_text_and_the_way_to_contact_the_poster(
        client, login, claire, giulia):
    forum = forum_of("age:12-15")
    login(claire)
    discussion = post_search(client, forum, body=(
        '<p>See <a href="https://example.org" onclick="alert(1)">this</a></p>'
        '<script>alert(2)</script><img src=x onerror="alert(3)">'))
    page = client.get(f"/live/forums/discussions/{discussion.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "onclick" not in page and "onerror" not in page
    assert ('<div class="prose" hx-disable><p>See <a href="https://example.org">this</a></p>'
            'alert(2)<img src="x"></div>') in page
    assert "Send a message" not in page  # not to myself
    switch(client, giulia)
    page = client.get(f"/live/forums/discussions/{discussion.id}").get_data(as_text=True)
    assert f'href="/live/mail/new?to={claire.id}"' in page and "Send a message" in page
    assert "Ask to be contacts" in page and "Follow" in page
    assert "Posted by Claire Poster (France)" in page and "Post the reply" in page


def test_a_reply_is_posted_moves_the_search_up_and_tells_the_poster(client, login, claire,
                                                                    giulia):
    forum = forum_of("age:12-15")
    mine = make_search(forum, claire, title="Claire's search",
                       when=utcnow() - datetime.timedelta(days=3))
    make_search(forum, giulia, title="Another search",
                when=utcnow() - datetime.timedelta(days=1))
    login(giulia)
    page = client.get(f"/live/forums/{forum.id}").get_data(as_text=True)
    assert page.index("Another search") < page.index("Claire&#39;s search")
    response = client.post(f"/live/forums/discussions/{mine.id}/reply",
                           data={"body": "We would love to join!"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/live/forums/discussions/{mine.id}#latest")
    assert Discussion.get_by_id(mine.id).last_post_at > utcnow() - datetime.timedelta(minutes=1)
    page = client.get(f"/live/forums/{forum.id}").get_data(as_text=True)
    assert page.index("Claire&#39;s search") < page.index("Another search")
    assert "1 reply" in page
    note = Notification.get(Notification.recipient == claire.id)
    assert (note.kind, note.subject_key) == ("forum_reply", f"discussion:{mine.id}")
    assert note.text == "1 new reply to “Claire's search”"
    assert note.link == f"/live/forums/discussions/{mine.id}#latest"
    client.post(f"/live/forums/discussions/{mine.id}/reply", data={"body": "Also: Fridays?"})
    note = Notification.get(Notification.recipient == claire.id)
    assert note.count == 2 and note.text == "2 new replies to “Claire's search”"
    assert Notification.select().where(Notification.recipient == giulia.id).count() == 0

    switch(client, claire)
    page = client.get(f"/live/forums/discussions/{mine.id}").get_data(as_text=True)
    assert "We would love to join!" in page and "Also: Fridays?" in page
    assert "2 replies" in page and "Giulia Replier (Italy)" in page
    assert Notification.get(Notification.recipient == claire.id).read_at is not None
    client.post(f"/live/forums/discussions/{mine.id}/reply", data={"body": "Yes!"})
    assert Notification.select().where(Notification.read_at.is_null()).count() == 0


@pytest.mark.parametrize("body, message", [
    ("", "Write your reply"), ("   ", "Write your reply"),
    ("r" * 5001, "Shorten your reply to at most 5000 characters")])
def test_reply_refusals(client, login, claire, giulia, body, message):
    discussion = make_search(forum_of("age:12-15"), claire, title="Search")
    login(giulia)
    response = client.post(f"/live/forums/discussions/{discussion.id}/reply",
                           data={"body": body})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Post.select().count() == 1 and Notification.select().count() == 0


def test_hidden_posts_are_not_shown(client, login, claire, giulia):
    discussion = make_search(forum_of("age:12-15"), claire, title="Search")
    forums.add_reply(discussion, giulia, "A visible reply")
    hidden = forums.add_reply(discussion, giulia, "A rude reply")
    Post.update(hidden=True).where(Post.id == hidden.id).execute()
    login(claire)
    page = client.get(f"/live/forums/discussions/{discussion.id}").get_data(as_text=True)
    assert "A visible reply" in page and "A rude reply" not in page and "1 reply" in page
    forum_page = client.get(f"/live/forums/{discussion.forum_id}").get_data(as_text=True)
    assert "1 reply" in forum_page


def test_a_poster_who_left_is_shown_without_contact_buttons(client, login, claire, giulia):
    discussion = make_search(forum_of("age:12-15"), claire, title="Orphan search")
    User.delete().where(User.id == claire.id).execute()
    login(giulia)
    page = client.get(f"/live/forums/discussions/{discussion.id}").get_data(as_text=True)
    assert "Orphan search" in page and "somebody who left" in page
    assert "Send a message" not in page


# --- Filters, pages, budgets -------------------------------------------------------------

def test_filters_by_subject_and_language(client, login, claire):
    forum = forum_of("age:12-15")
    make_search(forum, claire, title="Biology in English", subject="biology", languages="en")
    make_search(forum, claire, title="Maths in French", subject="maths", languages="de,fr,it")
    make_search(forum, claire, title="Anything in Frisian-ish", languages="fi")
    login(claire)
    url = f"/live/forums/{forum.id}"

    def titles(query):
        response = client.get(url + query)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        return {t for t in ("Biology in English", "Maths in French", "Anything in Frisian-ish")
                if t in html}

    assert len(titles("")) == 3
    assert titles("?subject=biology") == {"Biology in English"}
    assert titles("?language=fr") == {"Maths in French"}
    assert titles("?language=de") == {"Maths in French"}
    assert titles("?language=it") == {"Maths in French"}
    assert titles("?language=f") == set()
    assert titles("?language=fi") == {"Anything in Frisian-ish"}
    assert titles("?subject=maths&language=en") == set()
    assert titles("?subject=astrology") == set()
    assert titles("?language=%25") == set()
    assert titles("?language=xx&subject=" + "x" * 300) == set()
    assert "No partner search matches these filters" in client.get(
        url + "?subject=astrology").get_data(as_text=True)
    assert titles("?page=abc") == titles("?page=99") == {
        "Biology in English", "Maths in French", "Anything in Frisian-ish"}


def test_filters_answer_htmx_with_the_list_only(client, login, claire):
    forum = forum_of("age:12-15")
    make_search(forum, claire, title="Biology in English", subject="biology")
    login(claire)
    response = client.get(f"/live/forums/{forum.id}?subject=biology",
                          headers=hx("search-results", "subject"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="search-results"')
    assert "Biology in English" in html
    assert "HX-Request" in response.headers.get("Vary", "")
    page = client.get(f"/live/forums/{forum.id}?subject=biology").get_data(as_text=True)
    assert "<html" in page and 'hx-get="/live/forums/' in page
    assert '<option value="biology" selected>' in page


def test_long_lists_are_paged_and_pages_keep_the_filters(client, login, claire):
    forum = forum_of("age:12-15")
    for n in range(25):
        make_search(forum, claire, title=f"Search number {n:02d}", subject="biology",
                    when=utcnow() - datetime.timedelta(hours=n))
    login(claire)
    page = client.get(f"/live/forums/{forum.id}?subject=biology").get_data(as_text=True)
    assert "Page 1 of 2" in page and "Search number 00" in page
    assert "Search number 24" not in page
    assert f"/live/forums/{forum.id}?page=2&amp;subject=biology" in page
    second = client.get(f"/live/forums/{forum.id}?subject=biology&page=2").get_data(
        as_text=True)
    assert "Search number 24" in second and "Search number 00" not in second


def test_the_forum_page_needs_at_most_seven_queries_with_20_searches(client, login, claire,
                                                                   giulia):
    forum = forum_of("programme:etwinning")
    for n in range(20):
        author = claire if n % 2 else giulia
        make_search(forum, author, title=f"Search {n}", subject="biology", replies=2,
                    languages="en,fr")
    login(claire)
    with count_queries() as counter:
        response = client.get(f"/live/forums/{forum.id}")
    assert response.status_code == 200
    assert counter.count <= 7, counter.count
    html = response.get_data(as_text=True)
    assert html.count("2 replies") == 20 and "Giulia Replier (Italy)" in html
    with count_queries() as counter:
        client.get(f"/live/forums/{forum.id}?language=fr&subject=biology",
                   headers=hx("search-results"))
    assert counter.count <= 7, counter.count
