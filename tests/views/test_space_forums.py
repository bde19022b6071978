"""T-10: the forums of a space — forums with their numbers and latest message, the latest and
my own messages, discussions, replies (plain POST and htmx), editing, deleting, teachers
hiding messages; who may do what (guests read only); nothing of another space or of the
partner forums of Live reachable; clean HTML; bounded queries."""
import re

import pytest
from playhouse.test_utils import count_queries

from models import Discussion, Forum, Post
from services import forums as forum_service
from services import permissions, spaces
from tests.conftest import hx, log_out
from tests.factories import make_space
from tests.payloads import XSS


def make_forum(space, author, title="River talk"):
    return forum_service.create_space_forum(space, author, title=title, description="About")


def make_discussion(forum, author, title="Where to walk?", body="First", replies=()):
    discussion = forum_service.start_space_discussion(forum, author, title=title, body=body)
    for person, text in replies:
        forum_service.add_space_reply(discussion, person, text)
    return discussion


def posts_of(discussion):
    return list(Post.select().where(Post.discussion == discussion).order_by(Post.id))


# --- Forums, discussions, replies ------------------------------------------------------------

def test_teacher_adds_a_forum_and_a_pupil_starts_a_discussion(client, login, cast, space_url):
    space = cast["space"]
    login(cast["teacher"])
    html = client.get(space_url(space, "forums")).get_data(as_text=True)
    assert "This space has no forum yet." in html and "Add a forum" in html
    assert 'aria-current="page">Forums<' in html  # the space nav marks the area
    response = client.post(space_url(space, "forum_new"), data={
        "title": "Our river", "description": "Plans and ideas"})
    assert response.status_code == 303
    forum = Forum.get(Forum.title == "Our river")
    assert forum.space_id == space.id and forum.category is None
    assert forum.created_by_id == cast["teacher"].id
    assert response.headers["Location"].endswith(space_url(space, "forum", forum_id=forum.id))

    login(cast["pupil"])
    html = client.get(space_url(space, "forum", forum_id=forum.id)).get_data(as_text=True)
    assert "Start a discussion" in html and "No discussion yet." in html
    response = client.post(space_url(space, "discussion_new", forum_id=forum.id), data={
        "title": "Fish we saw", "body": "Two trout\n\nand a frog"})
    assert response.status_code == 303
    discussion = Discussion.get(Discussion.title == "Fish we saw")
    first = posts_of(discussion)[0]
    assert first.is_html and first.body == "<p>Two trout</p><p>and a frog</p>"
    assert first.author_id == cast["pupil"].id
    thread = space_url(space, "discussion", discussion_id=discussion.id)
    html = client.get(thread).get_data(as_text=True)
    assert "<p>Two trout</p>" in html and "hx-disable" in html
    assert 'aria-current="page">Forums<' in html
    assert "js/richtext.js" in html and "data-richtext" in html  # the reply box's editor


