"""Forums of a space (T-10; Groups reuse these views, G-4): the forums with their numbers and
latest message, the latest messages of the space and one's own, a forum's discussions, a
discussion's messages with a reply form (appended by htmx, a plain POST without it), editing
and deleting one's own message, and teachers hiding messages.

Everything is looked up through g.space: a forum, discussion or message of another space, or
of the partner-finding forums of Live (no space), answers 404, as if it did not exist.
Rules: services.permissions (can_read/post_in/add/moderate_space_forums, can_change_space_post).
"""
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import refuse, space_required
from blueprints.spaces.forum_forms import DiscussionForm, EditPostForm, ForumForm, ReplyForm
from extensions import htmx
from models import Discussion, Forum, Membership, Post, User
from services import forums as forum_service
from services import notify, permissions
from services.paging import Page
from web import EmptyForm, go, page_arg, render

PER_PAGE = forum_service.SPACE_POSTS_PER_PAGE
DISCUSSIONS_PER_PAGE = 20
REPLY_BOX = "reply-box"  # the region htmx swaps after a reply
readers = space_required(permissions.can_read_space_forums)


def _may(rule, *args):
    return rule(current_user, g.space, g.membership, *args)


def _forum_or_404(forum_id):
    return (Forum.get_or_none((Forum.id == forum_id) & (Forum.space == g.space))
            or abort(404))


def _discussion_or_404(discussion_id):
    row = (Discussion.select(Discussion, Forum)
           .join(Forum)
           .where(Discussion.id == discussion_id, Forum.space == g.space)
           .first())
    return row or abort(404)


def _post_or_404(post_id):
    row = (Post.select(Post, Discussion, Forum)
           .join(Discussion).join(Forum)
           .where(Post.id == post_id, Forum.space == g.space)
           .first())
    return row or abort(404)


def _post_url(post, page=None):
    page = page or forum_service.page_of_post(post, PER_PAGE)
    return (url_for(".discussion", discussion_id=post.discussion_id,
                    page=page if page > 1 else None) + f"#post-{post.id}")


# --- Lists ---------------------------------------------------------------------------------

@bp.route("/forums")
@readers
def forums():
    """The space's forums, each with its numbers of discussions and messages and the latest
    message (who, when, in which discussion)."""
    rows = forum_service.space_forums(g.space)
    return render("spaces/forums.html", forums=rows,
                  summaries=forum_service.space_forum_summaries(rows),
                  may_add=_may(permissions.can_add_space_forum))


def _post_list(heading, intro, query, tab):
    pagination = Page.of_query(query, page_arg(), per_page=PER_PAGE)
    return render("spaces/forum_posts.html", heading=heading, intro=intro,
                  pagination=pagination, tab=tab, endpoint=request.endpoint.rsplit(".", 1)[1],
                  moderator=_may(permissions.can_moderate_space_forums))


@bp.route("/forums/recent")
@readers
def forums_recent():
    """The latest messages across the space's forums, newest first."""
    return _post_list(_("Most recent messages"),
                      _("The newest messages in all the forums of this space."),
                      forum_service.space_posts(g.space), "recent")


@bp.route("/forums/mine")
@readers
def forums_mine():
    """My messages across the space's forums, newest first."""
    return _post_list(_("My latest messages"),
                      _("What you wrote in the forums of this space, newest first."),
                      forum_service.space_posts(g.space, author=current_user), "mine")


@bp.route("/forums/new", methods=["GET", "POST"])
@space_required(permissions.can_add_space_forum)
def forum_new():
    """Add a forum: teachers of the space."""
    form = ForumForm()
    if form.validate_on_submit():
        forum = forum_service.create_space_forum(g.space, current_user, title=form.title.data,
                                                 description=(form.description.data or "")
                                                 .strip())
        return go(url_for(".forum", forum_id=forum.id), _("The forum is added."))
    return render("spaces/forum_form.html", form=form)


@bp.route("/forums/<int:forum_id>")
@readers
def forum(forum_id):
    """A forum's discussions, latest activity first, with their numbers of messages."""
    item = _forum_or_404(forum_id)
    pagination = Page.of_query(forum_service.space_discussions(item), page_arg(),
                               per_page=DISCUSSIONS_PER_PAGE)
    return render("spaces/forum.html", forum=item, pagination=pagination,
                  latest=forum_service.latest_posts_of(pagination.items),
                  may_post=_may(permissions.can_post_in_space_forums))


@bp.route("/forums/<int:forum_id>/new", methods=["GET", "POST"])
@space_required(permissions.can_post_in_space_forums)
def discussion_new(forum_id):
    """Start a discussion: a title and the first message."""
    item = _forum_or_404(forum_id)
    form = DiscussionForm()
    if form.validate_on_submit():
        discussion = forum_service.start_space_discussion(item, current_user,
                                                          title=form.title.data,
                                                          body=form.body.data)
        return go(url_for(".discussion", discussion_id=discussion.id),
                  _("The discussion is started."))
    return render("spaces/discussion_new.html", form=form, forum=item)


# --- A discussion --------------------------------------------------------------------------

def _show(item, form, page=None, **extra):
    """The discussion page, or only its reply box when htmx asks for that region."""
    partial = bool(htmx) and htmx.target == REPLY_BOX
    pagination = None
    if not partial:
        pagination = Page.of_query(forum_service.discussion_posts(item),
                                   page or page_arg(), per_page=PER_PAGE)
        if not form.after.data:
            # What this page shows: htmx appends what follows it, if a reply lands here.
            form.after.data = str(pagination.items[-1].id) if pagination.items else "0"
            form.page.data = str(pagination.page)
    return render("spaces/discussion.html", partials={REPLY_BOX: "spaces/discussion_reply.html"},
                  item=item, forum=item.forum, pagination=pagination, form=form,
                  **extra, **_post_context())


