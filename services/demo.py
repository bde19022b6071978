"""Demo data for `flask seed-demo`: enough people and schools that no screen starts empty.

Each issue extends this with what it builds: the portal's content is in demo_portal.py, the
running TwinSpace's life in demo_spaces.py, the groups in demo_groups.py. All demo accounts share one password, printed by
`make run` on first start and listed in the README.
"""
import datetime
import io

from PIL import Image, ImageDraw

from models import BulletinPost, Membership, SpaceRole
from models import (Contact, ContactState, Event, EventKind, EventRegistration, Follow,
                    MailMessage, MailRecipient, MailThread, Notification, Validation)
from models import Folder, Forum, Group, Page, PageRevision
from models import (DiaryPost, PartnerState, Project, ProjectAgeRange, ProjectLanguage,
                    ProjectPartner, ProjectState, ProjectSubject, Publication, Role, School,
                    Space, SpaceKind, User, Visibility, db, utcnow)
from services import (accounts, demo_groups, demo_portal, demo_spaces, forums, pages, search,
                      spaces, storage)
from services.demo_portal import Upload
from services.sanitize import text_or_html

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

# A teacher who registered yesterday and waits for national staff (L-15).
WAITING = ("Nuno Almeida", "nuno.almeida@demo.opentwin.eu", "PT", "Escola Básica de Sintra")

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


def seed(upload_dir):
    """Create the demo accounts, schools and portal content; return a summary."""
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
        _publish_profiles()
        if not User.select().where(User.photo_id.is_null(False)).exists():
            _photos_and_languages(upload_dir)
        if not Project.select().exists():
            _projects()
        if not Publication.select().exists():
            demo_portal.seed_portal(upload_dir)
        if not Contact.select().exists():
            _live()
        if not Event.select().exists():
            _events_and_forums()
        if not Folder.select().exists():
            demo_spaces.seed_materials(upload_dir, Project.get(Project.title == LIVELY).space)
        if not Forum.select().where(Forum.space.is_null(False)).exists():
            demo_spaces.seed_life(Project.get(Project.title == LIVELY).space)
        if not Group.select().exists():
            demo_groups.seed_groups(upload_dir, None)
    search.reindex_all()
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


# Teachers who keep their profile to members; everyone else is listed in the portal.
UNLISTED = {"javier.ruiz@demo.opentwin.eu", "lukas.becker@demo.opentwin.eu"}
SCHOOL_PRIVATE = {"marta.novoa@demo.opentwin.eu", "eleni.papadopoulou@demo.opentwin.eu"}


def _publish_profiles():
    for user in User.teachers():
        if user.email in UNLISTED:
            continue
        levels = {"name": Visibility.PUBLIC}
        levels["school"] = (Visibility.MEMBERS if user.email in SCHOOL_PRIVATE
                            else Visibility.PUBLIC)
        levels.update(SHOWN_PUBLICLY.get(user.email, {}))
        user.set_visibility(levels)
        user.save()


# Profile photos and spoken languages, so people's search results (issue 10.16) show them:
# e-mail: (portrait colour or None, languages). Claire shows hers to everybody.
PHOTOS_AND_LANGUAGES = {
    "claire.dubois@demo.opentwin.eu": ("#8e7cc3", ["fr", "en", "es"]),
    "ana.garcia@demo.opentwin.eu": ("#e69138", ["es", "en"]),
    "olena.kovalenko@demo.opentwin.eu": ("#3d85c6", ["uk", "en", "pl"]),
    "giulia.rossi@demo.opentwin.eu": (None, ["it", "en"]),
}
SHOWN_PUBLICLY = {"claire.dubois@demo.opentwin.eu": {"photo": Visibility.PUBLIC,
                                                     "languages": Visibility.PUBLIC}}


