"""Migration 0020 (issue 14): the plain texts of mail, partner-forum posts and profiles become
the HTML the write path stores now, in batches, on the test's database (SQLite, or PostgreSQL
on that pass); down gives the plain texts back."""
import importlib

import pytest

from models import BulletinPost, Discussion, Forum, MailMessage, MailThread, Post, User, db
from services import forums
from services.sanitize import text_or_html, text_to_html
from tests.factories import make_space, make_user

migration = importlib.import_module("migrations.0020_rich_text_mail_forums_profiles")

MAIL = "Hello <b>Ana</b> & co,\r\nsee https://example.org/a?b=1&c=2\r\n\r\nBye <3"


@pytest.fixture
def old_rows(app):
    """Rows as they were stored before issue 14 (plain text, is_html false)."""
    with app.app_context():
        ana = make_user(name="Ana")
        ana.offer, ana.space_about = "Field trips.\n\nAnd https://example.org", "I <3 maps"
        ana.save()
        ben = make_user(name="Ben")  # empty profile texts stay empty
        thread = MailThread.create(subject="s")
        mails = [MailMessage.create(thread=thread, sender=ana, body=f"{MAIL} {n}").id
                 for n in range(5)]
        partner = forums.ensure_partner_forums()[0]
        search = Discussion.create(forum=partner, author=ana, title="t")
        plain_posts = [Post.create(discussion=search, author=ana, body=f"Post <i>{n}</i>").id
                       for n in range(3)]
        space_forum = Forum.create(space=make_space(ana), title="f")
        old_space_post = Post.create(discussion=Discussion.create(forum=space_forum, title="d"),
                                     body="An old one\nwith two lines").id
        rich = Post.create(discussion=search, author=ana, body="<p><b>kept</b></p>",
                           is_html=True).id
        bulletin = BulletinPost.create(space=space_forum.space, author=ana,
                                       body="Meeting <b>Monday</b>\nin room 3").id
        return {"ana": ana.id, "ben": ben.id, "mails": mails, "plain_posts": plain_posts,
                "old_space_post": old_space_post, "rich": rich, "bulletin": bulletin}


def test_up_converts_every_plain_text_in_batches_and_down_gives_them_back(
        app, old_rows, monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches of each table
    with app.app_context():
        with db.atomic():
            migration.up(None, db.obj)
        for n, message_id in enumerate(old_rows["mails"]):
            body = MailMessage.get_by_id(message_id).body
            assert body == text_to_html(f"{MAIL} {n}")
            assert body.startswith("<p>Hello &lt;b&gt;Ana&lt;/b&gt; &amp; co,<br>see "
                                   '<a href="https://example.org/a?b=1&amp;c=2">')
            assert body.endswith(f"<p>Bye &lt;3 {n}</p>")
        for n, post_id in enumerate(old_rows["plain_posts"]):
            post = Post.get_by_id(post_id)
            assert (post.body, post.is_html) == (f"<p>Post &lt;i&gt;{n}&lt;/i&gt;</p>", True)
        old_space_post = Post.get_by_id(old_rows["old_space_post"])
        assert old_space_post.is_html
        assert old_space_post.body == "<p>An old one<br>with two lines</p>"
        assert Post.get_by_id(old_rows["rich"]).body == "<p><b>kept</b></p>"  # untouched
        ana, ben = User.get_by_id(old_rows["ana"]), User.get_by_id(old_rows["ben"])
        assert ana.offer == ('<p>Field trips.</p><p>And <a href="https://example.org">'
                             'https://example.org</a></p>')
        assert ana.space_about == "<p>I &lt;3 maps</p>"
        assert (ben.offer, ben.space_about) == ("", "")
        assert BulletinPost.get_by_id(old_rows["bulletin"]).body == (
            "<p>Meeting &lt;b&gt;Monday&lt;/b&gt;<br>in room 3</p>")
        # The same HTML the write path stores for the same typed text.
        assert ana.offer == text_or_html("Field trips.\n\nAnd https://example.org")

        with db.atomic():
            migration.down(None, db.obj)
        assert MailMessage.get_by_id(old_rows["mails"][1]).body == (
            "Hello <b>Ana</b> & co,\nsee https://example.org/a?b=1&c=2\n\nBye <3 1")
        post = Post.get_by_id(old_rows["plain_posts"][2])
        assert (post.body, post.is_html) == ("Post <i>2</i>", False)
        # A space-forum post stays HTML (its pages show both formats); every partner-forum
        # post is plain text again, as the code before issue 14 shows them.
        assert Post.get_by_id(old_rows["old_space_post"]).is_html
        rich = Post.get_by_id(old_rows["rich"])
        assert (rich.body, rich.is_html) == ("kept", False)
        assert BulletinPost.get_by_id(old_rows["bulletin"]).body == (
            "Meeting <b>Monday</b>\nin room 3")
        ana = User.get_by_id(old_rows["ana"])
        assert (ana.offer, ana.space_about) == (
            "Field trips.\n\nAnd https://example.org", "I <3 maps")


@pytest.mark.parametrize("text", [
    "", "one line", "a\n\n\n  b\nc", "<script>alert(1)</script>", "x < y & z > w",
    "https://example.org/x_(y) and http://localhost:5000/a", "ünïcödé — “quotes”",
])
def test_the_conversion_is_the_write_paths_and_clean(text):
    html = migration.to_html(text)
    assert html == text_to_html(text)
    assert text_or_html(html) == html  # stored HTML is stable when it is cleaned again
    assert "<script" not in html
