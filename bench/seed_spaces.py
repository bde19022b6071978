"""Scale data beyond people and projects: every project's TwinSpace with its members, light
content in one space in five, one busy space (the one the bench measures), groups, mail,
notifications, and 1 % of teachers waiting for validation.

The bench logs in as TEACHER (a member of the busy space, 40 other spaces and 10 groups, with
a full mailbox and 1,000 notifications) and as STAFF (central support staff).
"""
import json

from bench.seedkit import _insert, _timed

TEACHER = "teacher@bench.opentwin.eu"
STAFF = "css@bench.opentwin.eu"
PASSWORD = "bench-password-123"
BUSY_SPACE = "Rivers of Europe (the busy space)"
BUSY_PAGE = "Our river guide"
BUSY_ALBUM = "River photos"
BUSY_DISCUSSION = "Which river is the longest?"
BUSY_GROUP = "Music in class (the busy group)"

PARAGRAPH = ("<p>Our pupils measured the water of the river near the school every week and "
             "wrote down what they saw: the colour, the birds, the plastic on the banks. "
             "<strong>Partners compare</strong> their results in the table below.</p>")
TOPICS = ["music", "maths", "climate", "reading", "art", "coding", "history", "languages",
          "science", "sport", "inclusion", "theatre"]


def _last(model):
    """The highest id of a table so far (0 if empty): rows inserted next have higher ids."""
    from peewee import fn
    return model.select(fn.MAX(model.id)).scalar() or 0


def _ids(model, where=None):
    query = model.select(model.id).order_by(model.id)
    if where is not None:
        query = query.where(where)
    return [row_id for (row_id,) in query.tuples()]


def seed_world(db, rng, users, now, password_hash):
    """Everything after people and projects; `users` is [(id, country)] of the teachers."""
    from models import Role, User, Validation
    teacher_ids = [uid for uid, _ in users]

    def bench_accounts():
        common = dict(password_hash=password_hash, email_confirmed_at=now,
                      validation=Validation.VALIDATED, created_at=now, validated_at=now)
        public = {field: "public" for field in ("age_ranges", "country", "name", "school",
                                                 "subjects")}
        teacher = User.create(role=Role.TEACHER, email=TEACHER, name="Bianca Bench",
                              country="ES", listed_publicly=True, school=1,
                              profile_visibility=json.dumps(public, sort_keys=True), **common)
        staff = User.create(role=Role.CSS, email=STAFF, name="Bench Staff", **common)
        # 1 % of teachers wait for national staff (L-15): the validation queue.
        pending = teacher_ids[7::100]
        for start in range(0, len(pending), 5000):
            (User.update(validation=Validation.PENDING, validated_at=None)
             .where(User.id.in_(pending[start:start + 5000])).execute())
        return teacher.id, staff.id
    me, _staff = _timed("bench accounts, pending teachers", bench_accounts)

    spaces = _timed("twinspaces (+members)", _twinspaces, db, rng, me, now)
    _timed("light content (1 space in 5)", _light_content, db, rng, spaces[1::5], teacher_ids,
           now)
    _timed("busy space", _busy_space, db, rng, spaces[0], me, teacher_ids, now,
           password_hash)
    _timed("groups (+members, forums)", _groups, db, rng, me, teacher_ids, now)
    _timed("mail", _mail, db, rng, me, teacher_ids, now)
    _timed("notifications", _notifications, db, rng, me, teacher_ids, now)


def _twinspaces(db, rng, me, now):
    """A TwinSpace for each project (as the app makes one with the project), its accepted
    partners as members; the bench teacher joins the first 41 (admin of the first)."""
    from models import (Membership, PartnerState, Project, ProjectPartner, Space, SpaceKind,
                        SpaceRole)
    projects = list(Project.select(Project.id, Project.title, Project.description,
                                   Project.founder).order_by(Project.id).tuples())
    _insert(db, Space, [Space.kind, Space.title, Space.description, Space.project,
                        Space.created_at],
            [(SpaceKind.TWINSPACE, t, d, pid, now) for pid, t, d, _ in projects])
    space_of = dict(Space.select(Space.project, Space.id).where(Space.project.is_null(False))
                    .tuples())
    founder_of = {pid: founder for pid, _, _, founder in projects}
    rows = []
    for pid, uid in (ProjectPartner.select(ProjectPartner.project, ProjectPartner.user)
                     .where(ProjectPartner.state == PartnerState.ACCEPTED).tuples()):
        role = SpaceRole.ADMIN if founder_of[pid] == uid else SpaceRole.TEACHER
        rows.append((space_of[pid], uid, role, now))
    first = [pid for pid, *_ in projects[:41]]
    _insert(db, ProjectPartner, [ProjectPartner.project, ProjectPartner.user,
                                 ProjectPartner.state, ProjectPartner.created_at],
            [(pid, me, PartnerState.ACCEPTED, now) for pid in first])
    rows += [(space_of[pid], me, SpaceRole.ADMIN if i == 0 else SpaceRole.TEACHER, now)
             for i, pid in enumerate(first)]
    _insert(db, Membership, [Membership.space, Membership.user, Membership.role,
                             Membership.created_at], rows)
    Space.update(title=BUSY_SPACE).where(Space.id == space_of[first[0]]).execute()
    Project.update(title=BUSY_SPACE).where(Project.id == first[0]).execute()
    return [space_of[pid] for pid, *_ in projects]


