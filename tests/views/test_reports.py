"""Netiquette reports (G-8), for every kind of space: a member reports a forum message, a
page, a material or a chat line; those who run the space hide it (kept in the database) or
dismiss the report; the reporter is told; central staff see every report."""
import pytest

from models import (ChatMessage, Discussion, Folder, Forum, Material, MaterialKind,
                    Notification, Page, Post, Report, ReportState, Role)
from services import pages as page_service
from services import spaces
from tests.factories import make_user

REASON = "This is rude to the other pupils."


def _content(cast):
    """One of each kind in the space, none written by `pupil` (who reports them)."""
    space, author = cast["space"], cast["pupil2"]
    forum = Forum.create(space=space, title="Talk")
    talk = Discussion.create(forum=forum, author=author, title="Our river")
    post = Post.create(discussion=talk, author=author, body="You are all silly")
    page = page_service.create(space, cast["teacher"], "Rules", "<p>Be <b>nice</b></p>")
    folder = Folder.create(space=space, kind=MaterialKind.VIDEO, title="Videos")
    material = Material.create(space=space, folder=folder, kind=MaterialKind.VIDEO,
                               title="Rude list", description="A rude list",
                               embed_provider="youtube", embed_id="dQw4w9WgXcQ",
                               created_by=author)
    chat = ChatMessage.create(space=space, author=author, body="Nobody likes you")
    return {"post": post, "page": page, "material": material, "chat": chat}


def _report(client, space_url, space, kind, target, reason=REASON):
    return client.post(space_url(space, "report_new", kind=kind, target_id=target.id),
                       data={"reason": reason})


KINDS = ["post", "page", "material", "chat"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_reports_each_kind_of_content(client, login, cast, space_url, kind):
    things = _content(cast)
    login(cast["pupil"])
    address = space_url(cast["space"], "report_new", kind=kind, target_id=things[kind].id)
    form = client.get(address)
    assert form.status_code == 200
    assert "Report to the moderators" in form.get_data(as_text=True)
    assert _report(client, space_url, cast["space"], kind, things[kind]).status_code == 303
    report = Report.get()
    assert (report.kind, report.target_id, report.reporter_id, report.state) == (
        kind, things[kind].id, cast["pupil"].id, ReportState.OPEN)
    assert report.reason == REASON and report.excerpt
    assert "<" not in report.excerpt


def test_the_report_links_show_on_the_content(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    for kind, endpoint, values in [
            ("post", "discussion", {"discussion_id": things["post"].discussion_id}),
            ("page", "page", {"page_id": things["page"].id}),
            ("material", "material", {"material_id": things["material"].id}),
            ("chat", "live", {})]:
        page = client.get(space_url(cast["space"], endpoint, **values)).get_data(as_text=True)
        assert space_url(cast["space"], "report_new", kind=kind,
                         target_id=things[kind].id) in page, kind
    # Not on one's own content.
    login(cast["pupil2"])
    page = client.get(space_url(cast["space"], "discussion",
                                discussion_id=things["post"].discussion_id))
    assert "report_new" not in page.get_data(as_text=True)
    assert space_url(cast["space"], "report_new", kind="post",
                     target_id=things["post"].id) not in page.get_data(as_text=True)


def test_excerpt_keeps_the_text_as_it_was(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "page", things["page"])
    report = Report.get()
    assert report.title == "Rules" and report.excerpt == "Be nice"


def test_reading_is_not_enough_to_report(client, login, cast, space_url):
    things = _content(cast)
    login(cast["outsider"])
    assert _report(client, space_url, cast["space"], "post", things["post"]).status_code == 404
    login(cast["stranger_pupil"])
    assert _report(client, space_url, cast["space"], "post", things["post"]).status_code == 404
    assert Report.select().count() == 0


def test_a_guest_member_may_report(client, login, cast, space_url):
    things = _content(cast)
    login(cast["guest"])
    assert _report(client, space_url, cast["space"], "chat", things["chat"]).status_code == 303


def test_not_ones_own_content(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil2"])
    response = _report(client, space_url, cast["space"], "post", things["post"])
    assert response.status_code == 403
    assert "You cannot report what you wrote yourself." in response.get_data(as_text=True)
    assert Report.select().count() == 0


def test_not_twice_while_open(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    response = _report(client, space_url, cast["space"], "post", things["post"])
    assert response.status_code == 409
    assert "You already reported this" in response.get_data(as_text=True)
    assert Report.select().count() == 1


@pytest.mark.parametrize("reason", ["", "too short", "x" * 1001])
def test_a_bad_reason_is_refused_next_to_the_field(client, login, cast, space_url, reason):
    things = _content(cast)
    login(cast["pupil"])
    response = _report(client, space_url, cast["space"], "post", things["post"], reason)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Say what is wrong with it" in text or "Write between 10 and 1000 characters" in text
    assert Report.select().count() == 0


def test_content_of_another_space_or_unknown_kind_is_404(client, login, cast, space_url):
    things = _content(cast)
    login(cast["stranger_pupil"])
    other = cast["other_space"]
    for kind in KINDS:
        assert _report(client, space_url, other, kind, things[kind]).status_code == 404
    login(cast["pupil"])
    assert _report(client, space_url, cast["space"], "diary", things["post"]).status_code == 404


def test_a_closed_space_takes_no_reports(client, login, cast, space_url):
    things = _content(cast)
    spaces.close(cast["space"])
    login(cast["pupil"])
    response = _report(client, space_url, cast["space"], "post", things["post"])
    assert response.status_code == 403
    assert "This space is closed" in response.get_data(as_text=True)
    assert Report.select().count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_the_moderator_hides_the_content_it_stays_in_the_database(client, login, cast,
                                                                   space_url, kind):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], kind, things[kind])
    report = Report.get()
    login(cast["teacher"])
    listing = client.get(space_url(cast["space"], "reports"))
    assert listing.status_code == 200 and REASON in listing.get_data(as_text=True)
    response = client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                                     decision="hide"))
    assert response.status_code == 303
    report = Report.get_by_id(report.id)
    assert report.state == ReportState.HIDDEN and report.handled_by_id == cast["teacher"].id
    hidden = {"post": lambda: Post.get_by_id(things["post"].id).hidden,
              "page": lambda: Page.get_by_id(things["page"].id).archived_at is not None,
              "material": lambda: Material.get_by_id(things["material"].id).hidden_at
              is not None,
              "chat": lambda: ChatMessage.get_by_id(things["chat"].id).hidden_at is not None}
    assert hidden[kind]()
    note = Notification.get(Notification.recipient == cast["pupil"].id)
    assert note.message == "report_hidden" and note.kind == "report_outcome"
    # Handled once only.
    again = client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                                  decision="dismiss"), follow_redirects=True)
    assert "already handled" in again.get_data(as_text=True)


