"""Demo life in the running project's TwinSpace for `flask seed-demo` (T-4..T-6, T-10, T-11,
T-13, T-14, T-16): materials, consent, a guestbook, TwinMail with an attachment, a forum
discussion, chat lines and a poll — so each screen of a space starts alive."""
import datetime
import io

from PIL import Image, ImageDraw

from models import (Consent, ConsentScope, Folder, GuestbookEntry, MailAttachment, MailMessage,
                    MailRecipient, MailThread, Material, MaterialKind, MaterialPerson, Page,
                    User, utcnow)
from services import chat, forums, pages, storage
from services.demo_portal import Upload, pdf
from services.sanitize import rich_text, text_or_html


def _person(email):
    return User.get(User.email == email)


def _photo(sky, water, label):
    """A small drawn "photo" of a river: demo images need no camera."""
    image = Image.new("RGB", (960, 640), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 960, 640), fill="#3d7a3a")
    draw.polygon([(0, 520), (300, 440), (620, 470), (960, 400), (960, 560), (600, 600),
                  (0, 640)], fill=water)
    draw.ellipse((760, 60, 860, 160), fill="#f6d743")
    draw.text((30, 30), label, fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return Upload(out.getvalue(), f"{label.lower().replace(' ', '-')}.jpg")


def seed_materials(upload_dir, rivers):
    """Materials, consent, a guestbook and TwinMail with an attachment in the river project's
    TwinSpace (T-4..T-6, T-13, T-14, T-16), so each screen of a space starts alive."""
    now = utcnow()
    ana, giulia = _person("ana.garcia@demo.opentwin.eu"), _person("giulia.rossi@demo.opentwin.eu")
    lucia = User.by_login("lucia.perez")
    album = Folder.create(space=rivers, kind=MaterialKind.IMAGE, title="River day",
                          description="Our measuring day by the Henares and the Arno.",
                          created_by=ana)
    shots = [
        ("#6fa8dc", "#1f4e79", "Henares at dawn", "The Henares river at dawn, calm and grey-blue",
         True, [lucia]),
        ("#9fc5e8", "#2a6f97", "Arno bridge", "The Arno under a stone bridge on a clear day",
         True, []),
        ("#b4a7d6", "#274e13", "Group photo", "Three pupils kneel by the water with a pH kit",
         False, []),
    ]
    images = []
    for sky, water, title, alt, public, people in shots:
        stored = storage.save_image(_photo(sky, water, title), upload_dir, owner=ana.id)
        material = Material.create(space=rivers, folder=album, kind=MaterialKind.IMAGE,
                                   title=title, alt_text=alt, file=stored, is_public=public,
                                   created_by=ana)
        for person in people:
            MaterialPerson.create(material=material, user=person)
        images.append(material)
    Consent.create(space=rivers, student=lucia, photo=True, video=False, voice=False,
                   real_name=False, scope=ConsentScope.PUBLIC,
                   until=(now + datetime.timedelta(days=300)).date(),
                   note="Signed form kept by Ana in the class folder.", updated_by=ana)
    videos = Folder.create(space=rivers, kind=MaterialKind.VIDEO, title="Videos",
                           created_by=giulia)
    Material.create(space=rivers, folder=videos, kind=MaterialKind.VIDEO,
                    title="How a river is born", description="A short film we watched first.",
                    embed_provider="vimeo", embed_id="76979871", is_public=True,
                    created_by=giulia)
    documents = Folder.create(space=rivers, kind=MaterialKind.DOCUMENT, title="Worksheets",
                              created_by=ana)
    sheet_upload = pdf("Measuring the pH of a river", "en",
                        "Take three samples, 10 metres apart. Write down each value.")
    sheet_upload.filename = "ph-measuring-sheet.pdf"
    sheet = storage.save_pdf(sheet_upload, upload_dir, owner=ana.id)
    Material.create(space=rivers, folder=documents, kind=MaterialKind.DOCUMENT,
                    title="pH measuring sheet", description="Print one per group.",
                    file=sheet, is_public=True, created_by=ana)
    # The public guide shows the first photo (the one Lucía's family agreed to publish).
    guide = Page.get((Page.space == rivers) & (Page.title == "Our river guide"))
    first = images[0]
    width, height = storage.image_size(first.file, 480)
    pages.save(guide, ana, guide.title, guide.body + (
        f'<p><img src="/files/{first.file_id}/w480" alt="{first.alt_text}" '
        f'width="{width}" height="{height}"></p>'), guide.version)
    lucia.space_about = rich_text("I love maps and measuring things. "
                                  "Mi color favorito es el verde.")
    lucia.save()
    GuestbookEntry.create(space=rivers, profile=lucia, author=giulia,
                          body="Great pH table, Lucía! My class used it too.",
                          created_at=now - datetime.timedelta(days=3))
    thread = MailThread.create(subject="My pH results", space=rivers)
    message = MailMessage.create(thread=thread, sender=lucia, body=text_or_html(
        "Hola Ana, here are our group's results from the river day."),
        created_at=now - datetime.timedelta(hours=5))
    MailRecipient.create(message=message, user=ana)
    MailRecipient.create(message=message, user=lucia, read_at=now)
    results = storage.save_document(Upload(b"sample,ph\n1,7.2\n2,7.4\n3,7.1\n",
                                            "ph-results.csv"), upload_dir,
                                    storage.max_upload_bytes({}), owner=lucia.id)
    MailAttachment.create(message=message, file=results)


def seed_life(rivers):
    """A forum discussion, chat lines and a poll in the river project's TwinSpace (T-10, T-11)."""
    people = [_person("ana.garcia@demo.opentwin.eu"), User.by_login("lucia.perez"),
              _person("giulia.rossi@demo.opentwin.eu")]
    forums.seed_space_forums(rivers, people)
    chat.seed_chat(rivers, people)