def _pages(db, space_pages, now):
    """Pages, each with its revisions: space_pages is [(space, title, parent, revisions,
    author)]; returns the new pages' ids in order."""
    from models import Page, PageRevision
    before = _last(Page)
    _insert(db, Page, [Page.space, Page.title, Page.body, Page.parent, Page.position,
                       Page.version, Page.created_by, Page.created_at, Page.updated_at],
            [(s, t, PARAGRAPH * 4, parent, i, revs, author, now, now)
             for i, (s, t, parent, revs, author) in enumerate(space_pages)])
    ids = _ids(Page, Page.id > before)
    rows = []
    for page_id, (_, title, _, revs, author) in zip(ids, space_pages):
        rows += [(page_id, v, title, PARAGRAPH * 4, author, now) for v in range(1, revs + 1)]
    _insert(db, PageRevision, [PageRevision.page, PageRevision.version, PageRevision.title,
                               PageRevision.body, PageRevision.author,
                               PageRevision.created_at], rows)
    return ids


def _album(db, space_folders, n_images, owner, now):
    """An album in each space with n_images images (stored-file rows, no files on disk)."""
    from models import Folder, Material, MaterialKind, StoredFile
    last_folder = _last(Folder)
    _insert(db, Folder, [Folder.space, Folder.kind, Folder.title, Folder.created_by,
                         Folder.created_at],
            [(s, MaterialKind.IMAGE, title, owner, now) for s, title in space_folders])
    folders = _ids(Folder, Folder.id > last_folder)
    last_file = _last(StoredFile)
    total = len(folders) * n_images
    _insert(db, StoredFile, [StoredFile.sha256, StoredFile.size, StoredFile.content_type,
                             StoredFile.original_name, StoredFile.path, StoredFile.widths,
                             StoredFile.width, StoredFile.height, StoredFile.owner,
                             StoredFile.created_at],
            [(f"{i:064x}", 180000, "image/webp", f"river-{i}.jpg", f"bench/{i}", "160,480",
              1200, 800, owner, now) for i in range(total)])
    files = _ids(StoredFile, StoredFile.id > last_file)
    rows = []
    for n, (folder, (space, _)) in enumerate(zip(folders, space_folders)):
        for k in range(n_images):
            rows.append((space, folder, MaterialKind.IMAGE, f"The river, photo {k + 1}",
                         f"Pupils by the river, photo {k + 1}", files[n * n_images + k],
                         owner, now))
    _insert(db, Material, [Material.space, Material.folder, Material.kind, Material.title,
                           Material.alt_text, Material.file, Material.created_by,
                           Material.created_at], rows)
    return folders


def _forum(db, rng, spaces, discussions, posts, authors, now):
    """A forum in each space with `discussions` discussions of `posts` posts; returns the
    first discussion's id of each space."""
    from models import Discussion, Forum, Post
    last_forum = _last(Forum)
    _insert(db, Forum, [Forum.space, Forum.title, Forum.description, Forum.created_at],
            [(s, "Our forum", "Questions and answers between the classes.", now)
             for s in spaces])
    forums = _ids(Forum, Forum.id > last_forum)
    last = _last(Discussion)
    _insert(db, Discussion, [Discussion.forum, Discussion.author, Discussion.title,
                             Discussion.created_at, Discussion.last_post_at],
            [(f, rng.choice(authors), BUSY_DISCUSSION if d == 0 else f"Question {d + 1}",
              now, now) for f in forums for d in range(discussions)])
    ids = _ids(Discussion, Discussion.id > last)
    body = "<p>We found the same thing in our river. Our pupils wrote a short report.</p>"
    _insert(db, Post, [Post.discussion, Post.author, Post.body, Post.is_html,
                       Post.created_at],
            [(d, rng.choice(authors), body, True, now) for d in ids for _ in range(posts)])
    return ids[::discussions]