def test_hidden_material_and_chat_are_hidden_from_members(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    for kind in ("material", "chat"):
        _report(client, space_url, cast["space"], kind, things[kind])
    login(cast["teacher"])
    for report in list(Report.select()):
        client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                              decision="hide"))
    material, folder = things["material"], things["material"].folder_id
    # Those who run the space still see both.
    assert client.get(space_url(cast["space"], "material",
                                material_id=material.id)).status_code == 200
    login(cast["pupil"])
    assert client.get(space_url(cast["space"], "material",
                                material_id=material.id)).status_code == 404
    assert "Rude list" not in client.get(space_url(cast["space"], "folder", folder_id=folder)
                                         ).get_data(as_text=True)
    assert "Rude list" not in client.get(space_url(cast["space"], "materials", q="Rude")
                                         ).get_data(as_text=True)
    live = client.get(space_url(cast["space"], "live")).get_data(as_text=True)
    assert "Nobody likes you" not in live and "Hidden by a moderator." in live


def test_the_moderator_dismisses(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    login(cast["teacher"])
    report = Report.get()
    client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                          decision="dismiss"))
    assert Report.get_by_id(report.id).state == ReportState.DISMISSED
    assert not Post.get_by_id(things["post"].id).hidden
    note = Notification.get(Notification.recipient == cast["pupil"].id)
    assert note.message == "report_dismissed"
    # The pupil may report it again now that the first one is handled.
    login(cast["pupil"])
    assert _report(client, space_url, cast["space"], "post", things["post"]).status_code == 303


def test_only_those_who_run_the_space_see_its_reports(client, login, cast, space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    report = Report.get()
    for person in ("pupil", "pupil2", "guest", "outsider", "other_teacher"):
        login(cast[person])
        assert client.get(space_url(cast["space"], "reports")).status_code == 404, person
        assert client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                                     decision="hide")).status_code == 404, person
    assert Report.get_by_id(report.id).state == ReportState.OPEN
    login(cast["teacher"])
    home = client.get(space_url(cast["space"], "home")).get_data(as_text=True)
    assert space_url(cast["space"], "reports") in home
    assert '<span class="count">1<span class="visually-hidden"> open' in home


def test_another_spaces_moderator_gets_404_for_a_guessed_report(client, login, cast,
                                                                space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    report = Report.get()
    login(cast["other_teacher"])
    other = cast["other_space"]
    assert client.get(space_url(other, "reports")).status_code == 200
    assert REASON not in client.get(space_url(other, "reports")).get_data(as_text=True)
    assert client.post(space_url(other, "report_handle", report_id=report.id,
                                 decision="hide")).status_code == 404
    assert Report.get_by_id(report.id).state == ReportState.OPEN


def test_central_staff_see_every_report(client, login, cast, space_url, url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    _report(client, space_url, cast["space"], "chat", things["chat"])
    login(cast["teacher"])
    client.post(space_url(cast["space"], "report_handle", report_id=Report.get(
        Report.kind == "chat").id, decision="dismiss"))
    login(make_user(Role.CSS))
    page = client.get(url("admin.reports")).get_data(as_text=True)
    assert "Our river" in page and "Chat message" in page and cast["space"].title in page
    assert "Dismissed by Tina Teacher" in page
    only_open = client.get(url("admin.reports", state="open")).get_data(as_text=True)
    assert "Our river" in only_open and "Chat message:" not in only_open
    for role in (Role.TEACHER, Role.NSS):
        login(make_user(role))
        assert client.get(url("admin.reports")).status_code == 404


def test_a_closed_space_keeps_its_reports_readable_but_not_handled(client, login, cast,
                                                                   space_url):
    things = _content(cast)
    login(cast["pupil"])
    _report(client, space_url, cast["space"], "post", things["post"])
    report = Report.get()
    spaces.close(cast["space"])
    login(cast["teacher"])
    listing = client.get(space_url(cast["space"], "reports"))
    assert listing.status_code == 200 and REASON in listing.get_data(as_text=True)
    assert space_url(cast["space"], "report_handle", report_id=report.id,
                     decision="hide") not in listing.get_data(as_text=True)
    response = client.post(space_url(cast["space"], "report_handle", report_id=report.id,
                                     decision="hide"))
    assert response.status_code == 403
    assert Report.get_by_id(report.id).state == ReportState.OPEN
    assert not Post.get_by_id(things["post"].id).hidden
