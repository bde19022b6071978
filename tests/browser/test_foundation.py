"""Issue 2 in a real browser: the home page, registering and confirming (P-6), the outbox,
resetting a password, the language switch (P-7), and each staff role's navigation.
Every page visited is checked with axe-core."""
import re

import pytest
from playwright.sync_api import expect

from models import OutboxMail
from services import demo
from tests.browser.conftest import check_a11y, snap

LABELS = {
    "en": {"register": "Register", "country": "Country", "spain": "Spain", "school": "School",
           "name": "Full name", "email": "E-mail address", "password": "Password",
           "history": "History", "ages": "12 to 15 years", "create": "Create my account",
           "problem": "There is a problem", "desk_heading": "Hello, Rosa Díaz",
           "confirm": "Confirm your e-mail address", "logout": "Log out",
           "login_id": "E-mail address or username", "login": "Log in"},
    "es": {"register": "Registrarse", "country": "País", "spain": "España",
           "school": "Centro educativo", "name": "Nombre completo",
           "email": "Correo electrónico", "password": "Contraseña", "history": "Historia",
           "ages": "De 12 a 15 años", "create": "Crear mi cuenta", "problem": "Hay un problema",
           "desk_heading": "Hola, Rosa Díaz", "confirm": "Confirma tu correo electrónico",
           "logout": "Cerrar sesión", "login_id": "Correo electrónico o nombre de usuario",
           "login": "Iniciar sesión"},
}


def log_in(page, identifier, password=demo.DEMO_PASSWORD, lang="en"):
    t = LABELS[lang]
    page.goto("/auth/login")
    page.get_by_label(t["login_id"]).fill(identifier)
    page.get_by_label(t["password"], exact=True).fill(password)
    page.get_by_role("button", name=t["login"]).click()


def log_out(page, label="Log out"):
    page.get_by_role("button", name=label).click()


def test_home_page_is_alive_and_accessible(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Schools working together across countries")
    teachers = page.locator(".figures div", has_text="Teachers").locator("dd")
    assert int(teachers.inner_text()) == len(demo.TEACHERS) + 1  # one waits for validation
    expect(page.get_by_role("heading", name="Countries taking part")).to_be_visible()
    expect(page.get_by_text("Ukraine")).to_be_visible()
    check_a11y(page, "home")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_teacher_registers_confirms_through_the_outbox_and_logs_back_in(new_page, lang):
    t = LABELS[lang]
    page = new_page()
    page.goto("/")
    if lang == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name="Cuenta" if lang == "es" else "Account") \
        .get_by_role("link", name=t["register"]).click()
    check_a11y(page, f"register-{lang}")

    page.get_by_label(t["country"]).select_option(label=t["spain"])
    # htmx fills the school list for the chosen country.
    page.get_by_label(t["school"], exact=True).select_option(
        label="IES Miguel de Cervantes — Alcalá de Henares")
    page.get_by_label(t["name"]).fill("Rosa Díaz")
    page.get_by_label(t["email"]).fill(f"rosa.{lang}@example.org")
    page.get_by_label(t["password"]).fill("short")
    page.get_by_role("checkbox", name=t["history"]).check()
    page.get_by_role("checkbox", name=t["ages"]).check()
    page.get_by_role("button", name=t["create"]).click()

    # Refused: the summary says what to fix, focus is on it, what was typed is kept.
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading")).to_have_text(t["problem"])
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    expect(page.get_by_label(t["name"])).to_have_value("Rosa Díaz")
    expect(page.get_by_role("checkbox", name=t["history"])).to_be_checked()
    expect(page.get_by_label(t["password"])).to_have_attribute("aria-invalid", "true")
    check_a11y(page, f"register-error-{lang}")

    page.get_by_label(t["password"]).fill("a long enough password")
    page.get_by_role("button", name=t["create"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["desk_heading"])
    expect(page.get_by_role("heading", name=t["confirm"])).to_be_visible()
    check_a11y(page, f"live-unconfirmed-{lang}")
    log_out(page, t["logout"])

    # Central staff read the outbox and follow the link, as the teacher would from the mail.
    admin = new_page()
    log_in(admin, "css@demo.opentwin.eu")
    admin.get_by_role("link", name="Admin").click()
    check_a11y(admin, "admin-css")
    admin.get_by_role("link", name="Mail outbox").click()
    check_a11y(admin, "outbox")
    admin.get_by_role("link", name=re.compile(f"rosa.{lang}@example.org")).first.click()
    check_a11y(admin, "outbox-mail")
    link = admin.get_by_role("link", name=re.compile(r"auth.confirm"))
    page.goto(link.inner_text())
    expect(page.get_by_role("status")).to_contain_text(f"rosa.{lang}@example.org")

    log_in(page, f"rosa.{lang}@example.org", "a long enough password", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["desk_heading"])
    expect(page.get_by_role("heading", name=t["confirm"])).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_forgotten_password_link_works_once(page):
    page.goto("/auth/login")
    page.get_by_role("link", name="I have forgotten my password").click()
    check_a11y(page, "forgot")
    page.get_by_label("E-mail address").fill("ana.garcia@demo.opentwin.eu")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_a11y(page, "forgot-sent")

    mail = OutboxMail.select().order_by(OutboxMail.id.desc()).get()
    link = re.search(r"https?://\S+", mail.body).group(0)
    page.goto(link)
    # Ana's account prefers Spanish, but this browser session chose nothing: English page.
    page.get_by_label("New password", exact=True).fill("my new password 2026")
    page.get_by_label("Confirm new password").fill("something else")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_label("Confirm new password")).to_have_attribute("aria-invalid", "true")
    check_a11y(page, "reset-error")
    page.get_by_label("New password", exact=True).fill("my new password 2026")
    page.get_by_label("Confirm new password").fill("my new password 2026")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")

    log_in(page, "ana.garcia@demo.opentwin.eu", "my new password 2026")
    # Ana's remembered preference is Spanish.
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Ana García")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("caducado")
    check_a11y(page, "reset-spent")