def test_forum_list_counts_and_latest_visible_message(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    empty = make_forum(space, teacher, "Quiet corner")
    first = make_discussion(forum, teacher, "Walk", replies=[(pupil, "Yes!")])
    second = make_discussion(forum, pupil, "Birds", replies=[(cast["pupil2"], "Herons")])
    login(teacher)
    html = client.get(space_url(space, "forums")).get_data(as_text=True)
    part = html.split("River talk")[1].split("Quiet corner")[0]
    assert "2 discussions" in part and "4 messages" in part
    latest = posts_of(second)[-1]
    assert space_url(space, "forum_post", post_id=latest.id) in part and ">Birds</a>" in part
    assert cast["pupil2"].name in part
    assert "0 discussions" in html.split("Quiet corner")[1] and "No message yet." in html
    # A hidden message counts nowhere: neither as latest nor in the numbers.
    forum_service.set_post_hidden(latest, True)
    html = client.get(space_url(space, "forums")).get_data(as_text=True)
    part = html.split("River talk")[1].split("Quiet corner")[0]
    assert "3 messages" in part
    assert space_url(space, "forum_post", post_id=latest.id) not in part
    assert space_url(space, "forum_post", post_id=posts_of(second)[0].id) in part
    assert empty.id and first.id


def test_forum_page_lists_discussions_latest_activity_first(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    old = make_discussion(forum, teacher, "Old one")
    new = make_discussion(forum, pupil, "New one")
    forum_service.add_space_reply(old, pupil, "Bumped")
    login(pupil)
    html = client.get(space_url(space, "forum", forum_id=forum.id)).get_data(as_text=True)
    assert html.index("Old one") < html.index("New one")
    assert "2 messages" in html and "1 message" in html and "Started by" in html
    for n in range(21):
        make_discussion(forum, teacher, f"Topic {n}")
    html = client.get(space_url(space, "forum", forum_id=forum.id)).get_data(as_text=True)
    assert "Page 1 of 2" in html and "Topic 20" in html and "Old one" not in html
    html = client.get(space_url(space, "forum", forum_id=forum.id, page=2)).get_data(as_text=True)
    assert "Old one" in html and "New one" in html
    assert new.id


def test_reply_without_js_goes_to_its_anchor_on_the_last_page(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher, replies=[(pupil, f"R{n}") for n in range(19)])
    login(pupil)
    before = Discussion.get_by_id(discussion.id).last_post_at
    thread = space_url(space, "discussion", discussion_id=discussion.id)
    response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                           data={"body": "Number <b>twenty-one</b>"})
    assert response.status_code == 303
    post = posts_of(discussion)[-1]
    assert post.body == "<p>Number <b>twenty-one</b></p>" and post.is_html
    assert response.headers["Location"].endswith(space_url(
        space, "discussion", discussion_id=discussion.id, page=2, _anchor=f"post-{post.id}"))
    assert Discussion.get_by_id(discussion.id).last_post_at >= before
    html = client.get(space_url(space, "discussion", discussion_id=discussion.id,
                                page=2)).get_data(as_text=True)
    assert "Your reply is posted." in html and f'id="post-{post.id}"' in html
    assert "Page 2 of 2" in html and "21 messages" in html
    html = client.get(thread).get_data(as_text=True)
    assert "R18" in html and "twenty-one" not in html  # 20 a page
    assert client.get(space_url(space, "forum_post", post_id=post.id)).headers[
        "Location"].endswith(f"?page=2#post-{post.id}")


def test_reply_with_htmx_appends_the_post_and_clears_the_form(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher)
    first = posts_of(discussion)[0]
    login(pupil)
    page = client.get(space_url(space, "discussion",
                                discussion_id=discussion.id)).get_data(as_text=True)
    assert 'hx-post="' in page and 'hx-target="#reply-box"' in page
    assert f'name="after" type="hidden" value="{first.id}"' in page
    # Somebody else replies meanwhile: it is appended too, before mine.
    meanwhile = forum_service.add_space_reply(discussion, cast["pupil2"], "Meanwhile")
    response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                           data={"body": "Mine", "after": str(first.id), "page": "1"},
                           headers=hx("reply-box"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    mine = posts_of(discussion)[-1]
    assert html.lstrip().startswith('<div id="reply-box"')
    assert "<html" not in html and "<h1" not in html  # a fragment
    assert 'data-announce="Your reply is posted."' in html
    assert 'hx-swap-oob="beforeend:#posts"' in html
    oob = html.split('hx-swap-oob="beforeend:#posts"')[1]
    assert oob.index(f'id="post-{meanwhile.id}"') < oob.index(f'id="post-{mine.id}"')
    assert f'id="post-{first.id}"' not in html
    assert '<h2 id="posts-title" hx-swap-oob="true">3 messages</h2>' in html
    form = html.split('hx-swap-oob')[0]
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*</textarea>', form)  # cleared
    assert f'name="after" type="hidden" value="{mine.id}"' in form


def test_htmx_reply_landing_on_another_page_redirects(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher, replies=[(pupil, f"R{n}") for n in range(19)])
    login(pupil)
    last = posts_of(discussion)[-1]
    response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                           data={"body": "Overflow", "after": str(last.id), "page": "1"},
                           headers=hx("reply-box"))
    post = posts_of(discussion)[-1]
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"?page=2#post-{post.id}")


@pytest.mark.parametrize("body, message", [("   ", "Write your reply"),
                                           ("<p></p>", "Write your reply"),
                                           ("x" * 10_001, "at most 10,000 characters")])
