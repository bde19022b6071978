"""The public portal: home, discover, publications and files, the language (P-1, P-2, P-7)."""
import os

from flask import abort, current_app, request, send_file, session, url_for
from flask_login import current_user
from peewee import fn
from werkzeug.utils import secure_filename

from blueprints.portal import bp
from models import (CertificateRequest, DiaryPost, LearningEvent, Project, Publication,
                    PublicationFile, RequestState, School, Space, StoredFile, Testimonial,
                    TestimonialRole, User)
from extensions import csrf
from services import permissions, storage
from services.reference import LANGUAGES
from services.paging import Page
from web import cached, go, next_or, page_arg, render, same_origin


# The home page's counts go over every teacher: at 360,000 that is worth a short cache.
FIGURES_SECONDS = 300


def _figures():
    teachers = User.teachers()
    countries = list(teachers
                     .select(User.country, fn.COUNT(User.id).alias("count"))
                     .where(User.country.is_null(False))
                     .group_by(User.country)
                     .order_by(fn.COUNT(User.id).desc(), User.country)
                     .dicts())
    figures = {
        "teachers": sum(row["count"] for row in countries),
        "schools": School.select().count(),
        "projects": Project.select().count(),
        "countries": len(countries),
    }
    return figures, countries


@bp.route("/")
def home():
    """Show what the platform is, who takes part, what is happening, and the way in."""
    figures, countries = cached("portal-figures", FIGURES_SECONDS, _figures)
    diaries = (DiaryPost
               .select(DiaryPost, Space, Project)
               .join(Space)
               .join(Project)
               .where(DiaryPost.is_public == True, Project.is_public == True)  # noqa: E712
               .order_by(DiaryPost.published_at.desc())
               .limit(4))
    events = LearningEvent.upcoming().limit(3)
    return render("portal/home.html", figures=figures, countries=countries,
                  diaries=list(diaries), events=list(events))


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    """Switch the interface language for this session (and remember it for the account).

    An account's choice is saved, so it needs the CSRF token. An anonymous visitor's form
    carries none (their pages make no session, so a proxy may keep them): a forged switch
    would change nothing but the language of the visitor's own session, and a post from
    another site is refused by its Origin all the same. A user's form from a page the browser
    kept from before they logged in (the back button) carries no token either: a browser that
    says the post comes from this very site (its Origin) is believed, one that says nothing
    must show the token."""
    if not same_origin():
        abort(400)
    if current_user.is_authenticated and not request.headers.get("Origin"):
        csrf.protect()
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.language != lang:
        current_user.language = lang
        current_user.save(only=[User.language])
    return go(next_or(url_for("portal.home")))


@bp.route("/discover")
def discover():
    """How to take part, the publications library and what people say (P-2)."""
    role = request.args.get("role", "")
    testimonials = Testimonial.select().order_by(Testimonial.created_at.desc(), Testimonial.id)
    if role in TestimonialRole.ALL:
        testimonials = testimonials.where(Testimonial.role == role)
    else:
        role = ""
    publications = Page.of_query(Publication.select().order_by(Publication.created_at.desc(),
                                                           Publication.id.desc()),
                              page_arg(), per_page=10)
    files = {}
    for pf in (PublicationFile.select()
               .where(PublicationFile.publication.in_([p.id for p in publications.items]))):
        files.setdefault(pf.publication_id, []).append(pf.language)
    return render("portal/discover.html",
                  partials={"testimonials": "portal/_testimonials.html"},
                  publications=publications, files=files, testimonials=list(testimonials),
                  role=role, roles=TestimonialRole.ALL)


@bp.route("/publications/<int:publication_id>/download")
def download_publication(publication_id):
    """Send the PDF of a publication in the language the visitor chose."""
    publication = Publication.get_or_none(Publication.id == publication_id) or abort(404)
    language = request.args.get("lang", "")
    version = (PublicationFile.get_or_none((PublicationFile.publication == publication)
                                           & (PublicationFile.language == language))
               or PublicationFile.select().where(PublicationFile.publication == publication)
               .order_by(PublicationFile.language).first())
    if version is None:
        abort(404)
    filename = f"{secure_filename(publication.title) or 'publication'}-{version.language}.pdf"
    return send_stored(version.file, download_name=filename)


@bp.route("/files/<int:file_id>")
@bp.route("/files/<int:file_id>/w<int:width>")
def file(file_id, width=None):
    """Serve a stored file to those allowed to see it (404 to anybody else)."""
    stored = StoredFile.get_or_none(StoredFile.id == file_id)
    if stored is None or not permissions.can_download(current_user, stored):
        abort(404)
    return send_stored(stored, width=width)


def send_stored(stored, width=None, download_name=None):
    path = storage.stored_path(current_app.config["UPLOAD_DIR"], stored, width)
    if path is None or not os.path.exists(path):
        abort(404)
    # Images, videos and audio are shown in the page (<img>, <video>, <audio> need them
    # inline); everything else downloads. nosniff (set for every response) keeps browsers
    # from reading them as anything but their checked type.
    inline = stored.content_type.split("/")[0] in ("image", "video", "audio")
    response = send_file(path, mimetype=stored.content_type, conditional=True,
                         as_attachment=not inline,
                         download_name=download_name or storage.download_name(stored))
    response.headers["Cache-Control"] = ("public, max-age=86400"
                                         if permissions.file_is_public(stored)
                                         else "private, max-age=3600")
    return response


@bp.route("/certificates/verify/<code>")
def verify_certificate(code):
    """Anybody can check a certificate's code: who, which project, when it was validated."""
    cert = CertificateRequest.get_or_none((CertificateRequest.code == code[:32].upper())
                                          & (CertificateRequest.state == RequestState.ACCEPTED))
    return render("portal/verify_certificate.html", cert=cert, code=code[:32],
                  status=200 if cert else 404)
