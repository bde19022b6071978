"""Issue 3 in a real browser: the portal's four sections, registering for a learning event,
and staff keeping the portal current. axe-core on every page visited."""
import datetime
import re

from playwright.sync_api import expect

from models import News
from tests.browser.conftest import check_a11y, htmx_requests_on_leaving, rich_text
from tests.browser.test_foundation import log_in


def test_home_shows_figures_diaries_and_events(page):
    page.goto("/")
    figures = page.locator(".figures")
    expect(figures.locator("div", has_text="Projects").locator("dd")).to_have_text("5")
    expect(page.get_by_role("heading", name="From the project diaries")).to_be_visible()
    expect(page.get_by_role("link", name="Our river guide is published")).to_be_visible()
    expect(page.get_by_role("link", name="Your first project in four steps")).to_be_visible()
    check_a11y(page, "home-issue3")


def test_discover_downloads_a_publication_in_a_language_and_filters_testimonials(page):
    page.goto("/")
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Discover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discover OpenTwin")
    check_a11y(page, "discover")
    guide = page.locator(".card", has_text="Getting started")
    guide.get_by_label("Language").select_option(label="French")
    with page.expect_download() as download:
        guide.get_by_role("button", name=re.compile("Download PDF")).click()
    assert download.value.suggested_filename.endswith("-fr.pdf")
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    testimonials = page.locator("#testimonials")
    expect(testimonials).to_contain_text("Maria Lopes")
    page.get_by_label("Who").select_option(label="Head teacher")
    expect(testimonials).not_to_contain_text("Maria Lopes")
    expect(testimonials).to_contain_text("Jan Kowalski")
    expect(page).to_have_url(re.compile(r"role=head"))
    expect(page.locator("#announcer")).to_have_text("The list is updated.")
    check_a11y(page, "discover-filtered")


def test_connect_searches_as_you_type_and_opens_profiles(page):
    page.goto("/connect")
    check_a11y(page, "connect")
    results = page.locator("#results")
    # Javier Ruiz keeps his profile to members: a visitor does not find him.
    expect(results).not_to_contain_text("Javier Ruiz")
    page.get_by_label("Keywords").fill("rossi")
    expect(results.get_by_role("link", name="Giulia Rossi")).to_be_visible()
    expect(results.get_by_role("heading", level=2)).to_have_text("1 result")
    expect(page).to_have_url(re.compile(r"q=rossi"))
    assert htmx_requests_on_leaving(page, page.get_by_label("Keywords")) == 0
    results.get_by_role("link", name="Giulia Rossi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giulia Rossi")
    expect(page.get_by_text("Liceo Scientifico Galileo Galilei")).to_be_visible()
    check_a11y(page, "teacher-public")
    page.get_by_role("link", name="Our rivers, our future").click()
    expect(page.get_by_role("heading", name="Project diary")).to_be_visible()
    expect(page.get_by_role("heading", name="Comparing three rivers")).to_be_visible()
    check_a11y(page, "project-public")

    page.goto("/connect")
    page.get_by_label("Schools").check()
    page.get_by_label("Country").select_option(label="Finland")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Kallion lukio")).to_be_visible()
    results.get_by_role("link", name="Kallion lukio").click()
    expect(page.get_by_role("link", name="Aino Virtanen")).to_be_visible()
    check_a11y(page, "school-public")

    page.goto("/connect")
    page.get_by_label("Projects").check()
    page.get_by_label("Subject").select_option(label="Computing")
    expect(page.locator("#results").get_by_role("link",
                                                name="Coding with grandparents")).to_be_visible()
    check_a11y(page, "connect-projects")


def test_members_find_unlisted_teachers(page):
    log_in(page, "claire.dubois@demo.opentwin.eu")
    page.goto("/connect?q=ruiz")
    expect(page.locator("#results").get_by_role("link", name="Javier Ruiz")).to_be_visible()


