"""Rich text (issue 14) in the fields that were plain text: Live mail and a space's mail
(compose and reply, and a teacher's message to all members), partner-forum posts (a partner
search and a reply), and the profile texts ("What I can offer" in Live, "About me" in spaces).

For each field, through its form: the editor's HTML is stored cleaned (formatting kept,
scripts and event handlers gone) and shown in the hx-disable prose box; plain text (typed
with JavaScript off) becomes paragraphs with its web addresses as links; the limit counts the
text a reader sees, not the markup; an over-long text, or a required one that is empty once
cleaned, comes back (422) with the message next to the field and what was typed kept. The
e-mails the writing sends (notifications) hold no tags."""
import html
from types import SimpleNamespace

import pytest

from models import (Contact, ContactState, MailMessage, NotificationPreference,
                    OutboxMail, Post, SpaceRole, User)
from services import forums, mailbox, spaces
from tests.factories import make_group, make_school, make_space, make_user, reload
from tests.views.test_forums import forum_of, search_data
from tests.views.test_profile import form_data

FIELDS = ["live_mail", "live_reply", "space_mail", "space_reply", "members_message",
          "partner_search", "partner_reply", "offer", "space_about"]

RICH = ('<h2>Plan</h2><p><b>Bold</b> and <i>italic</i> <a href="https://example.org/x" '
        'onclick="alert(1)">a link</a></p><ul><li>one</li></ul><blockquote><p>q</p>'
        '</blockquote><script>alert(2)</script><img src=x onerror="alert(3)">'
        '<table><tbody><tr><td>cell</td></tr></tbody></table>')
RICH_KEPT = ('<h2>Plan</h2><p><b>Bold</b> and <i>italic</i> <a href="https://example.org/x">'
             'a link</a></p><ul><li>one</li></ul><blockquote><p>q</p></blockquote>')
PLAIN = "Hello 1 < 2 & co\r\nsee https://example.org/a?b=1&c=2\r\n\r\nBye"
PLAIN_STORED = ('<p>Hello 1 &lt; 2 &amp; co<br>see <a href="https://example.org/a?b=1&amp;c=2">'
                'https://example.org/a?b=1&amp;c=2</a></p><p>Bye</p>')


def _instant(user, kind):
    NotificationPreference.create(user=user, kind=kind, mode="instant")


