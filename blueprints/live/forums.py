"""Live: partner-finding forums (L-7). A forum per pupil age range and per programme; teachers
post partner searches, others reply and contact the poster from there.

The forums, discussions and posts are those TwinSpace and Group forums will use (T-10, G-4):
here only forums with no space and a partner category are reachable; anything else is 404.
"""
from flask import abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from blueprints.errors import error_page
from blueprints.live import bp
from blueprints.live.forum_forms import ForumReplyForm, PartnerSearchForm
from models import Discussion, Forum, Notification, User, utcnow
from services import forums, notify, permissions
from services.paging import Page
from services.reference import AGE_RANGES, SUBJECTS, language_choices
from web import go, page_arg, render, require

PER_PAGE = 20


def _forum_or_404(forum_id):
    forum = Forum.get_or_none(Forum.id == forum_id)
    if not forums.is_partner_forum(forum):
        abort(404)
    return forum


def _discussion_or_404(discussion_id):
    row = (Discussion.select(Discussion, Forum, User)
           .join(Forum)
           .switch(Discussion)
           .join(User, on=(Discussion.author == User.id), join_type=JOIN.LEFT_OUTER)
           .where(Discussion.id == discussion_id)
           .first())
    if row is None or not forums.is_partner_forum(row.forum):
        abort(404)
    return row


def _refuse_writing():
    return error_page(403, _("Your account is waiting for validation"),
                      _("National support staff of your country check every new teacher. "
                        "Once they have, you can post partner searches and reply to them."))


def _locale():
    return str(get_locale())


@bp.route("/forums", endpoint="forums")
@require(permissions.can_use_partner_forums)
def forums_list():
    """Every partner forum, with how many partner searches it holds and the newest one."""
    rows = forums.ensure_partner_forums()
    summaries = forums.forum_summaries(rows)
    by_age = [f for f in rows if forums.age_of(f.category)]
    by_programme = [f for f in rows if forums.programme_of(f.category)]
    return render("live/forums.html", by_age=by_age, by_programme=by_programme,
                  summaries=summaries, forum_name=forums.forum_name,
                  forum_description=forums.forum_description)


def _filters():
    """The subject and language filters from the URL (kept short; unknown ones match
    nothing)."""
    return {"subject": (request.args.get("subject") or "").strip()[:32],
            "language": (request.args.get("language") or "").strip()[:8]}


@bp.route("/forums/<int:forum_id>")
@require(permissions.can_use_partner_forums)
def forum(forum_id):
    """The partner searches of one forum, newest activity first, filtered and paged."""
    item = _forum_or_404(forum_id)
    filters = _filters()
    pagination = Page.of_query(forums.searches(item, **filters), page_arg(), per_page=PER_PAGE)
    return render("live/forum.html", partials={"search-results": "live/_forum_results.html"},
                  forum=item, name=forums.forum_name(item), pagination=pagination,
                  filters=filters, pager_args={k: v for k, v in filters.items() if v},
                  subject_options=sorted(((c, str(n)) for c, n in SUBJECTS.items()),
                                         key=lambda p: p[1].casefold()),
                  language_options=language_choices(_locale()),
                  can_post=permissions.can_post_in_partner_forums(current_user))


@bp.route("/forums/<int:forum_id>/new", methods=["GET", "POST"])
@require(permissions.can_use_partner_forums)
def forum_new(forum_id):
    """Post a partner search: the title, what you propose, the subject, ages, languages and
    dates you look for."""
    item = _forum_or_404(forum_id)
    if not permissions.can_post_in_partner_forums(current_user):
        return _refuse_writing()
    fixed_age = forums.age_of(item.category)
    form = PartnerSearchForm(language_choices=language_choices(_locale()), fixed_age=fixed_age)
    if form.validate_on_submit():
        discussion = forums.start_discussion(
            item, current_user, title=form.title.data, body=form.body.data.strip(),
            subject=form.subject.data, age_range=fixed_age or form.age_range.data,
            languages=form.languages.data, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data)
        return go(url_for("live.discussion", discussion_id=discussion.id),
                  _("Your partner search is posted."))
    return render("live/forum_new.html", form=form, forum=item, name=forums.forum_name(item),
                  fixed_age=fixed_age)


@bp.route("/forums/discussions/<int:discussion_id>")
@require(permissions.can_use_partner_forums)
def discussion(discussion_id):
    """A partner search and its replies; the poster can be contacted from here."""
    item = _discussion_or_404(discussion_id)
    if item.author_id == current_user.id:
        # The replies are read: so is their notification.
        (Notification.update(read_at=utcnow())
         .where(Notification.recipient == current_user.id, Notification.kind == "forum_reply",
                Notification.subject_key == f"discussion:{item.id}",
                Notification.read_at.is_null())
         .execute())
    return _show(item, ForumReplyForm(formdata=None))


def _show(item, form):
    first, replies = forums.posts_of(item)
    poster = item.author if item.author_id else None
    return render("live/discussion.html", item=item, forum=item.forum,
                  name=forums.forum_name(item.forum), first=first, replies=replies,
                  poster=poster, form=form, AGE_RANGES=AGE_RANGES,
                  can_reply=permissions.can_post_in_partner_forums(current_user))


@bp.route("/forums/discussions/<int:discussion_id>/reply", methods=["POST"])
@require(permissions.can_use_partner_forums)
def discussion_reply(discussion_id):
    """Reply to a partner search; its poster is told."""
    item = _discussion_or_404(discussion_id)
    if not permissions.can_post_in_partner_forums(current_user):
        return _refuse_writing()
    form = ForumReplyForm()
    if not form.validate_on_submit():
        return _show(item, form)
    forums.add_reply(item, current_user, form.body.data.strip())
    poster = item.author if item.author_id else None
    if (poster is not None and poster.id != current_user.id and not poster.disabled
            and "forum_reply" in notify.KINDS):
        title = item.title
        notify.notify(current_app.config, poster, "forum_reply", f"discussion:{item.id}",
                      "forum_reply",
                      url_for("live.discussion", discussion_id=item.id) + "#latest",
                      title=title)
    return go(url_for("live.discussion", discussion_id=item.id) + "#latest",
              _("Your reply is posted."))
