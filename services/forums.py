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
    """Open a discussion with its first post, in one transaction. Partner-forum posts are
    rich text, like those of spaces: the body (the editor's HTML, or plain text) is stored
    cleaned (is_html True)."""
    now = utcnow()
    with db.atomic():
        discussion = Discussion.create(
            forum=forum, author=author.id, title=title, subject=subject or None,
            age_range=age_range or None, languages=",".join(dict.fromkeys(languages)),
            starts_on=starts_on, ends_on=ends_on, created_at=now, last_post_at=now)
        Post.create(discussion=discussion, author=author.id, body=_clean(body), is_html=True,
                    created_at=now)
    return discussion


def add_reply(discussion, author, body):
    """Add a post (rich text, cleaned here) to a discussion and move its last activity."""
    now = utcnow()
    with db.atomic():
        post = Post.create(discussion=discussion, author=author.id, body=_clean(body),
                           is_html=True, created_at=now)
        (Discussion.update(last_post_at=now)
         .where(Discussion.id == discussion.id).execute())
    discussion.last_post_at = now
    return post


# --- Forums of a space (T-10; Groups reuse them, G-4) --------------------------------------
# A space's forum is a Forum row with its space set and no category. Its posts are rich text:
# the body is stored cleaned by services.sanitize (is_html True) and shown inside hx-disable.
# Hidden posts (hidden by a teacher) count nowhere: not in the numbers, never as "latest".

SPACE_POSTS_PER_PAGE = 20


def _clean(body):
    from services.sanitize import text_or_html
    return text_or_html(body)


def space_forums(space):
    """The forums of a space, oldest first (the order they were added in)."""
    return list(Forum.select().where(Forum.space == space).order_by(Forum.id))


def space_forum_summaries(forum_list):
    """{forum id: {"discussions": n, "posts": n, "latest": Post or None}} in three queries,
    whatever the number of forums. `latest` is the newest visible post, with its author
    and its discussion."""
    ids = [f.id for f in forum_list]
    result = {i: {"discussions": 0, "posts": 0, "latest": None} for i in ids}
    if not ids:
        return result
    for forum_id, count in (Discussion.select(Discussion.forum, fn.COUNT(Discussion.id))
                            .where(Discussion.forum.in_(ids))
                            .group_by(Discussion.forum).tuples()):
        result[forum_id]["discussions"] = count
    visible = (Post.select(Discussion.forum, fn.COUNT(Post.id), fn.MAX(Post.id))
               .join(Discussion)
               .where(Discussion.forum.in_(ids), Post.hidden == False)  # noqa: E712
               .group_by(Discussion.forum).tuples())
    latest_ids = []
    for forum_id, count, latest_id in visible:
        result[forum_id]["posts"] = count
        latest_ids.append(latest_id)
    if latest_ids:
        for post in _posts_with_context().where(Post.id.in_(latest_ids)):
            result[post.discussion.forum_id]["latest"] = post
    return result


def _posts_with_context():
    """Posts with their author (maybe gone), discussion and forum, in one query."""
    return (Post.select(Post, Discussion, Forum, *AUTHOR_FIELDS)
            .join(Discussion).join(Forum)
            .switch(Post)
            .join(User, JOIN.LEFT_OUTER, on=(Post.author == User.id)))


def space_discussions(forum):
    """The discussions of a space's forum, latest activity first, with their author and the
    number of visible posts (for a paginated list; see latest_posts_of for the rest)."""
    visible = (Post.select(fn.COUNT(Post.id))
               .where((Post.discussion == Discussion.id) & (Post.hidden == False)))  # noqa: E712
    return (Discussion
            .select(Discussion, *AUTHOR_FIELDS, visible.alias("posts"))
            .join(User, JOIN.LEFT_OUTER, on=(Discussion.author == User.id))
            .where(Discussion.forum == forum)
            .order_by(Discussion.last_post_at.desc(), Discussion.id.desc()))


def latest_posts_of(discussions):
    """{discussion id: its newest visible post, with the author}, in one query."""
    ids = [d.id for d in discussions]
    if not ids:
        return {}
    newest = (Post.select(fn.MAX(Post.id))
              .where(Post.discussion.in_(ids), Post.hidden == False)  # noqa: E712
              .group_by(Post.discussion))
    rows = (Post.select(Post, *AUTHOR_FIELDS)
            .join(User, JOIN.LEFT_OUTER, on=(Post.author == User.id))
            .where(Post.id.in_(newest)))
    return {p.discussion_id: p for p in rows}