def _post_context():
    moderator = _may(permissions.can_moderate_space_forums)
    return dict(moderator=moderator, may_reply=_may(permissions.can_post_in_space_forums),
                may_change=lambda post: _may(permissions.can_change_space_post, post),
                action_form=EmptyForm() if _may(permissions.can_hide_space_posts) else None)


@bp.route("/forums/discussions/<int:discussion_id>")
@readers
def discussion(discussion_id):
    """A discussion's messages in order, 20 a page, and the reply form."""
    return _show(_discussion_or_404(discussion_id), ReplyForm(formdata=None))


@bp.route("/forums/discussions/<int:discussion_id>/reply", methods=["POST"])
@space_required(permissions.can_post_in_space_forums)
def discussion_reply(discussion_id):
    """Reply. Without htmx: back to the new message on the last page. With htmx, on the
    page the writer was on: the new message (and any written meanwhile) is appended and
    the form comes back empty; else the browser goes to the new message's page."""
    item = _discussion_or_404(discussion_id)
    form = ReplyForm()
    after, seen_page = form.shown()
    if not form.validate_on_submit():
        return _show(item, form, page=seen_page or None)
    post = forum_service.add_space_reply(item, current_user, form.body.data)
    _tell_participants(item, post)
    page = forum_service.page_of_post(post, PER_PAGE)
    if not (htmx and htmx.target == REPLY_BOX) or page != seen_page or not after:
        return go(_post_url(post, page), _("Your reply is posted."))
    new_posts = list(forum_service.discussion_posts(item).where(Post.id > after))
    fresh = ReplyForm(formdata=None)
    fresh.after.data, fresh.page.data = str(post.id), str(page)
    total = Post.select().where(Post.discussion == item.id).count()
    return _show(item, fresh, new_posts=new_posts, posted=True, total=total)


def _tell_participants(discussion, post):
    """Everybody else who wrote in the discussion and is still a member of the space hears of
    the reply (notification "space_forum_reply", grouped per discussion)."""
    me = current_user._get_current_object()
    people = (User.select().join(Post, on=(Post.author == User.id))
              .join(Membership, on=((Membership.user == User.id)
                                    & (Membership.space == g.space.id)))
              .where(Post.discussion == discussion.id, User.id != me.id,
                     User.disabled == False)  # noqa: E712
              .distinct())
    title, link = discussion.title, url_for(".forum_post", post_id=post.id)
    for person in people:
        notify.notify(current_app.config, person, "space_forum_reply",
                      f"space-discussion:{discussion.id}", "space_forum_reply", link,
                      name=me.name, title=title)


# --- One message ---------------------------------------------------------------------------

@bp.route("/forums/posts/<int:post_id>")
@readers
def forum_post(post_id):
    """A message's place: its discussion, on the page it is on."""
    return go(_post_url(_post_or_404(post_id)))


@bp.route("/forums/posts/<int:post_id>/edit", methods=["GET", "POST"])
@readers
def forum_post_edit(post_id):
    """Change one's own message; it then shows "edited"."""
    post = _post_or_404(post_id)
    if not _may(permissions.can_change_space_post, post):
        refuse(permissions.can_change_space_post, post)
    form = EditPostForm(data={"body": post.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        forum_service.edit_space_post(post, form.body.data)
        return go(_post_url(post), _("Your message is saved."))
    return render("spaces/discussion_edit.html", form=form, post=post,
                  item=post.discussion, forum=post.discussion.forum)


@bp.route("/forums/posts/<int:post_id>/delete", methods=["GET", "POST"])
@readers
def forum_post_delete(post_id):
    """Delete one's own message, after a confirmation page. The first message of a
    discussion deletes the discussion (the page says so), and only if nobody replied."""
    post = _post_or_404(post_id)
    if not _may(permissions.can_change_space_post, post):
        refuse(permissions.can_change_space_post, post)
    item = post.discussion
    is_first = post.id == forum_service.first_post_id(item.id)
    has_replies = is_first and Post.select().where(Post.discussion == item.id).count() > 1
    form = EmptyForm()
    if has_replies:
        return render("spaces/discussion_delete.html", post=post, item=item,
                      forum=item.forum, is_first=True, has_replies=True, form=form,
                      status=409 if request.method == "POST" else 200)
    if form.validate_on_submit():
        try:
            gone = forum_service.delete_space_post(post)
        except forum_service.DiscussionHasReplies:  # somebody replied meanwhile
            return go(_post_url(post), _("Somebody replied meanwhile: the discussion stays."),
                      "error")
        if gone is not None:
            return go(url_for(".forum", forum_id=item.forum_id),
                      _("The discussion “%(title)s” is deleted.", title=item.title))
        return go(url_for(".discussion", discussion_id=item.id), _("Your message is deleted."))
    if request.method == "POST":
        abort(400)
    return render("spaces/discussion_delete.html", post=post, item=item, forum=item.forum,
                  is_first=is_first, has_replies=False, form=form)


@bp.route("/forums/posts/<int:post_id>/hide", methods=["POST"])
@space_required(permissions.can_hide_space_posts)
def forum_post_hide(post_id):
    """Hide a message from the members, or show it again (teachers)."""
    post = _post_or_404(post_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    hidden = request.form.get("hidden")
    if hidden not in ("1", "0"):
        abort(400)
    forum_service.set_post_hidden(post, hidden == "1")
    return go(_post_url(post), _("The message is hidden from the members.") if hidden == "1"
              else _("The message is shown again."))