def _chat(db, rng, spaces, lines, authors, now):
    from models import ChatMessage
    words = ["Hello from Madrid!", "Our class is here", "Did you see the video?",
             "Yes, great work", "See you on Friday", "Thanks!"]
    _insert(db, ChatMessage, [ChatMessage.space, ChatMessage.author, ChatMessage.body,
                              ChatMessage.created_at],
            [(s, rng.choice(authors), rng.choice(words), now)
             for s in spaces for _ in range(lines)])


def _light_content(db, rng, spaces, teacher_ids, now):
    pages = []
    for s in spaces:
        pages += [(s, "Welcome", None, 2, None), (s, "Our schools", None, 2, None)]
    _pages(db, pages, now)
    _forum(db, rng, spaces, 1, 3, teacher_ids, now)
    _chat(db, rng, spaces, 20, teacher_ids, now)
    _album(db, [(s, "Our photos") for s in spaces], 4, None, now)


def _busy_space(db, rng, space, me, teacher_ids, now, password_hash):
    """The space the bench measures: 30 pupils, 40 pages (one with 200 revisions), an album
    of 400 images, 30 discussions (the first with 300 posts), 20,000 chat lines, a diary and
    a bulletin of 50 posts each."""
    from models import (BulletinPost, DiaryPost, Membership, Page, Post, Role, SpaceRole,
                        User)
    _insert(db, User, [User.role, User.username, User.name, User.password_hash,
                       User.session_token, User.country, User.language, User.created_at,
                       User.validation],
            [(Role.STUDENT, f"bench-pupil-{i}", f"Pupil {i + 1}", password_hash,
              f"bench-pupil-{i}", "ES", "es", now, "validated") for i in range(30)])
    pupils = _ids(User, User.username.startswith("bench-pupil-"))
    _insert(db, Membership, [Membership.space, Membership.user, Membership.role,
                             Membership.created_at],
            [(space, p, SpaceRole.STUDENT, now) for p in pupils])
    tops = _pages(db, [(space, BUSY_PAGE if i == 0 else f"Chapter {i + 1}", None,
                        200 if i == 0 else 3, me) for i in range(10)], now)
    _pages(db, [(space, f"Chapter {n + 1}, part {k + 1}", parent, 2, me)
                for n, parent in enumerate(tops) for k in range(3)], now)
    assert Page.get_by_id(tops[0]).title == BUSY_PAGE
    members = [me] + pupils + rng.sample(teacher_ids, 5)
    _album(db, [(space, BUSY_ALBUM)], 400, me, now)
    first = _forum(db, rng, [space], 30, 10, members, now)[0]
    _insert(db, Post, [Post.discussion, Post.author, Post.body, Post.is_html, Post.created_at],
            [(first, rng.choice(members), "<p>Our answer, with a photo of the river.</p>",
              True, now) for _ in range(290)])
    _chat(db, rng, [space], 20000, members, now)
    _insert(db, DiaryPost, [DiaryPost.space, DiaryPost.author, DiaryPost.title,
                            DiaryPost.body, DiaryPost.is_public, DiaryPost.published_at],
            [(space, me, f"Week {i + 1} by the river", PARAGRAPH, i % 2 == 0, now)
             for i in range(50)])
    _insert(db, BulletinPost, [BulletinPost.space, BulletinPost.author, BulletinPost.body,
                               BulletinPost.created_at],
            [(space, me, PARAGRAPH, now) for _ in range(50)])


