"""Demo Groups (G-1..G-8), so a newcomer sees every state: an active featured group, an open
group with discussions and pages (and a reported post waiting for its moderator), a request
waiting in central staff's queue, an idle group the monitoring flagged, and an
invitation-only group with a teacher asking to join."""
import datetime
import io

from PIL import Image, ImageDraw

from models import (Group, GroupInvitation, GroupInvitationKind, Membership, Role, SpaceRole,
                    User, utcnow)
from services import forums, groups, pages, reports, spaces, storage
from services.demo_portal import Upload

FEATURED = "Climate action in the classroom"
OPEN = "Music without borders"
PENDING = "Escape rooms for language learning"
IDLE = "Coding with Scratch for the youngest"
BY_INVITATION = "Teaching remembrance"


def _banner(colour, label):
    """A small drawn group image: the demo needs no camera."""
    image = Image.new("RGB", (640, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((440, 60, 600, 220), fill="#ffffff")
    draw.text((30, 30), label, fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return Upload(out.getvalue(), "group.png")


def _t(email):
    return User.get(User.email == email)


def _members(space, emails, role=SpaceRole.MEMBER):
    for email in emails:
        spaces.join(space, _t(email), role)


def seed_groups(upload_dir, settings=None):
    """Create the demo groups (once: the caller checks no group exists)."""
    css = User.get(User.role == Role.CSS)
    now = utcnow()
    giulia, aino = _t("giulia.rossi@demo.opentwin.eu"), _t("aino.virtanen@demo.opentwin.eu")
    marta, claire = _t("marta.novoa@demo.opentwin.eu"), _t("claire.dubois@demo.opentwin.eu")
    piotr, eleni = _t("piotr.nowak@demo.opentwin.eu"), _t("eleni.papadopoulou@demo.opentwin.eu")

    featured = groups.create(
        css, title=FEATURED, featured=True, moderators=[giulia, aino], is_open=True,
        description="Teachers of every subject share lessons, projects and data about the "
                    "climate, and plan actions with their pupils.",
        objectives="Share tested climate lessons; plan one school action per term; invite "
                   "scientists to online talks.",
        languages=["en", "fr", "it"], topics="climate, environment, citizenship, science",
        welcome="Welcome! Introduce yourself in the ice-breaker discussion and tell us which "
                "climate topic your pupils care about most.",
        logo_id=storage.save_image(_banner("#2e7d32", "Climate"), upload_dir, owner=css))
    _members(featured.space, ["ana.garcia@demo.opentwin.eu", "claire.dubois@demo.opentwin.eu",
                              "olena.kovalenko@demo.opentwin.eu",
                              "lukas.becker@demo.opentwin.eu"])
    forum = forums.create_space_forum(featured.space, giulia, title="General")
    ice = forums.start_space_discussion(
        forum, giulia, title="Introduce yourself",
        body="<p>Where do you teach, what do you teach, and one thing about your town?</p>")
    featured.ice_breaker_id = ice.id
    featured.save()
    forums.add_space_reply(ice, _t("ana.garcia@demo.opentwin.eu"),
                           "<p>Hola! Ana, languages and history in Madrid. Our river floods "
                           "more every year.</p>")
    forums.start_space_discussion(forum, aino, title="A school energy audit",
                                  body="<p>Has anyone run an energy audit with pupils? "
                                       "Ours starts in January.</p>")
    pages.create(featured.space, giulia, "Start here",
                 "<p>How the group works: one theme a month, a shared folder of lessons.</p>")
    pages.create(featured.space, giulia, "Lesson bank",
                 "<p>Tested lessons, by age range. Add yours as a material.</p>")

    music = groups.create(
        marta, title=OPEN, is_open=True,
        description="Songs, rhythms and instruments from our countries, for pre-school and "
                    "primary classes.",
        objectives="Swap one song a month with its lyrics and a video; record a joint "
                   "concert at the end of the year.",
        languages=["es", "en", "pt"], topics="music, pre-school, música, songs",
        welcome="¡Bienvenida, bienvenido! Share a song from your region in the forum.",
        logo_id=storage.save_image(_banner("#6a1b9a", "Music"), upload_dir, owner=marta))
    groups.act(music, "approve", css, settings=None)
    _members(music.space, ["ines.costa@demo.opentwin.eu", "claire.dubois@demo.opentwin.eu"])
    forum = forums.create_space_forum(music.space, marta, title="General")
    discussion = forums.start_space_discussion(
        forum, marta, title="A song from your region",
        body="<p>Ours: <em>Al pasar la barca</em>, a clapping song. Yours?</p>")
    forums.add_space_reply(discussion, _t("ines.costa@demo.opentwin.eu"),
                           "<p>From Lisbon: <em>Atirei o pau ao gato</em>!</p>")
    spam = forums.add_space_reply(discussion, claire,
                                  "<p>Buy cheap concert tickets on my website!!!</p>")
    # G-8: a member reported the advert; the moderator has not decided yet.
    reports.create(music.space, _t("ines.costa@demo.opentwin.eu"), "post", spam,
                   "An advert for a shop: nothing to do with the group.")
    pages.create(music.space, marta, "Our song calendar",
                 "<p>September: welcome songs. October: autumn. November: rain.</p>")
    pages.create(music.space, marta, "Instruments to make in class",
                 "<p>Shakers from bottles and rice; a drum from a tin.</p>")

    groups.create(
        claire, title=PENDING, is_open=True,
        description="Escape-room games that make pupils read, listen and speak in a foreign "
                    "language.",
        objectives="Collect ten ready-to-print escape rooms, by level (A1 to B2).",
        languages=["en", "fr"], topics="languages, games, escape room")

    idle = groups.create(
        piotr, title=IDLE, is_open=True,
        description="First steps in programming with Scratch for 6 to 9 year olds.",
        objectives="Share small Scratch projects and how to run them in class.",
        languages=["en", "pl"], topics="computing, coding, scratch, primary", now=now
        - datetime.timedelta(days=150))
    (Membership.update(created_at=now - datetime.timedelta(days=150))
     .where(Membership.space == idle.space_id).execute())  # nobody has come since
    groups.act(idle, "approve", css, settings=None, now=now - datetime.timedelta(days=148))
    groups.act(idle, "flag", None, now=now - datetime.timedelta(days=3))

    remembrance = groups.create(
        eleni, title=BY_INVITATION, is_open=False,
        description="History teachers preparing remembrance days with their classes.",
        objectives="Share sources, survivors' testimonies and visits, with care for pupils.",
        languages=["en", "el"], topics="history, remembrance, citizenship")
    groups.act(remembrance, "approve", css, settings=None)
    GroupInvitation.create(group=remembrance, user=_t("javier.ruiz@demo.opentwin.eu"),
                           kind=GroupInvitationKind.REQUEST,
                           message="I teach history too and would like to join.")
    return Group.select().count()