def _portrait(colour, name):
    """A drawn head and shoulders with initials: demo profiles need no camera."""
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 50, 220, 170), fill="#f1c7a5")
    draw.ellipse((50, 190, 270, 420), fill="#ffffff")
    draw.text((12, 12), "".join(part[0] for part in name.split()[:2]), fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return Upload(out.getvalue(), "portrait.png")


def _photos_and_languages(upload_dir):
    for email, (colour, languages) in PHOTOS_AND_LANGUAGES.items():
        user = _teacher(email)
        user.set_languages(languages)
        if colour:
            user.photo_id = storage.save_image(_portrait(colour, user.name), upload_dir,
                                               owner=user.id).id
            user.save()


def _teacher(email):
    return User.get(User.email == email)


LIVELY = "Our rivers, year two"  # the running project whose TwinSpace the demo fills

PROJECTS = [
    # title, description, teachers, subjects, ages, languages, public, labelled, closed, diary
    ("Our rivers, our future",
     "Pupils in Spain, Italy and Poland measure the water of a river near their school, "
     "compare the results online and write a shared guide to keeping rivers clean.",
     ["ana.garcia", "giulia.rossi", "piotr.nowak"], ["environment", "biology"], ["12-15"],
     ["en", "es", "it"], True, True, True,
     [("First samples from the Henares", "Our class took its first water samples today and "
       "recorded temperature, pH and what lives under the stones."),
      ("Comparing three rivers", "The partner classes shared their data: the Arno is the "
       "warmest, the Vistula the clearest. Next: why?"),
      ("Our river guide is published", "The guide is ready in English, Spanish and Italian. "
       "Thank you to every family who came to the river day!")]),
    ("Recipes across borders",
     "A cookbook of family recipes from France and Portugal, written, illustrated and "
     "translated by the pupils, with the maths of scaling a recipe for a whole class.",
     ["claire.dubois", "ines.costa"], ["foreign_languages", "maths"], ["6-11"],
     ["fr", "pt", "en"], True, True, True,
     [("Grandmothers' recipes", "Every pupil brought a recipe from home. We voted for the "
       "twenty that go into the book."),
      ("The cookbook is printed", "Our cookbook has arrived from the printer: one copy for "
       "each family and one for each school library.")]),
    ("Coding with grandparents",
     "Pupils teach their grandparents to program small games; classes in Poland and "
     "Finland exchange the games and the stories behind them.",
     ["piotr.nowak", "aino.virtanen"], ["computing"], ["6-11", "12-15"], ["en", "pl", "fi"],
     True, False, False,
     [("The first workshop", "Twelve grandparents came to our computer room. By the end "
       "everybody had a cat walking across the screen.")]),
    ("Letters from Lviv",
     "Pen friends in Ukraine and Greece write to each other about their towns, in English.",
     ["olena.kovalenko", "eleni.papadopoulou"], ["foreign_languages", "history"], ["12-15"],
     ["en", "uk", "el"], False, False, False, []),
    # The river project goes on with new classes: its TwinSpace is the lively one (the
    # finished project's space is read-only, issue 10.1).
    (LIVELY,
     "New classes in Spain, Italy and Poland go back to their rivers: they measure again, "
     "compare with last year's guide and run the river day themselves.",
     ["ana.garcia", "giulia.rossi", "piotr.nowak"], ["environment", "biology"], ["12-15"],
     ["en", "es", "it"], True, False, False,
     [("A new year by the river", "New classes, the same rivers: our first samples of the "
       "year are in, and we compare them with last year's guide.")]),
]


def _projects():
    now = utcnow()
    for n, (title, description, teachers, subjects, ages, languages, public, labelled,
            closed, diary) in enumerate(PROJECTS):
        founder = _teacher(f"{teachers[0]}@demo.opentwin.eu")
        project = Project.create(
            title=title, description=description, founder=founder, is_public=public,
            state=ProjectState.CLOSED if closed else ProjectState.ACTIVE,
            label_awarded_at=now - datetime.timedelta(days=30 + n) if labelled else None,
            starts_on=(now - datetime.timedelta(days=300)).date(),
            ends_on=(now - datetime.timedelta(days=40)).date() if closed else None,
            closed_at=now - datetime.timedelta(days=40) if closed else None,
            created_at=now - datetime.timedelta(days=300 - n))
        space = Space.create(kind=SpaceKind.TWINSPACE, title=title, description=description,
                             project=project)
        if closed:
            spaces.close(space, project.closed_at)
        for handle in teachers:
            teacher = _teacher(f"{handle}@demo.opentwin.eu")
            ProjectPartner.create(project=project, state=PartnerState.ACCEPTED, user=teacher)
            Membership.create(space=space, user=teacher, role=SpaceRole.ADMIN
                              if teacher.id == founder.id else SpaceRole.TEACHER)
        for code in subjects:
            ProjectSubject.create(project=project, code=code)
        for code in ages:
            ProjectAgeRange.create(project=project, code=code)
        for code in languages:
            ProjectLanguage.create(project=project, code=code)
        for day, (post_title, body) in enumerate(diary):
            DiaryPost.create(space=space, author=founder, title=post_title,
                             body=f"<p>{body}</p>", is_public=True,
                             published_at=now - datetime.timedelta(days=200 - 60 * day - n))


def _live():
    """Contacts, follows, mail, notifications, an invitation, reviews waiting (issue 4)."""
    now = utcnow()
    ana, giulia, claire, piotr, olena = (_teacher(f"{h}@demo.opentwin.eu") for h in (
        "ana.garcia", "giulia.rossi", "claire.dubois", "piotr.nowak", "olena.kovalenko"))
    name, email, country, school_name = WAITING
    if User.by_login(email) is None:
        waiting = accounts.create_user(
            role=Role.TEACHER, name=name, email=email, country=country, confirmed=True,
            password_hash=ana.password_hash, subjects=["geography"], age_ranges=["6-11"],
            school=School.get(School.name == school_name))
        waiting.validation = Validation.PENDING
        waiting.save()
    Contact.create(requester=ana, addressee=giulia, state=ContactState.ACCEPTED,
                   responded_at=now)
    Contact.create(requester=piotr, addressee=giulia, state=ContactState.ACCEPTED,
                   responded_at=now)
    Contact.create(requester=claire, addressee=ana, state=ContactState.PENDING)
    Follow.create(follower=ana, followed=giulia)
    Follow.create(follower=ana, followed=piotr)
    thread = MailThread.create(subject="Rivers again next year?")
    # Mail is rich text: stored as the write path stores it (services/mailbox.deliver).
    first = MailMessage.create(thread=thread, sender=giulia, body=text_or_html(
        "Ciao Ana! My new class would love to repeat the river project. "
        "Shall we add a third school?"), created_at=now - datetime.timedelta(days=2))
    MailRecipient.create(message=first, user=ana, read_at=now)
    MailRecipient.create(message=first, user=giulia, read_at=now)
    reply = MailMessage.create(thread=thread, sender=ana, body=text_or_html(
        "¡Sí! Piotr's school in Kraków is interested too."),
        created_at=now - datetime.timedelta(days=1))
    MailRecipient.create(message=reply, user=giulia)
    MailRecipient.create(message=reply, user=ana, read_at=now)
    Notification.create(recipient=giulia, kind="message", subject_key=f"thread:{thread.id}",
                        text="1 new message from Ana García", link=f"/live/mail/{thread.id}",
                        message="message", params='{"name":"Ana García"}')
    # Put into words in whichever language Ana reads it (issue 10.7).
    Notification.create(recipient=ana, kind="contact_request",
                        subject_key="contact:demo", link="/live/contacts",
                        text="Claire Dubois quiere contactar contigo",
                        message="contact_request", params='{"name":"Claire Dubois"}')
    letters = Project.get(Project.title == "Letters from Lviv")
    ProjectPartner.create(project=letters, user=claire, state=PartnerState.INVITED)
    Notification.create(recipient=claire, kind="project_invitation",
                        subject_key=f"project:{letters.id}", link=f"/live/projects/{letters.id}",
                        text="Olena Kovalenko invites you to the project “Letters from Lviv”",
                        message="project_invitation",
                        params='{"name":"Olena Kovalenko","title":"Letters from Lviv"}')
    rivers = Project.get(Project.title == "Our rivers, our future")
    lively = Project.get(Project.title == LIVELY).space
    # The finished project's TwinSpace (read-only) keeps its guide, written before it closed.
    done = pages.create(rivers.space, ana, "Our river guide",
                        "How to keep a river clean, in ten steps the pupils of three schools "
                        "wrote.", view_rule="public")
    written = now - datetime.timedelta(days=50)
    Page.update(created_at=written, updated_at=written).where(Page.id == done.id).execute()
    PageRevision.update(created_at=written).where(PageRevision.page == done.id).execute()
    # Lucía is a pupil of Ana's class in the river project's TwinSpace.
    Membership.create(space=lively, user=User.by_login("lucia.perez"),
                      role=SpaceRole.STUDENT)
    BulletinPost.create(space=lively, author=giulia, body=text_or_html(
        "Reminder: the families' consent forms for the river day photos are due on Friday."))
    DiaryPost.create(space=lively, author=ana, title="Our class list for the river day",
                     body="<p>Groups: Lucía, Marcos and Sara measure the pH.</p>",
                     published_at=now - datetime.timedelta(days=10))
    guide = pages.create(lively, ana, "Our river guide",
                         "How to keep a river clean, in ten steps the pupils wrote.",
                         view_rule="public")
    pages.save(guide, giulia, "Our river guide",
               "How to keep a river clean, in ten steps the pupils of three schools wrote.",
               guide.version)
    pages.create(lively, ana, "Measuring day", "Groups, tools and the timetable.",
                 parent=guide, edit_rule="teachers_students")
    pages.create(lively, giulia, "Marking the guide", "How we assess the guide.",
                 view_rule="teachers")
    demo_portal.seed_reviews(rivers, ana, giulia, now)

def _events_and_forums():
    """Upcoming events and partner searches, so Live's lists start alive (L-5, L-7)."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    ana, giulia, claire, piotr = (_teacher(f"{h}@demo.opentwin.eu") for h in (
        "ana.garcia", "giulia.rossi", "claire.dubois", "piotr.nowak"))
    coding = Project.get(Project.title == "Coding with grandparents")
    webinar = Event.create(
        creator=ana, kind=EventKind.TRAINING, title="Bringing eTwinning to your staff room",
        description="An hour to share how we present projects to colleagues and families.",
        online=True, link="https://meet.example.org/opentwin-staffroom",
        starts_at=now + datetime.timedelta(days=9, hours=2),
        ends_at=now + datetime.timedelta(days=9, hours=3), timezone="Europe/Madrid", seats=30)
    EventRegistration.create(event=webinar, user=giulia)
    EventRegistration.create(event=webinar, user=claire)
    Event.create(
        creator=piotr, project=coding, kind=EventKind.PROJECT,
        title="Game show: grandparents present their games",
        description="The two classes meet online; every grandparent shows one game.",
        online=False, place="Szkoła Podstawowa nr 12, Kraków (and online from Helsinki)",
        starts_at=now + datetime.timedelta(days=16), timezone="Europe/Warsaw",
        ends_at=now + datetime.timedelta(days=16, hours=2), seats=None)
    by_category = {f.category: f for f in forums.ensure_partner_forums()}
    podcast = forums.start_discussion(
        by_category[forums.age_category("12-15")], claire,
        title="French class looks for a Spanish or Italian partner for a podcast",
        body="My pupils (13-14) want to record a monthly podcast with a partner class, "
             "each class speaking the other's language.",
        subject="foreign_languages", age_range="12-15", languages=["fr", "es", "it"])
    forums.add_reply(podcast, ana, "¡Hola Claire! My 3rd-year class would love to. "
                                  "Shall we talk next week?")
    forums.start_discussion(
        by_category[forums.programme_category("erasmus")], piotr,
        title="Erasmus+ school exchange on coding, spring 2027",
        body="We are looking for two schools for a short exchange of pupils aged 10-12.",
        subject="computing", age_range="6-11", languages=["en", "pl"])