def test_a_blank_or_long_reply_is_refused_and_kept(client, login, cast, body, message, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    discussion = make_discussion(forum, cast["teacher"])
    login(cast["pupil"])
    for headers in ({}, hx("reply-box")):
        response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                               data={"body": body}, headers=headers)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html and 'id="body-error"' in html and 'aria-invalid="true"' in html
        if body.strip():
            assert body in html.replace("&lt;", "<").replace("&gt;", ">")
        if headers:
            assert "<h1" not in html and 'id="reply-box"' in html
        else:
            assert "<title>Error:" in html
    assert len(posts_of(discussion)) == 1
    response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                           data={"body": "x" * 10_000})
    assert response.status_code == 303 and len(posts_of(discussion)) == 2


def test_new_discussion_and_forum_refusals_keep_the_input(client, login, cast, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    login(cast["teacher"])
    response = client.post(space_url(space, "forum_new"), data={"title": "", "description": "Kept"})
    assert response.status_code == 422 and "Kept" in response.get_data(as_text=True)
    response = client.post(space_url(space, "discussion_new",
                                     forum_id=forum.id), data={"title": "", "body": "Kept"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kept" in html and "Enter a title" in html
    response = client.post(space_url(space, "discussion_new",
                                     forum_id=forum.id), data={"title": "T", "body": ""})
    assert response.status_code == 422 and "Write the first message" in response.get_data(
        as_text=True)
    assert Discussion.select().count() == 0 and Forum.select().count() == 1


# --- Latest and my messages ---------------------------------------------------------------

def test_most_recent_and_my_latest_messages(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher, "Walk", body="Teacher opens",
                                 replies=[(pupil, "Pupil says hi"), (cast["pupil2"], "Hidden")])
    hidden = posts_of(discussion)[-1]
    forum_service.set_post_hidden(hidden, True)
    elsewhere = make_space(teacher, space.kind, title="Elsewhere")
    make_discussion(make_forum(elsewhere, teacher, "Far"), teacher, "Far away", body="Far post")
    login(pupil)
    html = client.get(space_url(space, "forums_recent")).get_data(as_text=True)
    assert html.index("Pupil says hi") < html.index("Teacher opens")
    assert "Hidden" not in html.split("<main")[1].replace("Hidden by a teacher", "")
    assert "Far post" not in html and 'aria-current="page">Most recent messages' in html
    html = client.get(space_url(space, "forums_mine")).get_data(as_text=True)
    assert "Pupil says hi" in html and "Teacher opens" not in html
    login(cast["pupil2"])
    html = client.get(space_url(space, "forums_mine")).get_data(as_text=True)
    assert "Hidden by a teacher" in html and ">Hidden<" not in html
    for n in range(25):
        forum_service.add_space_reply(discussion, pupil, f"Many {n}")
    login(pupil)
    html = client.get(space_url(space, "forums_mine", page=2)).get_data(as_text=True)
    assert "Page 2 of 2" in html and "Pupil says hi" in html and "Many 24" not in html


# --- Editing, deleting, hiding -------------------------------------------------------------

def test_author_edits_a_post_which_then_shows_edited(client, login, cast, space_url):
    space, pupil = cast["space"], cast["pupil"]
    forum = make_forum(space, cast["teacher"])
    discussion = make_discussion(forum, cast["teacher"], replies=[(pupil, "Typo hre")])
    post = posts_of(discussion)[-1]
    login(pupil)
    html = client.get(space_url(space, "forum_post_edit", post_id=post.id)).get_data(as_text=True)
    assert "<p>Typo hre</p>" in html.replace("&lt;", "<").replace("&gt;", ">")
    response = client.post(space_url(space, "forum_post_edit",
                                     post_id=post.id), data={"body": "Typo here"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#post-{post.id}")
    post = Post.get_by_id(post.id)
    assert post.body == "<p>Typo here</p>" and post.edited_at is not None
    html = client.get(space_url(space, "discussion",
                                discussion_id=discussion.id)).get_data(as_text=True)
    assert ">edited<" in html
    response = client.post(space_url(space, "forum_post_edit", post_id=post.id), data={"body": ""})
    assert response.status_code == 422 and Post.get_by_id(post.id).body == "<p>Typo here</p>"


def test_deleting_a_reply_and_a_first_post(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, pupil, "Mine", replies=[(pupil, "Reply")])
    first, reply = posts_of(discussion)
    login(pupil)
    html = client.get(space_url(space, "forum_post_delete",
                                post_id=reply.id)).get_data(as_text=True)
    assert "Delete your message?" in html and "Yes, delete my message" in html
    assert client.post(space_url(space, "forum_post_delete", post_id=reply.id), data={},
                       csrf=False).status_code == 400
    response = client.post(space_url(space, "forum_post_delete", post_id=reply.id))
    assert response.status_code == 303 and Post.get_or_none(Post.id == reply.id) is None
    # The first post of a discussion with replies: refused, edit instead.
    forum_service.add_space_reply(discussion, teacher, "Teacher reply")
    html = client.get(space_url(space, "forum_post_delete",
                                post_id=first.id)).get_data(as_text=True)
    assert "The discussion has replies" in html and "Yes, delete" not in html
    assert client.post(space_url(space, "forum_post_delete", post_id=first.id)).status_code == 409
    assert Discussion.get_or_none(Discussion.id == discussion.id) is not None
    # Without replies: the confirmation says the discussion goes too.
    lonely = make_discussion(forum, pupil, "Lonely")
    only = posts_of(lonely)[0]
    html = client.get(space_url(space, "forum_post_delete", post_id=only.id)).get_data(as_text=True)
    assert "deletes the whole discussion “Lonely”" in html
    response = client.post(space_url(space, "forum_post_delete", post_id=only.id))
    assert response.status_code == 303 and response.headers["Location"].endswith(
        space_url(space, "forum", forum_id=forum.id))
    assert Discussion.get_or_none(Discussion.id == lonely.id) is None
    assert Post.get_or_none(Post.id == only.id) is None


def test_teacher_hides_and_shows_a_post(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher, replies=[(pupil, "Rude words")])
    post = posts_of(discussion)[-1]
    login(cast["other"])  # any teacher of the space moderates
    response = client.post(space_url(space, "forum_post_hide",
                                     post_id=post.id), data={"hidden": "1"})
    assert response.status_code == 303 and Post.get_by_id(post.id).hidden
    html = client.get(space_url(space, "discussion",
                                discussion_id=discussion.id)).get_data(as_text=True)
    assert "Hidden by a teacher" in html and "Rude words" in html and "Show again" in html
    for user in (pupil, cast["pupil2"], cast["guest"]):
        login(user)
        html = client.get(space_url(space, "discussion",
                                    discussion_id=discussion.id)).get_data(as_text=True)
        assert "Hidden by a teacher" in html and "Rude words" not in html
        assert "Show again" not in html and ">Hide<" not in html
    # Its author can neither edit nor delete it any more.
    login(pupil)
    assert client.get(space_url(space, "forum_post_edit", post_id=post.id)).status_code == 404
    assert client.post(space_url(space, "forum_post_delete", post_id=post.id)).status_code == 404
    login(teacher)
    assert client.post(space_url(space, "forum_post_hide", post_id=post.id), data={"hidden": "x"}
                       ).status_code == 400
    assert client.post(space_url(space, "forum_post_hide", post_id=post.id), data={"hidden": "0"},
                       csrf=False).status_code == 400
    client.post(space_url(space, "forum_post_hide", post_id=post.id), data={"hidden": "0"})
    assert not Post.get_by_id(post.id).hidden


# --- Who may do what -------------------------------------------------------------------------

def test_the_rules(cast):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    post = posts_of(make_discussion(forum, cast["pupil"]))[0]
    member = {u: spaces.membership(space, cast[u]) for u in
              ("teacher", "other", "pupil", "pupil2", "guest")}
    assert all(permissions.can_read_space_forums(cast[u], space, m) for u, m in member.items())
    assert not permissions.can_read_space_forums(cast["outsider"], space, None)
    may_post = {u for u, m in member.items()
                if permissions.can_post_in_space_forums(cast[u], space, m)}
    assert may_post == {"teacher", "other", "pupil", "pupil2"}  # guests read only
    assert {u for u, m in member.items()
            if permissions.can_moderate_space_forums(cast[u], space, m)} == {"teacher", "other"}
    assert {u for u, m in member.items()
            if permissions.can_add_space_forum(cast[u], space, m)} == {"teacher", "other"}
    assert {u for u, m in member.items()
            if permissions.can_change_space_post(cast[u], space, m, post)} == {"pupil"}


def test_guests_read_but_never_write(client, login, cast, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    discussion = make_discussion(forum, cast["teacher"], body="Hello guests")
    login(cast["guest"])
    html = client.get(space_url(space, "forum", forum_id=forum.id)).get_data(as_text=True)
    assert "Start a discussion" not in html and "Guests read the forums" in html
    html = client.get(space_url(space, "discussion",
                                discussion_id=discussion.id)).get_data(as_text=True)
    assert "Hello guests" in html and "Post the reply" not in html
    assert "Guests read the forums" in html
    assert client.get(space_url(space, "discussion_new", forum_id=forum.id)).status_code == 404
    assert client.post(space_url(space, "discussion_new",
                                 forum_id=forum.id), data={"title": "T", "body": "B"}
                       ).status_code == 404
    assert client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                       data={"body": "Hi"}).status_code == 404
    assert client.get(space_url(space, "forum_new")).status_code == 404
    assert len(posts_of(discussion)) == 1 and Discussion.select().count() == 1


def test_pupils_cannot_touch_others_posts_or_moderate(client, login, cast, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    discussion = make_discussion(forum, cast["teacher"], replies=[(cast["pupil2"], "Theirs")])
    first, theirs = posts_of(discussion)
    login(cast["pupil"])
    html = client.get(space_url(space, "discussion",
                                discussion_id=discussion.id)).get_data(as_text=True)
    assert ">Edit<" not in html and ">Delete<" not in html and ">Hide<" not in html
    for post in (first, theirs):
        assert client.get(space_url(space, "forum_post_edit", post_id=post.id)).status_code == 404
        assert client.post(space_url(space, "forum_post_edit", post_id=post.id), data={"body": "x"}
                           ).status_code == 404
        assert client.get(space_url(space, "forum_post_delete", post_id=post.id)).status_code == 404
        assert client.post(space_url(space, "forum_post_delete",
                                     post_id=post.id)).status_code == 404
        assert client.post(space_url(space, "forum_post_hide",
                                     post_id=post.id), data={"hidden": "1"}
                           ).status_code == 404
    assert client.get(space_url(space, "forum_new")).status_code == 404
    assert client.post(space_url(space, "forum_new"), data={"title": "Mine"}).status_code == 404
    assert [p.body for p in posts_of(discussion)] == ["<p>First</p>", "<p>Theirs</p>"]
    assert not any(p.hidden for p in posts_of(discussion)) and Forum.select().count() == 1
    # A teacher cannot edit a pupil's words either: only hide them.
    login(cast["teacher"])
    assert client.get(space_url(space, "forum_post_edit", post_id=theirs.id)).status_code == 404


def test_csrf_is_required_on_every_post(client, login, cast, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    discussion = make_discussion(forum, cast["teacher"])
    post = posts_of(discussion)[0]
    login(cast["teacher"])
    for path, data in ((space_url(space, "forum_new"), {"title": "T"}),
                       (space_url(space, "discussion_new",
                                  forum_id=forum.id), {"title": "T", "body": "B"}),
                       (space_url(space, "discussion_reply",
                                  discussion_id=discussion.id), {"body": "B"}),
                       (space_url(space, "forum_post_edit", post_id=post.id), {"body": "B"}),
                       (space_url(space, "forum_post_delete", post_id=post.id), {}),
                       (space_url(space, "forum_post_hide", post_id=post.id), {"hidden": "1"})):
        assert client.post(path, data=data, csrf=False).status_code == 400, path
    assert Forum.select().count() == 1 and len(posts_of(discussion)) == 1
    assert posts_of(discussion)[0].body == "<p>First</p>" and not posts_of(discussion)[0].hidden


def test_outsiders_and_other_spaces_ids_are_404(client, login, cast, space_url):
    space, teacher = cast["space"], cast["teacher"]
    forum = make_forum(space, teacher)
    discussion = make_discussion(forum, teacher)
    post = posts_of(discussion)[0]
    elsewhere = make_space(teacher, space.kind, title="Elsewhere")
    far_forum = make_forum(elsewhere, teacher, "Far")
    far_discussion = make_discussion(far_forum, teacher, "Far away")
    far_post = posts_of(far_discussion)[0]
    # The partner forums of Live (no space) share the tables: never reachable from a space.
    partner = forum_service.ensure_partner_forums()[0]
    partner_discussion = forum_service.start_discussion(partner, teacher, title="Partners",
                                                        body="Plain", languages=["en"])
    partner_post = posts_of(partner_discussion)[0]
    login(teacher)  # a teacher of both spaces
    for f in (far_forum, partner):
        assert client.get(space_url(space, "forum", forum_id=f.id)).status_code == 404
        assert client.get(space_url(space, "discussion_new", forum_id=f.id)).status_code == 404
        assert client.post(space_url(space, "discussion_new",
                                     forum_id=f.id), data={"title": "T", "body": "B"}
                           ).status_code == 404
    for d in (far_discussion, partner_discussion):
        assert client.get(space_url(space, "discussion", discussion_id=d.id)).status_code == 404
        assert client.post(space_url(space, "discussion_reply",
                                     discussion_id=d.id), data={"body": "B"},
                           headers=hx("reply-box")).status_code == 404
    for p in (far_post, partner_post):
        assert client.get(space_url(space, "forum_post", post_id=p.id)).status_code == 404
        assert client.get(space_url(space, "forum_post_edit", post_id=p.id)).status_code == 404
        assert client.post(space_url(space, "forum_post_edit", post_id=p.id), data={"body": "B"}
                           ).status_code == 404
        assert client.post(space_url(space, "forum_post_delete", post_id=p.id)).status_code == 404
        assert client.post(space_url(space, "forum_post_hide", post_id=p.id), data={"hidden": "1"}
                           ).status_code == 404
    for guess in (10_000, 0):
        assert client.get(space_url(space, "forum", forum_id=guess)).status_code == 404
        assert client.get(space_url(space, "discussion", discussion_id=guess)).status_code == 404
        assert client.get(space_url(space, "forum_post_edit", post_id=guess)).status_code == 404
    assert Discussion.select().count() == 3 and Post.select().count() == 3
    # The partner post is untouched (rich text since issue 14, as it was written).
    assert posts_of(partner_discussion)[0].body == partner_post.body == "<p>Plain</p>"
    # Somebody who is not a member: every page and every action is 404.
    login(cast["outsider"])
    for endpoint, values in (("forums", {}), ("forums_recent", {}), ("forums_mine", {}),
                             ("forum_new", {}), ("forum", {"forum_id": forum.id}),
                             ("discussion_new", {"forum_id": forum.id}),
                             ("discussion", {"discussion_id": discussion.id}),
                             ("forum_post", {"post_id": post.id}),
                             ("forum_post_edit", {"post_id": post.id}),
                             ("forum_post_delete", {"post_id": post.id})):
        address = space_url(space, endpoint, **values)
        assert client.get(address).status_code == 404, address
    assert client.post(space_url(space, "discussion_reply",
                                 discussion_id=discussion.id), data={"body": "B"},
                       headers=hx("reply-box")).status_code == 404
    assert client.post(space_url(space, "forum_post_hide", post_id=post.id), data={"hidden": "1"}
                       ).status_code == 404
    log_out(client)
    assert client.get(space_url(space, "forums")).status_code == 303  # log in first
    assert len(posts_of(discussion)) == 1


@pytest.mark.parametrize("payload", XSS)
def test_post_html_is_cleaned(client, login, cast, payload, space_url):
    space = cast["space"]
    forum = make_forum(space, cast["teacher"])
    login(cast["pupil"])
    client.post(space_url(space, "discussion_new", forum_id=forum.id), data={
        "title": "<b>T</b>", "body": payload + " words"})
    discussion = Discussion.get()
    reply = space_url(space, "discussion_reply", discussion_id=discussion.id)
    client.post(reply, data={"body": payload})
    client.post(reply, data={"body": "ok"})
    edited = posts_of(discussion)[-1]
    client.post(space_url(space, "forum_post_edit", post_id=edited.id),
                data={"body": payload + " again"})
    bad = ("<script", "onerror", "javascript:", "<iframe", "style=", "hx-get", "<svg", "onload")
    for post in posts_of(discussion):
        for text in bad:
            assert text not in post.body.lower(), (payload, post.body)
    pages = [client.get(space_url(space, endpoint, **values)) for endpoint, values in (
        ("discussion", {"discussion_id": discussion.id}), ("forums_recent", {}),
        ("forums_mine", {}), ("forum", {"forum_id": forum.id}), ("forums", {}))]
    for response in pages:
        html = response.get_data(as_text=True).lower()
        main = html.split("<main")[1].split("</main>")[0]
        main = re.sub(r'<script src="/static/js/[a-z]+\.js\?v=\w+" defer></script>', "", main)
        for text in bad:
            assert text not in main, (payload, text, response.request.path)
    assert "&lt;b&gt;t&lt;/b&gt;" in pages[0].get_data(as_text=True).lower()


# --- Query budgets -------------------------------------------------------------------------

def _queries(client, path):
    client.get(path)
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_query_budget_does_not_grow_with_forums_or_posts(client, login, cast, space_url):
    space, teacher, pupil = cast["space"], cast["teacher"], cast["pupil"]
    login(teacher)

    def fill(n):
        for f in range(n):
            forum = make_forum(space, teacher, f"Forum {n}-{f}")
            for d in range(2):
                make_discussion(forum, pupil, f"D {n}-{f}-{d}",
                                replies=[(teacher if r % 2 else pupil, f"r{r}")
                                         for r in range(n)])
        return forum, Discussion.select().order_by(Discussion.id.desc()).first()

    def budget(forum, discussion):
        return [_queries(client, space_url(space, endpoint, **values)) for endpoint, values in (
            ("forums", {}), ("forum", {"forum_id": forum.id}),
            ("discussion", {"discussion_id": discussion.id}), ("forums_recent", {}))]

    small = budget(*fill(3))
    forum, discussion = fill(15)
    every_third = [p.id for p in Post.select(Post.id).order_by(Post.id)][::3]
    Post.update(hidden=True).where(Post.id.in_(every_third)).execute()
    big = budget(forum, discussion)
    assert big == small, (small, big)
    assert max(big) <= 12, big


# --- Demo data -------------------------------------------------------------------------------

def test_seed_space_forums_makes_a_friendly_discussion(cast):
    people = [cast["teacher"], cast["pupil"], cast["pupil2"]]
    forum = forum_service.seed_space_forums(cast["space"], people)
    assert forum.space_id == cast["space"].id and forum.title == "Our river project"
    discussion = Discussion.get(Discussion.forum == forum)
    posts = posts_of(discussion)
    assert len(posts) == 4 and all(p.is_html and "river" in " ".join(
        q.body for q in posts).lower() for p in posts)
    assert {p.author_id for p in posts} == {u.id for u in people}
    assert forum_service.seed_space_forums(cast["space"], [cast["teacher"]]).id != forum.id


def test_a_reply_tells_the_others_who_wrote_in_the_discussion(client, login, cast, space_url):
    """Everybody else who wrote in the discussion and is still a member is notified, grouped
    per discussion; the one who replies and former members are not."""
    from models import Membership, Notification
    space, teacher, pupil, pupil2 = cast["space"], cast["teacher"], cast["pupil"], cast["pupil2"]
    discussion = make_discussion(make_forum(space, teacher), teacher,
                                 replies=[(pupil2, "I was here")])
    Membership.delete().where(Membership.user == pupil2.id).execute()  # pupil2 has left
    login(pupil)
    for text in ("Me too", "And again"):
        response = client.post(space_url(space, "discussion_reply", discussion_id=discussion.id),
                               data={"body": text})
        assert response.status_code == 303
    notes = list(Notification.select().where(Notification.kind == "space_forum_reply"))
    assert [n.recipient_id for n in notes] == [teacher.id]
    assert notes[0].count == 2 and "2 new replies in “Where to walk?”" in notes[0].text
    link = notes[0].link
    assert link in {space_url(space, "forum_post", post_id=p.id) for p in posts_of(discussion)}
    login(teacher)
    assert client.get(link).status_code == 303