def _groups(db, rng, me, teacher_ids, now):
    """One group per 600 teachers: most active, some waiting for staff or closed; members
    from a handful to 150, the busy group 5,000 (the bench teacher in it and 9 others)."""
    from models import (Group, GroupLanguage, GroupNote, GroupState, Membership, Space,
                        SpaceKind, SpaceRole)
    from services import group_search
    n = max(3, len(teacher_ids) // 600)
    last = _last(Space)
    titles = [BUSY_GROUP if i == 0 else f"{rng.choice(TOPICS).title()} teachers {i}"
              for i in range(n)]
    _insert(db, Space, [Space.kind, Space.title, Space.description, Space.created_at],
            [(SpaceKind.GROUP, t, "Teachers who share ideas and classroom practice.", now)
             for t in titles])
    spaces = _ids(Space, Space.id > last)
    states = [GroupState.ACTIVE if i < 11 or i % 20 not in (3, 4)
              else (GroupState.PENDING if i % 20 == 3 else GroupState.CLOSED)
              for i in range(n)]
    creators = [me if i == 1 else rng.choice(teacher_ids) for i in range(n)]
    _insert(db, Group, [Group.space, Group.creator, Group.state, Group.is_open,
                        Group.objectives, Group.topics, Group.featured, Group.created_at,
                        Group.submitted_at, Group.approved_at],
            [(s, c, st, True, "To share practice.", ", ".join(rng.sample(TOPICS, 2)),
              i < 3, now, now, now if st == GroupState.ACTIVE else None)
             for i, (s, c, st) in enumerate(zip(spaces, creators, states))])
    groups = dict(Group.select(Group.space, Group.id).tuples())
    _insert(db, GroupLanguage, [GroupLanguage.group, GroupLanguage.code],
            [(groups[s], code) for s in spaces for code in rng.sample(["en", "es", "fr"], 2)])
    _insert(db, GroupNote, [GroupNote.group, GroupNote.author, GroupNote.action,
                            GroupNote.created_at],
            [(groups[s], c, "submitted", now) for s, c in zip(spaces, creators)])
    rows = []
    for i, (s, creator) in enumerate(zip(spaces, creators)):
        size = 5000 if i == 0 else rng.randint(5, 150)
        people = set(rng.sample(teacher_ids, size)) - {creator, me}
        rows.append((s, creator, SpaceRole.MODERATOR, now))
        rows += [(s, p, SpaceRole.MEMBER, now) for p in people]
        if i in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10):
            rows.append((s, me, SpaceRole.MEMBER, now))
    _insert(db, Membership, [Membership.space, Membership.user, Membership.role,
                             Membership.created_at], rows)
    active = [s for s, st in zip(spaces, states) if st == GroupState.ACTIVE]
    _forum(db, rng, active, 2, 3, teacher_ids, now)
    _chat(db, rng, active[:50], 50, teacher_ids, now)
    group_search.reindex_groups()


def _mail(db, rng, me, teacher_ids, now):
    """One conversation per 4 teachers between two of them (each with the sender's read
    copy), and 400 to the bench teacher, 100 of them unread."""
    from models import MailMessage, MailRecipient, MailThread
    pairs = [(rng.choice(teacher_ids), rng.choice(teacher_ids))
             for _ in range(len(teacher_ids) // 4)]
    pairs = [(a, b) for a, b in pairs if a != b] + [(t, me) for t in teacher_ids[:400]]
    last = _last(MailThread)
    _insert(db, MailThread, [MailThread.subject, MailThread.created_at],
            [(f"Our project idea {i}", now) for i in range(len(pairs))])
    threads = _ids(MailThread, MailThread.id > last)
    last = _last(MailMessage)
    _insert(db, MailMessage, [MailMessage.thread, MailMessage.sender, MailMessage.body,
                              MailMessage.created_at],
            [(t, a, "<p>Hello! Would your class like to work with mine this year?</p>", now)
             for t, (a, _) in zip(threads, pairs)])
    messages = _ids(MailMessage, MailMessage.id > last)
    rows = []
    for n, (m, (a, b)) in enumerate(zip(messages, pairs)):
        unread = b == me and n % 4 == 0
        rows += [(m, a, "inbox", now), (m, b, "inbox", None if unread else now)]
    _insert(db, MailRecipient, [MailRecipient.message, MailRecipient.user,
                                MailRecipient.folder, MailRecipient.read_at], rows)


def _notifications(db, rng, me, teacher_ids, now):
    """Two (read) notifications per teacher, and 1,000 for the bench teacher, 200 unread."""
    from models import Notification
    params = json.dumps({"name": "Ana García"})
    rows = [(t, "message", f"thread:{t}-{k}", "message", params, "New message", "/live/mail",
             now, now, now) for t in teacher_ids for k in range(2)]
    rows += [(me, "message", f"thread:bench-{k}", "message", params, "New message",
              "/live/mail", now, now, None if k < 200 else now) for k in range(1000)]
    _insert(db, Notification, [Notification.recipient, Notification.kind,
                               Notification.subject_key, Notification.message,
                               Notification.params, Notification.text, Notification.link,
                               Notification.created_at, Notification.updated_at,
                               Notification.read_at], rows)
