"""The pages, htmx fragments and editing pages bench/pageweight.py measures: paths of the
demo data (ids looked up after seeding), each with who looks at it (None: anonymous)."""


PAGES = [
    # (label, login or None, path)
    ("Home", None, "/"),
    ("Discover", None, "/discover"),
    ("Connect", None, "/connect?q=rossi"),
    ("Teacher profile", None, "/teachers/5"),
    ("Project", None, "/projects/1"),
    ("Collaborate", None, "/collaborate"),
    ("Kits", None, "/kits"),
    ("Gallery", None, "/gallery"),
    ("Progress", None, "/progress"),
    ("Learning event", None, "/learning-events/1"),
    ("Register", None, "/auth/register"),
    ("Log in", None, "/auth/login"),
    ("Forgotten password", None, "/auth/password/forgot"),
    ("Live desktop", "ana.garcia@demo.opentwin.eu", "/live/"),
    ("Your account", "lucia.perez", "/account/"),
    ("Admin (national)", "nss.es@demo.opentwin.eu", "/admin/"),
    ("People (central)", "css@demo.opentwin.eu", "/admin/people"),
    ("Mail outbox", "css@demo.opentwin.eu", "/admin/outbox"),
    ("Near you", "ana.garcia@demo.opentwin.eu", "/live/near-you"),
    ("Profile", "ana.garcia@demo.opentwin.eu", "/live/profile"),
    ("Edit profile", "ana.garcia@demo.opentwin.eu", "/live/profile/edit"),
    ("My projects", "ana.garcia@demo.opentwin.eu", "/live/projects/"),
    ("Project desk", "ana.garcia@demo.opentwin.eu", "/live/projects/1"),
    ("Mail", "ana.garcia@demo.opentwin.eu", "/live/mail"),
    ("Notifications", "ana.garcia@demo.opentwin.eu", "/live/notifications"),
    ("Events", "ana.garcia@demo.opentwin.eu", "/live/events"),
    ("Partner forums", "ana.garcia@demo.opentwin.eu", "/live/forums"),
    ("Reviews (national)", "nss.es@demo.opentwin.eu", "/admin/reviews"),
    ("Validation queue", "nss.es@demo.opentwin.eu", "/admin/validation"),
    ("Edit content", "css@demo.opentwin.eu", "/admin/content/publications/new"),
    ("Health", "css@demo.opentwin.eu", "/admin/health"),
    ("Audit log", "css@demo.opentwin.eu", "/admin/audit"),
    ("Delete account", "claire.dubois@demo.opentwin.eu", "/account/delete"),
    ("Delete project", "ana.garcia@demo.opentwin.eu", "/live/projects/1/delete"),
]

FRAGMENTS = [
    ("Schools of a country", None, "/auth/register?country=ES", "school-field"),
    ("People filtered", "css@demo.opentwin.eu", "/admin/people?role=teacher", "people-results"),
    ("Connect results", None, "/connect?q=garcia", "results"),
    ("Testimonials", None, "/discover?role=teacher", "testimonials"),
    ("Audit log filtered", "css@demo.opentwin.eu", "/admin/audit?action=group.approve",
     "audit-results"),
]

TEACHER = "ana.garcia@demo.opentwin.eu"