@pytest.fixture
def field(request, client, login, url, space_url):
    """One rich-text field: `post(body)` sends its form, `stored()` reads the value of the
    last write, `page()` is where it is shown, `limit` and its messages; `mailed` the
    address a notification of the write goes to (or None)."""
    name = request.param
    teacher = make_user(name="Tina Teacher", email="tina@example.org", country="FR",
                        school=make_school("FR"))
    other = make_user(name="Otto Other", email="otto@example.org", country="IT",
                      school=make_school("IT"))
    Contact.create(requester=teacher, addressee=other, state=ContactState.ACCEPTED)
    space = make_space(teacher)
    pupil = make_user("student", name="Pia Pupil", email="pia@example.org")
    spaces.join(space, pupil, SpaceRole.STUDENT)
    for person, kind in ((other, "message"), (pupil, "message"), (teacher, "forum_reply")):
        _instant(person, kind)
    f = SimpleNamespace(name=name, optional=False, mailed=None)

    def last_mail():
        return MailMessage.select().order_by(MailMessage.id.desc()).first()

    if name in ("live_mail", "live_reply", "space_mail", "space_reply", "members_message"):
        f.limit, f.too_long = 10000, "at most 10,000 characters"
        f.stored = lambda: (last_mail().body if last_mail() else None)
        f.count = lambda: MailMessage.select().count()
        f.mailed = "pia@example.org" if name.startswith(("space", "members")) else \
            "otto@example.org"
        to = pupil if f.mailed == "pia@example.org" else other
        if name == "live_mail":
            f.empty = "Write your message"
            f.post = lambda body: client.post(url("live.mail_new"), data={
                "recipients": [str(other.id)], "subject": "Hi", "body": body})
        elif name == "space_mail":
            f.empty = "Write your message"
            f.post = lambda body: client.post(space_url(space, "mail_new"), data={
                "recipients": [str(pupil.id)], "subject": "Hi", "body": body})
        elif name == "members_message":
            f.empty = "Write your message"
            f.post = lambda body: client.post(space_url(space, "members_message"), data={
                "subject": "Hi", "body": body})
        else:
            f.empty = "Write your reply"
            with client.application.test_request_context():
                thread = mailbox.compose(to, "Hi", "Start", [teacher], client.application.config,
                                         space=space if name == "space_reply" else None)
            endpoint = (space_url(space, "mail_reply", thread_id=thread.id)
                        if name == "space_reply" else url("live.mail_reply", thread_id=thread.id))
            f.post = lambda body: client.post(endpoint, data={"body": body})
        f.page = lambda: (space_url(space, "mail_thread", thread_id=last_mail().thread_id)
                          if name.startswith(("space", "members"))
                          else url("live.mail_thread", thread_id=last_mail().thread_id))
        f.viewer = to
    elif name in ("partner_search", "partner_reply"):
        f.limit = 5000
        forum = forum_of("age:12-15")

        def last_post():
            return Post.select().order_by(Post.id.desc()).first()
        f.stored = lambda: (last_post().body if last_post() else None)
        f.count = lambda: Post.select().count()
        if name == "partner_search":
            f.too_long, f.empty = "Shorten what you propose to at most 5000", "Say what you propose"
            f.post = lambda body: client.post(f"/live/forums/{forum.id}/new",
                                              data=search_data(body=body))
        else:
            f.too_long, f.empty = "Shorten your reply to at most 5000", "Write your reply"
            search = forums.start_discussion(forum, teacher, title="Pen pals", body="Hi",
                                             languages=["en"], age_range="12-15")
            f.post = lambda body: client.post(
                f"/live/forums/discussions/{search.id}/reply", data={"body": body})
            f.mailed = "tina@example.org"
        f.page = lambda: f"/live/forums/discussions/{last_post().discussion_id}"
        f.viewer = teacher
    elif name == "offer":
        f.limit, f.too_long, f.optional = 2000, "Enter at most 2000 characters", True
        f.post = lambda body: client.post("/live/profile/edit",
                                          data=form_data(other, offer=body))
        f.stored = lambda: reload(other).offer
        f.count = lambda: 0
        f.page = lambda: url("portal.teacher", user_id=other.id)
        f.viewer = teacher
    else:
        f.limit, f.too_long, f.optional = 500, "Write at most 500 characters", True
        f.post = lambda body: client.post(space_url(space, "profile_edit"), data={"about": body})
        f.stored = lambda: User.get_by_id(pupil.id).space_about
        f.count = lambda: 0
        f.page = lambda: space_url(space, "profile", user_id=pupil.id)
        f.viewer = teacher
    writer = {"live_reply": teacher, "space_reply": teacher, "partner_reply": other,
              "offer": other, "space_about": pupil}.get(name, teacher)
    login(writer)
    f.writer = writer
    return f


def refused(f, response, message):
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert message in html.unescape(page) and 'aria-invalid="true"' in page
    return page


@pytest.mark.parametrize("field", FIELDS, indirect=True)
def test_the_editors_html_is_stored_cleaned_and_shown_in_the_prose_box(client, login, field):
    response = field.post(RICH)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    stored = field.stored()
    assert stored.startswith(RICH_KEPT) and "<td>cell</td>" in stored
    for bad in ("<script", "onerror", "onclick", "alert(1)", "alert(3)"):
        assert bad not in stored
    login(field.viewer)
    page = client.get(field.page()).get_data(as_text=True)
    assert f'<div class="prose" hx-disable>{stored}</div>' in page
    assert "<script>alert" not in page and "onerror" not in page


