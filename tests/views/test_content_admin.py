"""Staff edit the portal: who may edit what, what bad input gets, and that it shows (P-2..P-5,
L-6)."""
import datetime
import io

import pytest

from models import (Kit, LearningEvent, LearningEventRegistration, Module, News, Publication,
                    PublicationFile, Role, Testimonial, utcnow)
from tests.factories import make_user

KEYS = ["publications", "kits", "modules", "testimonials", "learning-events", "news"]


def pdf(name="file.pdf", data=b"%PDF-1.4 test"):
    return (io.BytesIO(data), name)


def png():
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "red").save(out, "PNG")
    out.seek(0)
    return (out, "cover.png")


@pytest.mark.parametrize("role, allowed", [
    (Role.TEACHER, set()), (Role.STUDENT, set()),
    (Role.NSS, {"news"}), (Role.CSS, set(KEYS)),
])
def test_who_may_edit_which_content(client, login, role, allowed):
    login(make_user(role))
    for key in KEYS:
        code = client.get(f"/admin/content/{key}/new").status_code
        assert code == (200 if key in allowed else 403), (role, key, code)
    assert client.get("/admin/content/planets/").status_code in (403, 404)


def test_central_staff_add_a_testimonial_and_it_shows(client, login):
    login(make_user(Role.CSS))
    response = client.post("/admin/content/testimonials/new", data={
        "name": "Ana", "role": "teacher", "country": "ES", "quote": "It works"})
    assert response.status_code == 303
    assert "It works" in client.get("/discover").get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"name": "", "role": "teacher", "quote": "x"}, "Enter the person's name"),
    ({"name": "A", "role": "wizard", "quote": "x"}, "Choose who they are from the list"),
    ({"name": "A", "role": "teacher", "country": "XX", "quote": "x"},
     "Choose a country from the list"),
    ({"name": "A", "role": "teacher", "quote": "q" * 2001}, "at most 2000 characters"),
])
def test_testimonial_refusals_keep_the_input(client, login, data, message):
    login(make_user(Role.CSS))
    response = client.post("/admin/content/testimonials/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert Testimonial.select().count() == 0


def test_module_html_is_sanitised_and_plain_text_becomes_paragraphs(client, login):
    login(make_user(Role.CSS))
    client.post("/admin/content/modules/new", data={
        "title": "M", "summary": "S",
        "body": '<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:x">l</a>'})
    body = Module.get().body
    assert "onclick" not in body and "<script" not in body and "javascript:" not in body
    client.post("/admin/content/modules/new", data={"title": "N", "summary": "S",
                                                    "body": "One & two\n\nThree"})
    assert Module.get(Module.title == "N").body == "<p>One &amp; two</p><p>Three</p>"


def test_publication_with_cover_and_pdfs_per_language(app, client, login):
    login(make_user(Role.CSS))
    response = client.post("/admin/content/publications/new", data={
        "title": "Guide", "summary": "S", "cover": png(), "file_language": "en",
        "pdf": pdf("en.pdf", b"%PDF-1.4 english")}, content_type="multipart/form-data")
    assert response.status_code == 303
    pub = Publication.get()
    assert pub.cover.content_type == "image/webp"
    client.post(f"/admin/content/publications/{pub.id}/edit", data={
        "title": "Guide", "summary": "S", "file_language": "es",
        "pdf": pdf("es.pdf", b"%PDF-1.4 spanish")}, content_type="multipart/form-data")
    assert sorted(v.language for v in pub.files) == ["en", "es"]
    # Replacing a language keeps one version per language.
    client.post(f"/admin/content/publications/{pub.id}/edit", data={
        "title": "Guide", "summary": "S", "file_language": "es",
        "pdf": pdf("es2.pdf", b"%PDF-1.4 spanish 2")}, content_type="multipart/form-data")
    assert PublicationFile.select().count() == 2
    download = client.get(f"/publications/{pub.id}/download?lang=es")
    assert download.data == b"%PDF-1.4 spanish 2"
    download.close()
    cover = client.get(f"/files/{pub.cover.id}/w160")
    assert cover.status_code == 200 and cover.mimetype == "image/webp"
    cover.close()
    version = PublicationFile.get(PublicationFile.language == "en")
    client.post(f"/admin/content/publications/{pub.id}/files/{version.id}/delete")
    assert PublicationFile.select().count() == 1


@pytest.mark.parametrize("field, upload, message", [
    ("pdf", (io.BytesIO(b"<html>not a pdf</html>"), "fake.pdf"), "The file must be a PDF"),
    ("cover", (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "x.svg"),
     "must be a JPEG, PNG, GIF or WebP image"),
])
def test_upload_refusals_are_shown_next_to_the_field(client, login, field, upload, message):
    login(make_user(Role.CSS))
    data = {"title": "Guide", "summary": "Kept summary", "file_language": "en", field: upload}
    response = client.post("/admin/content/publications/new", data=data,
                           content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert f'id="{field}-error"' in body and "Kept summary" in body
    assert Publication.select().count() == 0


def test_kit_with_material_and_subjects(client, login):
    login(make_user(Role.CSS))
    response = client.post("/admin/content/kits/new", data={
        "title": "Kit", "summary": "S", "age_range": "6-11", "subjects": ["art", "music"],
        "duration": "4 weeks", "activities": "Step one", "material": pdf()},
        content_type="multipart/form-data")
    assert response.status_code == 303
    kit = Kit.get()
    assert kit.subject_codes == ["art", "music"] and kit.material is not None
    page = client.get(f"/kits/{kit.id}").get_data(as_text=True)
    assert "Download the material" in page
    response = client.post(f"/admin/content/kits/{kit.id}/edit", data={
        "title": "Kit", "summary": "S", "age_range": "6-11", "subjects": [],
        "activities": "x"})
    assert response.status_code == 422
    assert "Choose at least one subject" in response.get_data(as_text=True)


def event_data(**overrides):
    data = {"kind": "workshop", "title": "W", "description": "D",
            "starts_at": (utcnow() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60", "language": "en", "seats": "10", "expert": "E"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides, message", [
    ({"starts_at": "2020-01-01T10:00"}, "Enter a start in the future"),
    ({"starts_at": "next tuesday"}, "Enter the date and time it starts, like 2027-03-15"),
    ({"seats": "0"}, "from 1 to 10,000"),
    ({"seats": "many"}, "Not a valid integer value"),
    ({"duration_minutes": "5"}, "from 15 to 600 minutes"),
    ({"language": "xx"}, "Choose a language from the list"),
    ({"kind": "party"}, "Choose the kind of event from the list"),
])
def test_learning_event_refusals(client, login, overrides, message):
    login(make_user(Role.CSS))
    response = client.post("/admin/content/learning-events/new", data=event_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert LearningEvent.select().count() == 0


def test_seats_cannot_drop_below_registrations(client, login):
    login(make_user(Role.CSS))
    client.post("/admin/content/learning-events/new", data=event_data())
    event = LearningEvent.get()
    for _ in range(3):
        LearningEventRegistration.create(event=event, user=make_user())
    response = client.post(f"/admin/content/learning-events/{event.id}/edit",
                           data=event_data(seats="2"))
    assert response.status_code == 422
    assert "3 people are registered" in response.get_data(as_text=True)


def test_national_staff_publish_news_for_their_country_only(client, login):
    nss = make_user(Role.NSS, country="ES")
    login(nss)
    response = client.post("/admin/content/news/new", data={
        "kind": "news", "country": "ES", "title": "Hola", "body": "Texto"})
    assert response.status_code == 303
    response = client.post("/admin/content/news/new", data={
        "kind": "news", "country": "FR", "title": "Bonjour", "body": "Texte"})
    assert response.status_code == 422
    assert News.select().count() == 1
    french = News.create(country="FR", title="Bonjour", body="<p>x</p>")
    assert client.get(f"/admin/content/news/{french.id}/edit").status_code == 404
    assert client.post(f"/admin/content/news/{french.id}/delete").status_code == 404
    assert "Bonjour" not in client.get("/admin/content/news/").get_data(as_text=True)
    # Spanish teachers see it in Live; French ones do not.
    client.post("/auth/logout")
    login(make_user(country="ES"))
    assert "Hola" in client.get("/live/").get_data(as_text=True)
    assert "Hola" in client.get("/live/near-you").get_data(as_text=True)
    client.post("/auth/logout")
    login(make_user(country="FR"))
    assert "Hola" not in client.get("/live/near-you").get_data(as_text=True)


def test_an_event_needs_its_date(client, login):
    login(make_user(Role.NSS, country="ES"))
    response = client.post("/admin/content/news/new", data={
        "kind": "event", "country": "ES", "title": "Jornada", "body": "x"})
    assert response.status_code == 422
    assert "Enter the date of the event" in response.get_data(as_text=True)


def test_delete_asks_first_then_deletes(client, login):
    login(make_user(Role.CSS))
    module = Module.create(title="Doomed", summary="s", body="b")
    page = client.get(f"/admin/content/modules/{module.id}/delete").get_data(as_text=True)
    assert "Delete “Doomed”?" in page and "Yes, delete it" in page
    assert Module.select().count() == 1
    client.post(f"/admin/content/modules/{module.id}/delete")
    assert Module.select().count() == 0


def test_a_pdf_over_20_mb_is_refused_next_to_its_field(client, login):
    login(make_user(Role.CSS))
    big = b"%PDF-1.4" + b"0" * (21 * 1024 * 1024)
    response = client.post("/admin/content/publications/new", data={
        "title": "Big", "summary": "Kept", "file_language": "en", "pdf": pdf("big.pdf", big)},
        content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file is too large: choose one under 20 MB" in body and "Kept" in body
    assert Publication.select().count() == 0
