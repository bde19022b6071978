"""Forums as plain Python: the partner-finding forums of Live (L-7) now, the forums of
TwinSpaces and Groups (T-10, G-4) later. No Flask request objects here.

A partner-finding forum is a Forum row with no space and a category: "age:<code>" for each
pupil age range of services.reference.AGE_RANGES, "programme:<code>" for each programme of
PROGRAMMES. Their names are shown from here, translated, never from the stored title.
A discussion's first post is what its author proposes; the later ones are replies.
"""
from flask_babel import lazy_gettext as _l
from peewee import JOIN, SQL, IntegrityError, fn

from models import Discussion, Forum, Post, User, db, utcnow
from services.reference import AGE_RANGES, CONTENT_LANGUAGES, SUBJECTS

PROGRAMMES = {
    "etwinning": _l("eTwinning"),
    "erasmus": _l("Erasmus+"),
}

PROGRAMME_DESCRIPTIONS = {
    "etwinning": _l("Online projects between schools: free, and no funding to apply for."),
    "erasmus": _l("Projects with funding and pupil exchanges: find partners for an "
                  "application."),
}

AGE_PREFIX, PROGRAMME_PREFIX = "age:", "programme:"

# What lists show of an author (never their password hash or session token).
AUTHOR_FIELDS = (User.id, User.name, User.country)


def age_category(code):
    return f"{AGE_PREFIX}{code}"


def programme_category(code):
    return f"{PROGRAMME_PREFIX}{code}"


def partner_categories():
    """Every partner-forum category, in the order the list shows them."""
    return ([age_category(code) for code in AGE_RANGES]
            + [programme_category(code) for code in PROGRAMMES])


def age_of(category):
    """The age range code of an age forum's category, else None."""
    if category and category.startswith(AGE_PREFIX) and category[len(AGE_PREFIX):] in AGE_RANGES:
        return category[len(AGE_PREFIX):]
    return None


def programme_of(category):
    if (category and category.startswith(PROGRAMME_PREFIX)
            and category[len(PROGRAMME_PREFIX):] in PROGRAMMES):
        return category[len(PROGRAMME_PREFIX):]
    return None


def forum_name(forum):
    """The name shown for a forum: translated for partner forums, the title otherwise."""
    category = getattr(forum, "category", forum)
    age = age_of(category)
    if age:
        return AGE_RANGES[age]
    programme = programme_of(category)
    if programme:
        return PROGRAMMES[programme]
    return getattr(forum, "title", category or "")


def forum_description(forum):
    category = getattr(forum, "category", forum)
    if age_of(category):
        return _l("Teachers whose pupils are this age look for partners here.")
    programme = programme_of(category)
    if programme:
        return PROGRAMME_DESCRIPTIONS[programme]
    return getattr(forum, "description", "")


def is_partner_forum(forum):
    """A partner-finding forum: no space, and one of the known categories."""
    return (forum is not None and forum.space_id is None
            and forum.category in partner_categories())


def ensure_partner_forums():
    """Create the partner forums that are missing (idempotent, safe when two requests race);
    return them in display order. One query when they all exist."""
    categories = partner_categories()
    found = {f.category: f for f in Forum.select().where(Forum.category.in_(categories),
                                                         Forum.space.is_null())}
    for category in categories:
        if category in found:
            continue
        try:
            with db.atomic():
                found[category] = Forum.create(category=category, title=category[:200])
        except IntegrityError:
            found[category] = Forum.get(Forum.category == category)
    return [found[c] for c in categories if found[c].space_id is None]


def forum_summaries(forums):
    """{forum id: (number of discussions, the newest discussion with its author)} for the
    given forums, in one query; forums with no discussion are left out."""
    ids = [f.id for f in forums]
    if not ids:
        return {}
    latest_ids = (Discussion.select(fn.MAX(Discussion.id))
                  .where(Discussion.forum.in_(ids))
                  .group_by(Discussion.forum))
    other = Discussion.alias("same_forum")
    total = other.select(fn.COUNT(other.id)).where(other.forum == Discussion.forum)
    rows = (Discussion
            .select(Discussion, *AUTHOR_FIELDS, total.alias("total"))
            .join(User, JOIN.LEFT_OUTER, on=(Discussion.author == User.id))
            .where(Discussion.id.in_(latest_ids)))
    return {d.forum_id: (d.total, d) for d in rows}


def reply_count():
    """An SQL expression: the visible replies of each row of a Discussion query (every
    post after the first, hidden ones left out)."""
    first = Post.alias("first_post")
    first_id = first.select(fn.MIN(first.id)).where(first.discussion == Discussion.id)
    return (Post.select(fn.COUNT(Post.id))
            .where((Post.discussion == Discussion.id) & (Post.hidden == False)  # noqa: E712
                   & (Post.id > first_id)))


def searches(forum, subject="", language=""):
    """The discussions of a forum with their authors and reply counts, newest activity
    first, filtered by subject and language codes. An unknown code matches nothing."""
    query = (Discussion
             .select(Discussion, *AUTHOR_FIELDS, reply_count().alias("replies"))
             .join(User, JOIN.LEFT_OUTER, on=(Discussion.author == User.id))
             .where(Discussion.forum == forum)
             .order_by(Discussion.last_post_at.desc(), Discussion.id.desc()))
    if subject:
        query = query.where(Discussion.subject == subject if subject in SUBJECTS else SQL("1 = 0"))
    if language:
        if language in CONTENT_LANGUAGES:
            # Codes are stored comma-separated; known codes are plain letters, no wildcards.
            query = query.where((Discussion.languages == language)
                                | Discussion.languages.startswith(language + ",")
                                | Discussion.languages.endswith("," + language)
                                | Discussion.languages.contains("," + language + ","))
        else:
            query = query.where(SQL("1 = 0"))
    return query


def posts_of(discussion):
    """The discussion's posts with their authors, oldest first: (first, visible replies).
    `first` is None when it was hidden; hidden posts are never returned."""
    posts = list(Post
                 .select(Post, *AUTHOR_FIELDS)
                 .join(User, JOIN.LEFT_OUTER, on=(Post.author == User.id))
                 .where(Post.discussion == discussion)
                 .order_by(Post.id))
    if not posts:
        return None, []
    first = None if posts[0].hidden else posts[0]
    return first, [p for p in posts[1:] if not p.hidden]


def start_discussion(forum, author, *, title, body, subject=None, age_range=None,
                     languages=(), starts_on=None, ends_on=None):
    """Open a discussion with its first post, in one transaction."""
    now = utcnow()
    with db.atomic():
        discussion = Discussion.create(
            forum=forum, author=author.id, title=title, subject=subject or None,
            age_range=age_range or None, languages=",".join(dict.fromkeys(languages)),
            starts_on=starts_on, ends_on=ends_on, created_at=now, last_post_at=now)
        Post.create(discussion=discussion, author=author.id, body=body, created_at=now)
    return discussion


def add_reply(discussion, author, body):
    """Add a post to a discussion and move its last activity."""
    now = utcnow()
    with db.atomic():
        post = Post.create(discussion=discussion, author=author.id, body=body, created_at=now)
        (Discussion.update(last_post_at=now)
         .where(Discussion.id == discussion.id).execute())
    discussion.last_post_at = now
    return post