def space_posts(space, author=None):
    """Posts across a space's forums, newest first, with author, discussion and forum:
    the visible ones, or every post of `author` (their hidden ones too, marked as such)."""
    query = _posts_with_context().where(Forum.space == space).order_by(Post.id.desc())
    if author is not None:
        return query.where(Post.author == author.id)
    return query.where(Post.hidden == False)  # noqa: E712


def discussion_posts(discussion):
    """Every post of a discussion with its author, oldest first (to paginate)."""
    return (Post.select(Post, *AUTHOR_FIELDS)
            .join(User, JOIN.LEFT_OUTER, on=(Post.author == User.id))
            .where(Post.discussion == discussion)
            .order_by(Post.id))


def first_post_id(discussion_id):
    return (Post.select(fn.MIN(Post.id)).where(Post.discussion == discussion_id).scalar())


def page_of_post(post, per_page=SPACE_POSTS_PER_PAGE):
    """The page of its discussion a post is on (1-based)."""
    before = (Post.select().where(Post.discussion == post.discussion_id, Post.id <= post.id)
              .count())
    return max(1, (before + per_page - 1) // per_page)


def create_space_forum(space, author, *, title, description=""):
    return Forum.create(space=space, title=title, description=description or "",
                        created_by=author.id)


def start_space_discussion(forum, author, *, title, body):
    """Open a discussion in a space's forum with its first post (rich text, cleaned here)."""
    now = utcnow()
    with db.atomic():
        discussion = Discussion.create(forum=forum, author=author.id, title=title,
                                       created_at=now, last_post_at=now)
        Post.create(discussion=discussion, author=author.id, body=_clean(body), is_html=True,
                    created_at=now)
    return discussion


def add_space_reply(discussion, author, body):
    """A reply in a space's forum (rich text, cleaned here); moves the last activity."""
    now = utcnow()
    with db.atomic():
        post = Post.create(discussion=discussion, author=author.id, body=_clean(body),
                           is_html=True, created_at=now)
        (Discussion.update(last_post_at=now)
         .where(Discussion.id == discussion.id).execute())
    discussion.last_post_at = now
    return post


def edit_space_post(post, body):
    post.body = _clean(body)
    post.is_html = True
    post.edited_at = utcnow()
    post.save(only=[Post.body, Post.is_html, Post.edited_at])
    return post


def set_post_hidden(post, hidden):
    post.hidden = bool(hidden)
    post.save(only=[Post.hidden])
    return post


class DiscussionHasReplies(Exception):
    """The first post of a discussion with replies cannot be deleted (it would take the
    replies with it)."""


def delete_space_post(post):
    """Delete a post. The first post of a discussion deletes the discussion, and only when
    nobody replied (else DiscussionHasReplies). Returns the deleted discussion or None."""
    with db.atomic():
        if post.id == first_post_id(post.discussion_id):
            if Post.select().where(Post.discussion == post.discussion_id).count() > 1:
                raise DiscussionHasReplies()
            discussion = Discussion.get_by_id(post.discussion_id)
            discussion.delete_instance(recursive=True)
            return discussion
        post.delete_instance()
        newest = (Post.select(fn.MAX(Post.created_at))
                  .where(Post.discussion == post.discussion_id).scalar())
        if newest is not None:
            (Discussion.update(last_post_at=newest)
             .where(Discussion.id == post.discussion_id).execute())
    return None


RIVER_TALK = (
    "Hello everybody! Where shall we walk on our river day? Tell us your favourite spot by "
    "the water and why you like it.",
    "We like the old bridge: you can see fish from it, and there is room for the whole "
    "class to measure the water.",
    "Our class votes for the meadow near the mill. The water is slow there, so it is safe "
    "to take samples, and we can draw the birds.",
    "Great ideas! Let us bring our notebooks, a thermometer and a map, and compare what we "
    "find in both towns.",
)


def seed_space_forums(space, people):
    """Demo data: one forum in `space`, started by people[0] (a teacher), with a discussion
    and a reply from each of the next people in turn (people[0] again when few are given).
    Returns the forum."""
    people = list(people)
    starter = people[0]
    forum = create_space_forum(space, starter, title="Our river project",
                               description="Plans, questions and ideas about the river.")
    discussion = start_space_discussion(forum, starter, title="Where shall we walk?",
                                        body=RIVER_TALK[0])
    others = people[1:] or [starter]
    for n, text in enumerate(RIVER_TALK[1:]):
        author = starter if n == len(RIVER_TALK) - 2 else others[n % len(others)]
        add_space_reply(discussion, author, text)
    return forum
