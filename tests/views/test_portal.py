"""P-1 to P-5: the public portal's pages, their refusals, and registering for events."""
import datetime
import io

import pytest

from models import (DiaryPost, Kit, LearningEvent, LearningEventRegistration, Module, Project,
                    ProjectPartner, PartnerState, Publication, PublicationFile, Role, Space,
                    Testimonial, Visibility, utcnow)
from services import search, storage
from tests.factories import make_school, make_user


class Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def make_project(founder, title="Rivers", public=True, labelled=False, **fields):
    project = Project.create(title=title, description="About rivers", founder=founder,
                             is_public=public, label_awarded_at=utcnow() if labelled else None,
                             **fields)
    ProjectPartner.create(project=project, user=founder, state=PartnerState.ACCEPTED)
    space = Space.create(kind="twinspace", title=title, project=project)
    search.index_project(project)
    return project, space


def listed(user, school_public=True):
    user.set_visibility({"name": Visibility.PUBLIC,
                         "school": Visibility.PUBLIC if school_public else Visibility.MEMBERS})
    user.save()
    search.index_teacher(user)
    return user


def test_discover_lists_publications_by_language_and_filters_testimonials(app, client):
    pdf = storage.save_pdf(Upload(b"%PDF-1.4 en", "guide.pdf"), app.config["UPLOAD_DIR"])
    pdf_es = storage.save_pdf(Upload(b"%PDF-1.4 es", "guia.pdf"), app.config["UPLOAD_DIR"])
    pub = Publication.create(title="Guide", summary="How to start")
    PublicationFile.create(publication=pub, language="en", file=pdf)
    PublicationFile.create(publication=pub, language="es", file=pdf_es)
    Testimonial.create(name="Head Person", role="head", quote="Great for the school")
    Testimonial.create(name="Teacher Person", role="teacher", quote="My pupils love it")
    page = client.get("/discover").get_data(as_text=True)
    assert "Guide" in page and ">Spanish<" in page and ">English<" in page
    assert "Head Person" in page and "Teacher Person" in page
    page = client.get("/discover?role=head").get_data(as_text=True)
    assert "Head Person" in page and "Teacher Person" not in page
    fragment = client.get("/discover?role=teacher", headers={"HX-Request": "true",
                                                             "HX-Target": "testimonials"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert client.get("/discover?role=<x>").status_code == 200

    download = client.get(f"/publications/{pub.id}/download?lang=es")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 es"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "Guide-es.pdf" in download.headers["Content-Disposition"]
    download.close()
    # An unknown language falls back to a version that exists.
    other = client.get(f"/publications/{pub.id}/download?lang=zz")
    assert other.status_code == 200
    other.close()
    assert client.get("/publications/999/download?lang=en").status_code == 404


def test_files_that_are_not_public_are_404_to_others(app, client, login):
    owner = make_user()
    private = storage.save_pdf(Upload(b"%PDF-1.4 private", "p.pdf"),
                               app.config["UPLOAD_DIR"], owner=owner.id)
    assert client.get(f"/files/{private.id}").status_code == 404
    login(make_user())
    assert client.get(f"/files/{private.id}").status_code == 404
    client.post("/auth/logout")
    login(owner)
    response = client.get(f"/files/{private.id}")
    assert response.status_code == 200
    response.close()
    assert client.get("/files/99999").status_code == 404


def test_connect_lists_only_publicly_listed_teachers_to_visitors(client, login):
    school = make_school("ES", "IES Uno", "Toledo")
    listed(make_user(name="Public Person", school=school, subjects=["history"]))
    make_user(name="Private Person", school=school, subjects=["history"])
    search.reindex_all()
    page = client.get("/connect?type=teachers").get_data(as_text=True)
    assert "Public Person" in page and "Private Person" not in page
    login(make_user(name="Member"))
    page = client.get("/connect?type=teachers").get_data(as_text=True)
    assert "Public Person" in page and "Private Person" in page


@pytest.mark.parametrize("query", [
    "q=" + "x" * 10000, 'q="unbalanced', "q=NEAR(a b)", "q=a AND OR NOT *", "q=%2A",
    "country=XX", "age=99", "subject=alchemy", "type=planets", "page=99999", "page=-3",
])
def test_connect_never_fails_on_odd_input(client, query):
    response = client.get("/connect?" + query)
    assert response.status_code == 200


def test_connect_results_are_an_htmx_partial(client):
    listed(make_user(name="Public Person"))
    response = client.get("/connect?q=public", headers={"HX-Request": "true",
                                                        "HX-Target": "results"})
    body = response.get_data(as_text=True)
    assert "Public Person" in body and "<html" not in body


def test_teacher_page_shows_only_what_the_owner_made_public(client, login):
    school = make_school("ES", "IES Secreto")
    person = listed(make_user(name="Rosa", school=school, subjects=["art"]),
                    school_public=False)
    page = client.get(f"/teachers/{person.id}").get_data(as_text=True)
    assert "Rosa" in page and "Art" in page and "IES Secreto" not in page
    login(make_user())
    assert "IES Secreto" in client.get(f"/teachers/{person.id}").get_data(as_text=True)


def test_unlisted_teachers_and_other_roles_are_404_to_visitors(client, login):
    hidden = make_user(name="Hidden")
    staff = make_user(Role.NSS)
    assert client.get(f"/teachers/{hidden.id}").status_code == 404
    assert client.get(f"/teachers/{staff.id}").status_code == 404
    assert client.get("/teachers/99999").status_code == 404
    login(make_user())
    assert client.get(f"/teachers/{hidden.id}").status_code == 200
    assert client.get(f"/teachers/{staff.id}").status_code == 404


def test_school_page_lists_teachers_who_show_it(client):
    school = make_school("FR", "Collège Hugo", "Lyon")
    listed(make_user(name="Shows School", school=school))
    listed(make_user(name="Hides School", school=school), school_public=False)
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "Collège Hugo" in page and "Shows School" in page and "Hides School" not in page


def test_project_page_public_or_404(client, login):
    founder = listed(make_user(name="Founder"))
    public, space = make_project(founder, "Open Project")
    DiaryPost.create(space=space, title="Public news", body="<p>hello</p>", is_public=True)
    DiaryPost.create(space=space, title="Members only", body="<p>secret</p>")
    page = client.get(f"/projects/{public.id}").get_data(as_text=True)
    assert "Public news" in page and "Members only" not in page and "Founder" in page
    private, _ = make_project(founder, "Closed Doors", public=False)
    assert client.get(f"/projects/{private.id}").status_code == 404
    login(make_user())
    assert client.get(f"/projects/{private.id}").status_code == 404
    client.post("/auth/logout")
    login(founder)
    assert client.get(f"/projects/{private.id}").status_code == 200


def test_gallery_lists_labelled_public_projects_with_their_latest_diary(client):
    founder = make_user()
    labelled, space = make_project(founder, "Label Winner", labelled=True)
    DiaryPost.create(space=space, title="Old post", is_public=True,
                     published_at=utcnow() - datetime.timedelta(days=5))
    DiaryPost.create(space=space, title="Newest post", is_public=True)
    make_project(founder, "No Label")
    make_project(founder, "Hidden Label", public=False, labelled=True)
    page = client.get("/gallery").get_data(as_text=True)
    assert "Label Winner" in page and "Newest post" in page and "Old post" not in page
    assert "No Label" not in page and "Hidden Label" not in page


def test_kits_filter_by_age_and_modules_show(client):
    Kit.create(title="Young Kit", age_range="6-11", subjects="art", activities="<p>x</p>")
    Kit.create(title="Teen Kit", age_range="12-15", subjects="maths", activities="<p>y</p>")
    module = Module.create(title="Ice-breaker", summary="Talk", body="<p>Go</p>")
    page = client.get("/kits?age=6-11").get_data(as_text=True)
    assert "Young Kit" in page and "Teen Kit" not in page
    assert client.get("/kits?age=nonsense").status_code == 200
    assert "Ice-breaker" in client.get(f"/modules/{module.id}").get_data(as_text=True)
    assert client.get("/kits/9999").status_code == 404
    assert "Young Kit" in client.get("/collaborate").get_data(as_text=True)


def make_event(seats=2, days=3, **fields):
    return LearningEvent.create(kind="workshop", title="Workshop", seats=seats,
                                starts_at=utcnow() + datetime.timedelta(days=days),
                                duration_minutes=60, language="en", **fields)


def test_teacher_registers_once_and_cancels(client, login):
    event = make_event()
    teacher = make_user()
    login(teacher)
    assert client.post(f"/learning-events/{event.id}/registration").status_code == 303
    assert client.post(f"/learning-events/{event.id}/registration").status_code == 303
    assert LearningEventRegistration.select().count() == 1
    page = client.get(f"/learning-events/{event.id}").get_data(as_text=True)
    assert "You are registered" in page and "1 seat left" in page
    client.post(f"/learning-events/{event.id}/registration/cancel")
    assert LearningEventRegistration.select().count() == 0


def test_full_event_refuses_politely(client, login):
    event = make_event(seats=1)
    LearningEventRegistration.create(event=event, user=make_user())
    login(make_user())
    response = client.post(f"/learning-events/{event.id}/registration",
                           follow_redirects=True)
    assert "this event is full" in response.get_data(as_text=True)
    assert LearningEventRegistration.select().count() == 1


@pytest.mark.parametrize("role", [Role.STUDENT, Role.NSS, Role.CSS])
def test_only_teachers_register_for_events(client, login, role):
    event = make_event()
    login(make_user(role))
    assert client.post(f"/learning-events/{event.id}/registration").status_code == 403


def test_progress_lists_upcoming_events_only_with_seats_left(client):
    soon = make_event(seats=5)
    LearningEvent.create(kind="workshop", title="Past one", seats=5, duration_minutes=60,
                         language="en", starts_at=utcnow() - datetime.timedelta(days=1))
    page = client.get("/progress").get_data(as_text=True)
    assert "Workshop" in page and "Past one" not in page and "5 seats left" in page
    assert f'/learning-events/{soon.id}' in page
    assert client.get("/progress?kind=bogus").status_code == 200


def test_anonymous_visitor_is_asked_to_log_in_to_register(client):
    event = make_event()
    page = client.get(f"/learning-events/{event.id}").get_data(as_text=True)
    assert "Log in to register" in page
    response = client.post(f"/learning-events/{event.id}/registration")
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/connect?type=teachers", "/connect?type=projects",
                                 "/connect?type=schools", "/gallery", "/progress", "/kits",
                                 "/discover"])
def test_portal_lists_need_a_bounded_number_of_queries(client, url):
    from playhouse.test_utils import count_queries
    for n in range(15):
        founder = listed(make_user(name=f"Teacher {n}", school=make_school()))
        project, space = make_project(founder, f"Project {n}", labelled=True)
        DiaryPost.create(space=space, title=f"Post {n}", is_public=True)
        make_event(seats=10)
        Kit.create(title=f"Kit {n}", age_range="6-11", activities="x")
        Publication.create(title=f"Pub {n}")
    search.reindex_all()
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    assert counter.count <= 8, counter.count
