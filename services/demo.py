"""Demo data for `flask seed-demo`: enough people and schools that no screen starts empty.

Each issue extends this with what it builds. All demo accounts share one password, printed by
`make run` on first start and listed in the README.
"""
from models import Role, School, User, db
from services import accounts

DEMO_PASSWORD = "opentwin-demo"

SCHOOLS = [
    # country, school, city
    ("ES", "IES Miguel de Cervantes", "Alcalá de Henares"),
    ("ES", "CEIP Rosalía de Castro", "Santiago de Compostela"),
    ("FR", "Collège Jules Verne", "Nantes"),
    ("IT", "Liceo Scientifico Galileo Galilei", "Firenze"),
    ("PL", "Szkoła Podstawowa nr 12", "Kraków"),
    ("PT", "Escola Básica de Sintra", "Sintra"),
    ("FI", "Kallion lukio", "Helsinki"),
    ("GR", "2nd Gymnasium of Thessaloniki", "Thessaloniki"),
    ("UA", "Lviv Lyceum No. 5", "Lviv"),
    ("DE", "Goethe-Gymnasium", "Leipzig"),
]

TEACHERS = [
    # name, e-mail, school index, subjects, age ranges, interface language
    ("Ana García", "ana.garcia@demo.opentwin.eu", 0, ["foreign_languages", "history"],
     ["12-15", "16-19"], "es"),
    ("Javier Ruiz", "javier.ruiz@demo.opentwin.eu", 0, ["maths", "physics"], ["16-19"], "es"),
    ("Marta Novoa", "marta.novoa@demo.opentwin.eu", 1, ["pre_school", "music"], ["0-5"], "es"),
    ("Claire Dubois", "claire.dubois@demo.opentwin.eu", 2, ["foreign_languages"],
     ["12-15"], "en"),
    ("Giulia Rossi", "giulia.rossi@demo.opentwin.eu", 3, ["biology", "environment"],
     ["16-19"], "en"),
    ("Piotr Nowak", "piotr.nowak@demo.opentwin.eu", 4, ["computing", "maths"], ["6-11"], "en"),
    ("Inês Costa", "ines.costa@demo.opentwin.eu", 5, ["art", "home_language"], ["6-11"], "en"),
    ("Aino Virtanen", "aino.virtanen@demo.opentwin.eu", 6, ["geography", "citizenship"],
     ["16-19"], "en"),
    ("Eleni Papadopoulou", "eleni.papadopoulou@demo.opentwin.eu", 7, ["history"],
     ["12-15"], "en"),
    ("Olena Kovalenko", "olena.kovalenko@demo.opentwin.eu", 8, ["foreign_languages", "art"],
     ["6-11", "12-15"], "en"),
    ("Lukas Becker", "lukas.becker@demo.opentwin.eu", 9, ["chemistry", "technology"],
     ["12-15", "16-19"], "en"),
]

STAFF = [
    (Role.NSS, "Carmen Ortega (SNA España)", "nss.es@demo.opentwin.eu", "ES"),
    (Role.NSS, "Marco Bianchi (NSS Italia)", "nss.it@demo.opentwin.eu", "IT"),
    (Role.CSS, "Central Support", "css@demo.opentwin.eu", None),
]

STUDENT = ("Lucía Pérez", "lucia.perez", "ES")

DEMO_LOGINS = [
    ("teacher (Spain)", "ana.garcia@demo.opentwin.eu"),
    ("national support staff (Spain)", "nss.es@demo.opentwin.eu"),
    ("central support staff", "css@demo.opentwin.eu"),
    ("student (username)", "lucia.perez"),
]


def seed():
    """Create the demo accounts and schools; return a summary of what exists."""
    password_hash = accounts.hash_password(DEMO_PASSWORD)
    with db.atomic():
        schools = [School.get_or_create(country=c, name=n, defaults={"city": city})[0]
                   for c, n, city in SCHOOLS]
        for name, email, school_index, subjects, ages, language in TEACHERS:
            school = schools[school_index]
            _ensure(role=Role.TEACHER, name=name, email=email, country=school.country,
                    school=school, subjects=subjects, age_ranges=ages, language=language,
                    password_hash=password_hash)
        for role, name, email, country in STAFF:
            _ensure(role=role, name=name, email=email, country=country,
                    password_hash=password_hash, language="es" if country == "ES" else "en")
        name, username, country = STUDENT
        _ensure(role=Role.STUDENT, name=name, username=username, country=country,
                school=schools[0], password_hash=password_hash, language="es")
    teachers = User.teachers()
    return {
        "teachers": teachers.count(),
        "schools": School.select().count(),
        "countries": len({u.country for u in teachers.select(User.country)}),
    }


def _ensure(**fields):
    login = fields.get("email") or fields.get("username")
    if User.by_login(login) is None:
        accounts.create_user(confirmed=True, validated=True, **fields)
