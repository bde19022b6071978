"""T-16, T-9, T-17 in a real browser: Ana records the family's consent for Lucía, and the
photo that shows Lucía appears in the public view only afterwards; then she downloads the
TwinSpace's archive from the settings. axe-core on every page visited."""
import datetime
import io
import zipfile

from PIL import Image
from playwright.sync_api import expect

from models import Consent, Folder, Material, MaterialPerson, Project, User
from services import storage
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in

ALT = "Lucía holds a pH strip over the river"


def add_photo_of_lucia(app, space):
    """An album with one photo, marked public by its uploader and tagged with Lucía; and no
    consent for Lucía yet (the demo data may have recorded one: it is taken away)."""
    Consent.delete().where(Consent.space == space.id,
                           Consent.student == User.by_login("lucia.perez").id).execute()
    ana = User.by_login("ana.garcia@demo.opentwin.eu")
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 160)).save(data, "PNG")
    data.seek(0)
    data.filename = "river-day.png"
    stored = storage.save_image(data, app.config["UPLOAD_DIR"], owner=ana.id)
    album = Folder.create(space=space, kind="image", title="River day", created_by=ana)
    photo = Material.create(space=space, folder=album, kind="image", title="pH test",
                            alt_text=ALT, file=stored, is_public=True, created_by=ana)
    MaterialPerson.create(material=photo, user=User.by_login("lucia.perez"))
    return photo


def test_consent_makes_a_photo_public_and_the_space_exports(live_server, app, new_page,
                                                            space_url, parent_url):
    space = Project.get(Project.title == "Our rivers, year two").space
    photo = add_photo_of_lucia(app, space)
    ana = new_page()
    log_in(ana, "ana.garcia@demo.opentwin.eu")
    ana.get_by_role("button", name="English").click()
    ana.goto(space_url(space, "home"))
    nav = ana.get_by_role("navigation", name="In this TwinSpace")

    # Without consent, the photo stays out of the public view (also in the preview).
    nav.get_by_role("link", name="See as public").click()
    expect(ana.get_by_text("This is what visitors see without logging in")).to_be_visible()
    expect(ana.get_by_role("heading", name="Our river guide", exact=True)).to_be_visible()
    expect(ana.get_by_role("img", name=ALT)).to_have_count(0)

    nav.get_by_role("link", name="Consent").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Consent")
    row = ana.get_by_role("row", name="Lucía Pérez")
    expect(row).to_contain_text("No consent recorded")
    check_a11y(ana, "consent-register")

    row.get_by_role("link", name="Record consent for Lucía Pérez").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Consent of Lucía Pérez")
    check_a11y(ana, "consent-form")
    until = datetime.date.today() + datetime.timedelta(days=365)
    ana.get_by_label("Photos").check()
    ana.get_by_label("Also in the public view").check()
    ana.get_by_label("Valid until (optional)").fill(until.isoformat())
    ana.get_by_label("Note (optional)").fill("Signed form in the school office.")
    ana.get_by_role("button", name="Save the consent").click()

    expect(ana.get_by_role("status")).to_contain_text("The consent of Lucía Pérez is saved")
    row = ana.get_by_role("row", name="Lucía Pérez")
    expect(row.get_by_role("cell").nth(0)).to_have_text("Yes")  # photos
    expect(row.get_by_role("cell").nth(1)).to_have_text("No")   # video
    expect(row).to_contain_text("Also in public")
    expect(row).to_contain_text(str(until.year))
    expect(row).to_contain_text("Signed form in the school office.")
    check_a11y(ana, "consent-register-saved")

    # Now the photo is public: the preview shows it, as does a visitor's view.
    nav.get_by_role("link", name="See as public").click()
    expect(ana.get_by_role("heading", name="Materials")).to_be_visible()
    thumbnail = ana.get_by_role("img", name=ALT)
    expect(thumbnail).to_be_visible()
    check_a11y(ana, "public-view-with-materials")
    visitor = new_page()
    visitor.goto(parent_url(space, "public_view"))
    image = visitor.get_by_role("img", name=ALT)
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()  # a lazy image loads when it comes into view
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0",
                              arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 480
    assert visitor.request.get(f"/files/{photo.file_id}/w1200").status == 200
    check_a11y(visitor, "public-view-visitor")

    # Settings → Export: the archive downloads and holds the site and the photo.
    nav.get_by_role("link", name="Settings").click()
    ana.get_by_role("link", name="Export the TwinSpace").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Export the space")
    check_a11y(ana, "export")
    with ana.expect_download() as info:
        ana.get_by_role("button", name="Download the archive").click()
    download = info.value
    assert download.suggested_filename == (
        f"our-rivers-year-two-{datetime.date.today().isoformat()}.zip")
    with zipfile.ZipFile(download.path()) as zf:
        names = set(zf.namelist())
        assert {"index.html", "diary.html", "materials.html", "style.css"} <= names
        assert f"files/{photo.file_id}-w480.webp" in names
        index = zf.read("index.html").decode("utf-8")
        assert "Our river guide" in index and "Marking the guide" in index
        assert ALT in zf.read("materials.html").decode("utf-8")
