"""Demo portal content for `flask seed-demo` (issue 3): publications with a PDF per language,
testimonials, kits, modules, learning events and national news; a finished project's reviews;
and the in-memory files the other demo modules upload."""
import datetime
import io

from fpdf import FPDF
from PIL import Image, ImageDraw

from models import (CertificateRequest, Kit, LearningEvent, LearningEventRegistration, Module,
                    News, Project, ProjectCardMessage, Publication, PublicationFile,
                    QualityLabelRequest, RequestState, Role, Testimonial, User, utcnow)
from services import audit, certificates, storage


class Upload(io.BytesIO):
    """An in-memory file that storage accepts like an uploaded one."""

    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def pdf(title, language, text):
    """A one-page PDF "upload" with a title and a line of text."""
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", "B", 20)
    doc.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", size=12)
    doc.multi_cell(0, 7, f"[{language}] {text}", new_x="LMARGIN", new_y="NEXT")
    return Upload(bytes(doc.output()), f"{language}.pdf")


def _cover(colour, label):
    image = Image.new("RGB", (480, 640), colour)
    ImageDraw.Draw(image).text((30, 40), label, fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return Upload(out.getvalue(), "cover.png")


PUBLICATIONS = [
    ("Getting started: a guide for new teachers",
     "Everything you need for your first project, from finding a partner to the "
     "Quality Label.", "#1d4f91", {"en": "Welcome to OpenTwin.", "es": "Bienvenida a OpenTwin.",
                                   "fr": "Bienvenue sur OpenTwin."}),
    ("Safe online collaboration with pupils",
     "Consent, privacy and good habits when your pupils work online with another school.",
     "#17663a", {"en": "Keep pupils safe online.", "es": "Seguridad del alumnado en línea."}),
]

TESTIMONIALS = [
    ("Maria Lopes", "teacher", "PT", "My pupils now write to friends in three countries. "
     "Their English improved more in one year than in the three before."),
    ("Jan Kowalski", "head", "PL", "Projects with other schools changed how our whole "
     "staff works together, not only the language teachers."),
    ("Carmen Ortega", "staff", "ES", "We help about a hundred new teachers a month to find "
     "their first partner. The first project is the hardest; after that they fly."),
    ("Elena Ionescu", "authority", "RO", "School partnerships are the cheapest, most lasting "
     "European exchange we know."),
    ("Tom Murphy", "teacher", "IE", "The pupils who struggle most in class often shine "
     "when they present their work to a partner class."),
]

KITS = [
    ("Postcards from my town", "Pupils present their town to a partner class with "
     "photos, drawings and a short video.", "6-11", "art,geography", "6 weeks",
     "<ol><li>Meet the partner class in a video call.</li><li>Take photos of places you "
     "love.</li><li>Write a postcard for each place.</li><li>Exchange and answer the "
     "postcards.</li></ol>"),
    ("Climate detectives", "Measure the weather at school for a month and compare it with "
     "partner schools.", "12-15", "environment,maths", "8 weeks",
     "<ol><li>Build a simple weather station.</li><li>Record the data every day.</li>"
     "<li>Share the data in the TwinSpace.</li><li>Compare and explain the "
     "differences.</li></ol>"),
    ("Debate across borders", "Teams from two countries prepare and hold an online debate "
     "in English.", "16-19", "foreign_languages,citizenship", "4 weeks",
     "<ol><li>Choose a motion together.</li><li>Form mixed teams.</li><li>Research and "
     "prepare arguments.</li><li>Hold the debate online.</li></ol>"),
]

MODULES = [
    ("Ice-breaker: two truths and a lie", "A first video call that gets everybody "
     "talking.", "<p>Each pupil says three things about themselves; the partner class "
     "guesses which one is not true.</p>"),
    ("Shared glossary", "Build a picture dictionary of the project's words in every "
     "partner's language.", "<p>Each class adds ten words with a drawing and a recording "
     "of how to say them.</p>"),
    ("Reflection diary", "Pupils write one line a week about what they learned from the "
     "partners.", "<p>Use the project diary: one post a week, written by a different "
     "pupil each time.</p>"),
]

LEARNING_EVENTS = [
    ("workshop", "Your first project in four steps", 7, 60, "en", 200, "OpenTwin team", 0),
    ("learning_event", "Outdoor learning with partner schools", 14, 90, "en", 40,
     "Dr. Sofia Marin", 0),
    ("learning_event", "Aprendizaje basado en proyectos", 21, 90, "es", 2, "Luis Ferrer", 2),
    ("workshop", "Safe online collaboration", 28, 60, "fr", 100, "Claire Martin", 0),
]

NEWS = [
    ("ES", "news", "Convocatoria de los Sellos de Calidad", "<p>Hasta el 15 de marzo "
     "podéis pedir el Sello de Calidad para los proyectos cerrados este curso.</p>", None,
     ""),
    ("ES", "event", "Jornada de bienvenida en Madrid", "<p>Os esperamos para conocer a "
     "otros docentes y preparar vuestro primer proyecto.</p>", 20, "Madrid, CNIIE"),
    ("IT", "news", "Nuovi webinar di primavera", "<p>Il calendario dei webinar di "
     "primavera è online.</p>", None, ""),
]


def seed_portal(upload_dir):
    """Publications, testimonials, kits, modules, learning events and national news (P-2..P-5,
    L-6)."""
    now = utcnow()
    for title, summary, colour, versions in PUBLICATIONS:
        publication = Publication.create(title=title, summary=summary,
                                         cover=storage.save_image(_cover(colour, title),
                                                                  upload_dir))
        for language, text in versions.items():
            PublicationFile.create(publication=publication, language=language,
                                   file=storage.save_pdf(pdf(title, language, text),
                                                         upload_dir))
    for name, role, country, quote in TESTIMONIALS:
        Testimonial.create(name=name, role=role, country=country, quote=quote)
    for title, summary, age, subjects, duration, activities in KITS:
        Kit.create(title=title, summary=summary, age_range=age, subjects=subjects,
                   duration=duration, activities=activities,
                   material=storage.save_pdf(pdf(title, "en", summary), upload_dir))
    for title, summary, body in MODULES:
        Module.create(title=title, summary=summary, body=body)
    pupils_of = list(User.teachers().order_by(User.id))
    for kind, title, days, minutes, language, seats, expert, taken in LEARNING_EVENTS:
        event = LearningEvent.create(
            kind=kind, title=title, starts_at=(now + datetime.timedelta(days=days)).replace(
                hour=16, minute=0, second=0, microsecond=0),
            duration_minutes=minutes, language=language, seats=seats, expert=expert,
            description=f"<p>{title}: {minutes} minutes online with {expert}.</p>")
        for teacher in pupils_of[-taken:] if taken else []:
            LearningEventRegistration.create(event=event, user=teacher)
    for country, kind, title, body, in_days, place in NEWS:
        News.create(country=country, kind=kind, title=title, body=body, place=place,
                    author=User.get_or_none((User.role == Role.NSS) & (User.country == country)),
                    event_date=(now + datetime.timedelta(days=in_days)).date() if in_days
                    else None)


def seed_reviews(rivers, ana, giulia, now):
    """A finished project's card messages, certificate requests (one decided, one waiting)
    and a Quality Label awarded, with the staff decisions in the audit log too."""
    carmen = User.get(User.email == "nss.es@demo.opentwin.eu")
    marco = User.get(User.email == "nss.it@demo.opentwin.eu")
    ProjectCardMessage.create(project=rivers, author=ana, body=(
        "We have finished: the guide is published in three languages."),
        created_at=now - datetime.timedelta(days=45))
    ProjectCardMessage.create(project=rivers, author=carmen, body=(
        "¡Enhorabuena! Pedid el Sello de Calidad, os lo merecéis."),
        created_at=now - datetime.timedelta(days=44))
    CertificateRequest.create(project=rivers, teacher=giulia, country="IT",
                              state=RequestState.ACCEPTED, code=certificates.new_code(),
                              reviewer=marco,
                              decided_at=now - datetime.timedelta(days=20))
    CertificateRequest.create(project=rivers, teacher=ana, country="ES",
                              code=certificates.new_code())
    recipes = Project.get(Project.title == "Recipes across borders")
    QualityLabelRequest.create(project=recipes, requester=User.get(
        User.email == "ines.costa@demo.opentwin.eu"), country="PT", report=(
        "Forty families cooked with us; the pupils scaled every recipe for the class."),
        state=RequestState.ACCEPTED, decided_at=now - datetime.timedelta(days=31))
    # The same decisions in the staff audit log (Admin → Audit log of staff actions).
    for actor, action, target, detail in (
            (carmen, "teacher.validate", ana, ""),
            (carmen, "project.card_message", rivers, ""),
            (marco, "certificate.approve", rivers, "Giulia"),
            (User.get(User.email == "css@demo.opentwin.eu"), "label.approve", recipes, "PT")):
        audit.record(actor, action, target, detail=detail)