@pytest.mark.parametrize("field", FIELDS, indirect=True)
def test_plain_text_becomes_paragraphs_with_links(client, login, field):
    assert field.post(PLAIN).status_code == 303
    assert field.stored() == PLAIN_STORED
    login(field.viewer)
    assert PLAIN_STORED in client.get(field.page()).get_data(as_text=True)


@pytest.mark.parametrize("field", FIELDS, indirect=True)
def test_the_limit_counts_the_text_not_the_markup(field):
    full = "<p><b>" + "y" * (field.limit - 10) + '</b> <a href="https://example.org">123456789'
    full += "</a></p>"
    assert len(full) > field.limit
    assert field.post(full).status_code == 303
    assert field.stored() == full
    before = field.count()
    page = refused(field, field.post("<p>" + "z" * (field.limit + 1) + "</p>"),
                   field.too_long)
    assert "z" * (field.limit + 1) in page  # what was typed is still in the field
    assert field.count() == before and field.stored() == full


@pytest.mark.parametrize("field", FIELDS, indirect=True)
def test_a_text_empty_once_cleaned(field):
    empty = "<p><br></p><p>&nbsp; </p><script></script><b></b>"
    response = field.post(empty)
    if field.optional:  # an optional profile text: saved as nothing
        assert response.status_code == 303
        assert field.stored() == ""
        return
    before = field.count()
    refused(field, response, field.empty)
    assert field.count() == before


@pytest.mark.parametrize("field", [f for f in FIELDS if f not in (
    "partner_search", "offer", "space_about")], indirect=True)  # those tell nobody
def test_the_notification_mail_holds_no_tags(field):
    OutboxMail.delete().execute()
    assert field.post(RICH).status_code == 303
    mails = list(OutboxMail.select().where(OutboxMail.to_address == field.mailed))
    assert mails
    for mail in mails:
        assert "<" not in mail.body and "&lt;" not in mail.body and "&amp;" not in mail.body
        assert "<" not in mail.subject


def test_the_public_profile_describes_the_offer_in_words(client, url):
    person = make_user(name="Rosa Public")
    person.offer = '<p><b>Field</b> trips &amp; <a href="https://example.org">maps</a></p>'
    person.listed_publicly = True
    person.set_visibility({"name": "public", "offer": "public"})
    person.save()
    page = client.get(url("portal.teacher", user_id=person.id)).get_data(as_text=True)
    meta = page.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert meta.endswith(". Field trips &amp; maps")
    assert "&lt;" not in meta and "<b>" not in meta


def test_a_group_welcome_is_mailed_as_its_plain_text_never_as_html(app):
    """A group's welcome message is plain text (shown as typed on its page): the mail that
    greets a new member shows it the same, "<b>" included, with its address linked."""
    from models import Role
    from services import group_members
    creator, newcomer = make_user(name="Cora Creator"), make_user(name="Nia Newcomer")
    group = make_group(make_user(Role.CSS), "Songs", creator=creator)
    group.welcome = "Hi <b>all</b>\n\nhttps://example.org"
    group.save()
    with app.test_request_context():
        thread = group_members.welcome(group, newcomer, app.config)
    assert MailMessage.get(MailMessage.thread == thread).body == (
        '<p>Hi &lt;b&gt;all&lt;/b&gt;</p><p><a href="https://example.org">'
        "https://example.org</a></p>")


def test_the_data_export_gives_the_words_of_a_rich_message(app):
    from services import data_export
    ana, ben = make_user(name="Ana"), make_user(name="Ben")
    with app.test_request_context():
        mailbox.compose(ana, "Hi", "<p><b>Hello</b> there</p><p>Bye</p>", [ben], app.config)
    (thread,) = data_export.messages(ana)
    assert thread["messages"][0]["body"] == "<p><b>Hello</b> there</p><p>Bye</p>"
    assert thread["messages"][0]["text"] == "Hello there Bye"