def test_collaborate_kits_modules_and_gallery(page):
    page.goto("/collaborate")
    check_a11y(page, "collaborate")
    page.get_by_role("link", name="All project kits").click()
    page.get_by_label("Pupil ages").select_option(label="12 to 15 years")
    expect(page.get_by_role("link", name="Climate detectives")).to_be_visible()
    expect(page.get_by_role("link", name="Postcards from my town")).to_have_count(0)
    check_a11y(page, "kits")
    page.get_by_role("link", name="Climate detectives").click()
    expect(page.get_by_role("heading", name="Step by step")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the material")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_a11y(page, "kit")

    page.get_by_role("navigation", name="Portal").get_by_role("link",
                                                               name="Collaborate").click()
    page.get_by_role("link", name="Ice-breaker: two truths and a lie").click()
    check_a11y(page, "module")
    page.goto("/gallery")
    expect(page.get_by_role("link", name="Recipes across borders")).to_be_visible()
    expect(page.get_by_role("link", name="Coding with grandparents")).to_have_count(0)
    check_a11y(page, "gallery")


def test_teacher_registers_for_a_learning_event_and_a_full_one_refuses(new_page):
    page = new_page(timezone_id="Europe/Madrid")
    page.goto("/progress")
    check_a11y(page, "progress")
    page.get_by_role("link", name="Outdoor learning with partner schools").click()
    expect(page.get_by_role("link", name="Log in to register")).to_be_visible()
    # The page is sent in UTC (16:00); the browser shows it in the reader's zone.
    shown = page.locator("time").first.inner_text()
    assert re.search(r"(17:00|0?5:00\s?PM)", shown) and "UTC" not in shown, shown
    check_a11y(page, "learning-event-anonymous")
    page.get_by_role("link", name="Log in to register").click()
    page.get_by_label("E-mail address or username").fill("claire.dubois@demo.opentwin.eu")
    page.get_by_label("Password", exact=True).fill("opentwin-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Outdoor learning with partner schools")
    page.get_by_role("button", name="Register for this event").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered")
    expect(page.get_by_text("39 seats left")).to_be_visible()
    check_a11y(page, "learning-event-registered")
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("40 seats left")).to_be_visible()

    page.goto("/progress")
    page.get_by_role("link", name="Aprendizaje basado en proyectos").click()
    expect(page.get_by_text("This event is full")).to_be_visible()
    expect(page.get_by_role("button", name="Register for this event")).to_have_count(0)


def test_staff_keep_the_portal_current(new_page, tmp_path):
    css = new_page()
    log_in(css, "css@demo.opentwin.eu")
    css.get_by_role("link", name="Admin").first.click()
    css.get_by_role("link", name="Publications").click()
    check_a11y(css, "admin-publications")
    css.get_by_role("link", name="Add publication").click()
    css.get_by_label("Title").fill("Assessment in partner projects")
    css.get_by_label("Summary").fill("How to assess work done with another school.")
    pdf = tmp_path / "assessment.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% assessment\n%%EOF")
    css.get_by_label("Language of the PDF").select_option(label="Spanish")
    css.get_by_label("PDF file").set_input_files(str(pdf))
    check_a11y(css, "admin-publication-form")
    css.get_by_role("button", name="Add publication").click()
    expect(css.get_by_role("status")).to_contain_text("Added: Assessment in partner projects")
    css.goto("/discover")
    card = css.locator(".card", has_text="Assessment in partner projects")
    expect(card.get_by_label("Language")).to_have_value("es")

    # A wrong file is refused next to its field, and what was typed stays.
    css.goto("/admin/content/publications/new")
    css.get_by_label("Title").fill("Broken upload")
    css.get_by_label("Summary").fill("Keep me")
    fake = tmp_path / "fake.pdf"
    fake.write_text("<html>not a pdf</html>")
    css.get_by_label("PDF file").set_input_files(str(fake))
    css.get_by_role("button", name="Add publication").click()
    expect(css.locator("[data-error-summary]")).to_be_focused()
    expect(css.get_by_text("The file must be a PDF").first).to_be_visible()
    expect(css.get_by_label("Summary")).to_have_value("Keep me")
    check_a11y(css, "admin-publication-error")

    css.goto("/admin/content/learning-events/new")
    css.get_by_label("Title").fill("Storytelling with comics")
    css.get_by_label("Description").fill("Make a comic with your partner class.")
    start = (datetime.datetime.utcnow() + datetime.timedelta(days=10)).strftime(
        "%Y-%m-%dT16:00")
    css.get_by_label("Starts (UTC)").fill(start)
    css.get_by_label("Duration in minutes").fill("75")
    css.get_by_role("combobox", name="Language").select_option(label="English")
    css.get_by_label("Seats").fill("25")
    css.get_by_role("button", name="Add event").click()
    expect(css.get_by_role("status")).to_contain_text("Added: Storytelling with comics")
    css.goto("/progress")
    expect(css.get_by_role("link", name="Storytelling with comics")).to_be_visible()

    nss = new_page()
    log_in(nss, "nss.es@demo.opentwin.eu")
    nss.get_by_role("link", name="Noticias y eventos cerca de ti").click()
    nss.get_by_role("link", name=re.compile("Añadir")).click()
    nss.get_by_label("Título").fill("Premios nacionales de proyectos")
    rich_text(nss, "Texto").fill("Ya podéis presentar vuestros proyectos.")
    nss.get_by_role("button", name=re.compile("Añadir")).click()
    expect(nss.get_by_role("status")).to_contain_text("Premios nacionales de proyectos")
    check_a11y(nss, "admin-news-es")
    assert News.select().where(News.title == "Premios nacionales de proyectos").get().country \
        == "ES"

    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    expect(teacher.get_by_role("link", name="Premios nacionales de proyectos")).to_be_visible()
    teacher.get_by_role("link", name="Premios nacionales de proyectos").click()
    expect(teacher.get_by_text("Ya podéis presentar vuestros proyectos.")).to_be_visible()
    check_a11y(teacher, "near-you-es")