def test_language_switch_holds_across_pages(page):
    page.goto("/auth/login")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
    page.get_by_role("link", name="Registrarse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regístrate como docente")
    expect(page.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    check_a11y(page, "register-es-switched")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register as a teacher")


def test_staff_roles_see_different_navigation(new_page):
    nss = new_page()
    log_in(nss, "nss.es@demo.opentwin.eu")
    # Carmen prefers Spanish; her navigation names her country's support screen.
    main_nav = nss.get_by_role("navigation", name="Principal")
    expect(main_nav.get_by_role("link", name="Apoyo nacional")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Live")).to_have_count(0)
    expect(nss.get_by_role("heading", level=1)).to_have_text("Apoyo nacional: España")
    expect(nss.get_by_role("link", name="Buzón de salida")).to_have_count(0)
    check_a11y(nss, "admin-nss")
    nss.get_by_role("link", name="Personas en España").click()
    expect(nss.get_by_role("cell", name="Ana García")).to_be_visible()
    expect(nss.get_by_role("cell", name="Claire Dubois")).to_have_count(0)
    check_a11y(nss, "people-nss")

    css = new_page()
    log_in(css, "css@demo.opentwin.eu")
    main_nav = css.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Admin")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Live")).to_have_count(0)
    css.get_by_role("link", name="All people").click()
    expect(css.get_by_role("cell", name="Claire Dubois")).to_be_visible()
    # The role filter updates the list in place (htmx) and in the address bar.
    css.get_by_label("Role").select_option(label="National support staff")
    expect(css.get_by_role("cell", name="Claire Dubois")).to_have_count(0)
    expect(css.get_by_role("cell", name="Carmen Ortega (SNA España)")).to_be_visible()
    expect(css).to_have_url(re.compile(r"role=nss"))
    check_a11y(css, "people-css-filtered")

    teacher = new_page()
    log_in(teacher, "claire.dubois@demo.opentwin.eu")
    main_nav = teacher.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Live")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Admin")).to_have_count(0)
    check_a11y(teacher, "live-teacher")

    pupil = new_page()
    log_in(pupil, "lucia.perez")
    # A pupil lands in their space (issue 10.8); their account is one link away.
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Our rivers, year two")
    pupil.get_by_role("link", name="Tu cuenta").click()
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Tu cuenta")
    check_a11y(pupil, "account-student")


def test_keyboard_only_log_in(page):
    page.goto("/auth/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address or username")).to_be_focused()
    page.keyboard.type("claire.dubois@demo.opentwin.eu")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(demo.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Claire Dubois")
    # Focus is visible: the focused control gets an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    snap(page, "keyboard-focus")


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/auth/register")
        page.get_by_label("Country").select_option(label="Italy")
        page.get_by_role("button", name="Show schools in this country").click()
        page.get_by_label("School", exact=True).select_option(
            label="Liceo Scientifico Galileo Galilei — Firenze")
        page.get_by_label("Full name").fill("Paolo Neri")
        page.get_by_label("E-mail address").fill("paolo@example.org")
        page.get_by_label("Password").fill("a long enough password")
        page.get_by_role("checkbox", name="Music").check()
        page.get_by_role("checkbox", name="6 to 11 years").check()
        page.get_by_role("button", name="Create my account").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Paolo Neri")
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("status")).to_contain_text("You have logged out")
    finally:
        context.close()


def test_the_accessibility_check_catches_a_violation(page):
    """The axe helper itself can fail: an image without alt text is reported."""
    page.set_content('<html lang="en"><title>t</title><main><h1>x</h1>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_a11y(page)
