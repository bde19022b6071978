"""Certificates of participation (L-11): a one-page PDF in the teacher's language, with a
verification code that a public page checks."""
import os
import secrets
import unicodedata

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fpdf import FPDF

from services.reference import country_name

# A Unicode font when the system has one (names are written in many alphabets); otherwise
# the PDF core font, with letters it cannot show replaced by their closest Latin-1 form.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
              ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))


def new_code():
    """A verification code that is easy to read aloud and hard to guess."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _font(pdf):
    for directory in FONT_DIRS:
        for regular, bold in FONT_FILES:
            r, b = os.path.join(directory, regular), os.path.join(directory, bold)
            if os.path.exists(r) and os.path.exists(b):
                pdf.add_font("cert", "", r)
                pdf.add_font("cert", "B", b)
                return "cert", str
    return "helvetica", _latin1


def _latin1(text):
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(folded or "?")
    return "".join(out)


def certificate_pdf(certificate, verify_url):
    """The PDF bytes of an accepted certificate, in its teacher's interface language."""
    teacher, project = certificate.teacher, certificate.project
    with force_locale(teacher.language):
        lines = {
            "title": _("Certificate of participation"),
            "intro": _("This certifies that"),
            "took_part": _("took part as a teacher in the OpenTwin project"),
            "school": (teacher.school.name if teacher.school else ""),
            "country": country_name(teacher.country, teacher.language) if teacher.country
            else "",
            "dates": _("from %(start)s to %(end)s",
                       start=format_date(project.starts_on or project.created_at, "long"),
                       end=format_date(project.ends_on or project.closed_at
                                       or project.created_at, "long")),
            "validated": _("Validated by the national support service on %(date)s.",
                           date=format_date(certificate.decided_at, "long")),
            "verify": _("Check this certificate at %(url)s with the code %(code)s.",
                        url=verify_url, code=certificate.code),
        }
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(lines["title"])
    pdf.set_author("OpenTwin")
    pdf.add_page()
    family, clean = _font(pdf)
    width = pdf.w - 2 * pdf.l_margin

    def write(text, size, style="", height=10, gap=4):
        pdf.set_font(family, style, size)
        pdf.multi_cell(width, height, clean(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(30)
    write(lines["title"], 30, "B", 14, 10)
    write(lines["intro"], 14)
    write(teacher.name, 24, "B", 12)
    write(", ".join(p for p in (lines["school"], lines["country"]) if p), 13)
    write(lines["took_part"], 14)
    write(f"“{project.title}”", 20, "B", 12)
    write(lines["dates"], 13, gap=12)
    write(lines["validated"], 11, height=7, gap=2)
    write(lines["verify"], 10, height=6)
    return bytes(pdf.output())