def space_pages():
    """The TwinSpace pages of the demo's running project (the one its browser tests write in),
    as its teacher (and the public view anonymously); paths use the ids the demo data got."""
    from models import Discussion, Forum, MailMessage, MailThread, Page, Post, Project, User
    from services.demo import LIVELY
    space = Project.get(Project.title == LIVELY).space
    page = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    forum = Forum.select().where(Forum.space == space).order_by(Forum.id).first()
    discussion = (Discussion.select().join(Forum).where(Forum.space == space)
                  .order_by(Discussion.id).first())
    ana = User.get(User.email == TEACHER)
    post = (Post.select().join(Discussion).join(Forum)
            .where((Forum.space == space) & (Post.author == ana)).order_by(Post.id).first())
    thread = (MailThread.select().join(MailMessage).where(MailThread.space == space)
              .order_by(MailThread.id).first())
    base = f"/twinspaces/{space.id}"
    return [
        ("Space home", TEACHER, f"{base}/"),
        ("Space pages", TEACHER, f"{base}/pages"),
        ("Space page", TEACHER, f"{base}/pages/{page.id}"),
        ("Page edit", TEACHER, f"{base}/pages/{page.id}/edit"),
        ("Page history", TEACHER, f"{base}/pages/{page.id}/history"),
        ("Insert material (noJS)", TEACHER, f"{base}/pages/{page.id}/insert"),
        ("Diary", TEACHER, f"{base}/diary"),
        ("New diary post", TEACHER, f"{base}/diary/new"),
        ("Space members", TEACHER, f"{base}/members"),
        ("Bulletin", TEACHER, f"{base}/bulletin"),
        ("Space settings", TEACHER, f"{base}/settings"),
        ("Public view (anon.)", None, f"{base}/public"),
        ("Materials", TEACHER, f"{base}/materials"),
        ("TwinMail", TEACHER, f"{base}/mail"),
        ("TwinMail compose", TEACHER, f"{base}/mail/new"),
        ("TwinMail thread", TEACHER, f"{base}/mail/{thread.id}"),
        ("Consent", TEACHER, f"{base}/consent"),
        ("Forums", TEACHER, f"{base}/forums"),
        ("New discussion", TEACHER, f"{base}/forums/{forum.id}/new"),
        ("Forum discussion", TEACHER, f"{base}/forums/discussions/{discussion.id}"),
        ("Edit a forum post", TEACHER, f"{base}/forums/posts/{post.id}/edit"),
        ("Space profile edit", TEACHER, f"{base}/profile/edit"),
        ("Chat and calls", TEACHER, f"{base}/live"),
    ]


def live_editing_pages():
    """Live's forms with a rich-text field (issue 14): mail compose and a thread's reply form,
    a new partner search and a discussion's reply form; ids looked up in the demo data."""
    from models import Discussion, Forum, MailMessage, MailRecipient, MailThread, User
    ana = User.get(User.email == TEACHER)
    thread = (MailThread.select().join(MailMessage).join(MailRecipient)
              .where(MailThread.space.is_null() & (MailRecipient.user == ana))
              .order_by(MailThread.id).first())
    discussion = (Discussion.select().join(Forum).where(Forum.space.is_null())
                  .order_by(Discussion.id).first())
    return [
        ("Mail compose", TEACHER, "/live/mail/new"),
        ("Mail thread (reply)", TEACHER, f"/live/mail/{thread.id}"),
        ("New partner search", TEACHER, f"/live/forums/{discussion.forum_id}/new"),
        ("Partner discussion", TEACHER, f"/live/forums/discussions/{discussion.id}"),
    ]


def space_fragments():
    from models import Page, Project
    from services.demo import LIVELY
    space = Project.get(Project.title == LIVELY).space
    page = Page.get((Page.space == space) & (Page.title == "Our river guide"))
    picker = f"/twinspaces/{space.id}/pages/materials-picker?page={page.id}"
    return [
        ("Material picker", TEACHER, picker, "picker-body"),
        ("Picker: images", TEACHER, picker + "&kind=image", "picker-results"),
    ]


MODERATOR = "marta.novoa@demo.opentwin.eu"  # runs the demo's open group
STAFF = "css@demo.opentwin.eu"


def group_pages():
    """Groups (issue 12): the directory, Live's Groups page, the request form, a group's home
    as a member and as its moderator (the checklist), its reports and settings, and central
    staff's queue, watch list and reports; paths use the ids the demo data got."""
    from models import Group, Space
    from services.demo_groups import FEATURED, OPEN
    featured = Space.get((Space.kind == "group") & (Space.title == FEATURED))
    music = Space.get((Space.kind == "group") & (Space.title == OPEN))
    pending = Group.get(Group.state == "pending")
    return [
        ("Group directory", None, "/progress/groups"),
        ("Groups (Live)", TEACHER, "/groups/"),
        ("Request a group", TEACHER, "/groups/new"),
        ("Group home (member)", TEACHER, f"/groups/{featured.id}/"),
        ("Group home (moderator)", MODERATOR, f"/groups/{music.id}/"),
        ("Group forum", MODERATOR, f"/groups/{music.id}/forums"),
        ("Group reports", MODERATOR, f"/groups/{music.id}/reports"),
        ("Group settings", MODERATOR, f"/groups/{music.id}/settings"),
        ("Group requests (staff)", STAFF, "/admin/groups"),
        ("A request (staff)", STAFF, f"/admin/groups/{pending.id}"),
        ("Watching groups", STAFF, "/admin/groups/watch"),
        ("All reports (staff)", STAFF, "/admin/reports"),
    ]


GROUP_FRAGMENTS = [
    ("Directory results", None, "/progress/groups?q=music", "group-results"),
    ("Similar groups", TEACHER, "/groups/similar?title=music+in+class", "similar"),
]
