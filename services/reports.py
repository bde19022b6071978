"""Netiquette reports (G-8), the same for every kind of space: a member reports a forum
message, a page, a material or a chat line; those who run the space hide the content (it
stays in the database, for the record) or dismiss the report; the reporter hears the outcome.

Each kind of content is one `Target`: how to find it inside a space (anything of another
space is "not found"), who wrote it, its title and text, where it is shown, how to hide it.
No Flask request objects here; the rules are in services.permissions."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from models import (ChatMessage, Discussion, Forum, Material, Page, Post, Report, ReportKind,
                    ReportState, User, db, utcnow)
from services import forums as forum_service
from services import materials as material_service
from services import audit, notify, permissions
from services import pages as page_service
from services.sanitize import plain_text

EXCERPT = 300
REASON_MIN, REASON_MAX = 10, 1000


class ReportError(Exception):
    """A report that may not be made or handled: str(error) says why."""


@dataclass(frozen=True)
class Target:
    label: object               # what it is called ("Forum message")
    find: Callable              # (space, target_id) -> row or None (visible, not hidden)
    author_id: Callable         # row -> user id or None
    title: Callable             # row -> str
    text: Callable              # row -> plain text
    link: Callable              # row -> (endpoint of the shared space, values, anchor)
    hide: Callable              # row -> None
    visible: Callable           # (user, space, membership, row) -> whether the user sees it


def _find_post(space, target_id):
    return (Post.select(Post, Discussion).join(Discussion).join(Forum)
            .where(Post.id == target_id, Forum.space == space.id, Post.hidden == False)  # noqa: E712
            .first())


def _find_page(space, target_id):
    return Page.get_or_none((Page.id == target_id) & (Page.space == space.id)
                            & Page.archived_at.is_null())


def _find_material(space, target_id):
    return Material.get_or_none((Material.id == target_id) & (Material.space == space.id)
                                & Material.hidden_at.is_null())


def _find_chat(space, target_id):
    return ChatMessage.get_or_none((ChatMessage.id == target_id)
                                   & (ChatMessage.space == space.id)
                                   & ChatMessage.hidden_at.is_null()
                                   & ChatMessage.poll.is_null())


def _hide_material(material):
    Material.update(hidden_at=utcnow()).where(Material.id == material.id).execute()


def _hide_chat(message):
    ChatMessage.update(hidden_at=utcnow()).where(ChatMessage.id == message.id).execute()


def _material_visible(user, space, membership, material):
    return (permissions.can_see_material(user, space, membership, material)
            and material_service.is_listed(
                material, user.id, permissions.is_space_teacher(user, space, membership)))


TARGETS = {
    ReportKind.POST: Target(
        _l("Forum message"), _find_post, lambda p: p.author_id,
        lambda p: p.discussion.title, lambda p: plain_text(p.body) if p.is_html else p.body,
        lambda p: ("discussion", {"discussion_id": p.discussion_id,
                                  "page": _post_page(p)}, f"post-{p.id}"),
        lambda p: forum_service.set_post_hidden(p, True),
        lambda user, space, membership, p: permissions.can_read_space_forums(
            user, space, membership)),
    ReportKind.PAGE: Target(
        _l("Page"), _find_page, lambda p: p.created_by_id, lambda p: p.title,
        lambda p: plain_text(p.body), lambda p: ("page", {"page_id": p.id}, ""),
        page_service.archive, permissions.can_view_page),
    ReportKind.MATERIAL: Target(
        _l("Material"), _find_material, lambda m: m.created_by_id, lambda m: m.title,
        lambda m: m.description or m.alt_text,
        lambda m: ("material", {"material_id": m.id}, ""), _hide_material,
        _material_visible),
    ReportKind.CHAT: Target(
        _l("Chat message"), _find_chat, lambda m: m.author_id, lambda m: "",
        lambda m: m.body, lambda m: ("live", {}, f"msg-{m.id}"), _hide_chat,
        lambda user, space, membership, m: permissions.can_use_space_chat(
            user, space, membership)),
}
KIND_NAMES = {kind: target.label for kind, target in TARGETS.items()}
STATE_NAMES = {ReportState.OPEN: _l("Open"), ReportState.HIDDEN: _l("Content hidden"),
               ReportState.DISMISSED: _l("Dismissed")}


def _post_page(post):
    page = forum_service.page_of_post(post)
    return page if page > 1 else None


def find(kind, space, target_id, user, membership):
    """The content a member may report, or None (unknown kind, another space's, hidden,
    or not visible to them)."""
    target = TARGETS.get(kind)
    if target is None:
        return None
    row = target.find(space, target_id)
    if row is None or not target.visible(user, space, membership, row):
        return None
    return row


def is_own(kind, row, user):
    return TARGETS[kind].author_id(row) == user.id


def already_open(kind, row, user):
    return Report.select().where(Report.kind == kind, Report.target_id == row.id,
                                 Report.reporter == user.id,
                                 Report.state == ReportState.OPEN).exists()


def create(space, user, kind, row, reason, now=None):
    """Record a report (the caller checked the rules, see find/is_own/already_open)."""
    target = TARGETS[kind]
    if is_own(kind, row, user):
        raise ReportError(str(_l("You cannot report what you wrote yourself.")))
    if already_open(kind, row, user):
        raise ReportError(str(_l("You already reported this: the moderators have not "
                                 "decided yet.")))
    return Report.create(space=space.id, kind=kind, target_id=row.id, reporter=user.id,
                         reason=reason.strip(), title=(target.title(row) or "")[:200],
                         excerpt=plain_text(target.text(row) or "", EXCERPT),
                         created_at=now or utcnow())


def handle(report, decision, user, settings=None, note=""):
    """The moderator's decision on an open report: "hide" the content (and close every other
    open report on it) or "dismiss". The reporter(s) are told. Raises ReportError when the
    report was already handled."""
    if decision not in ("hide", "dismiss"):
        raise ReportError(str(_l("This action does not exist.")))
    now = utcnow()
    state = ReportState.HIDDEN if decision == "hide" else ReportState.DISMISSED
    with db.atomic():
        # Two moderators at once: the first write takes the row, the other then reads it
        # handled (see services.groups.act).
        Report.update(state=Report.state).where(Report.id == report.id).execute()
        fresh = Report.get_by_id(report.id)
        if fresh.state != ReportState.OPEN:
            raise ReportError(str(_l("This report was already handled.")))
        query = Report.select().where(Report.id == fresh.id)
        if decision == "hide":
            target = TARGETS[fresh.kind]
            row = target.find(fresh.space, fresh.target_id)
            if row is not None:
                target.hide(row)
            # Every open report on the same content has the same answer.
            query = Report.select().where(Report.space == fresh.space_id,
                                          Report.kind == fresh.kind,
                                          Report.target_id == fresh.target_id,
                                          Report.state == ReportState.OPEN)
        handled = list(query)
        (Report.update(state=state, handled_by=user.id, handled_at=now, note=note.strip())
         .where(Report.id.in_([r.id for r in handled])).execute())
        audit.record(user, f"report.{decision}", (fresh.kind, fresh.target_id, fresh.title),
                     detail=fresh.reason)
    if settings is not None:
        for item in handled:
            _tell_reporter(settings, item, state)
    report.__data__.update(Report.get_by_id(report.id).__data__)
    return report


def _tell_reporter(settings, report, state):
    from blueprints.spaces import parents
    if not report.reporter_id:
        return
    reporter = User.get_or_none(User.id == report.reporter_id)
    if reporter is None:
        return
    message = "report_hidden" if state == ReportState.HIDDEN else "report_dismissed"
    notify.notify(settings, reporter, "report_outcome", f"report:{report.id}", message,
                  parents.url_for_space(report.space, "home"), title=report.space.title)


def link(report):
    """(endpoint, values, anchor) of the reported content inside its space."""
    target = TARGETS[report.kind]
    row = _any_row(report)
    return target.link(row) if row is not None else None


def links(reports):
    """{report id: address of the reported content in its space, under the space's own
    parent}, for the reports whose content still exists."""
    from blueprints.spaces import parents
    found = {}
    for report in reports:
        where = link(report)
        if where:
            endpoint, values, anchor = where
            values = {k: v for k, v in values.items() if v is not None}
            found[report.id] = (parents.url_for_space(report.space, endpoint, **values)
                                + (f"#{anchor}" if anchor else ""))
    return found


def _any_row(report):
    """The reported content, hidden or not (None once deleted)."""
    model = {ReportKind.POST: Post, ReportKind.PAGE: Page, ReportKind.MATERIAL: Material,
             ReportKind.CHAT: ChatMessage}[report.kind]
    return model.get_or_none(model.id == report.target_id)


def of_space(space, state=None):
    query = (Report.select().where(Report.space == space.id)
             .order_by(Report.state != ReportState.OPEN, Report.created_at.desc()))
    if state:
        query = query.where(Report.state == state)
    return list(query.limit(200))


def open_count(space=None):
    query = Report.select().where(Report.state == ReportState.OPEN)
    if space is not None:
        query = query.where(Report.space == space.id)
    return query.count()


def everything(state=None, limit=200):
    """Every report of every space, newest first, for central staff."""
    from models import Space
    query = Report.select(Report, Space).join(Space).order_by(Report.created_at.desc())
    if state in ReportState.ALL:
        query = query.where(Report.state == state)
    return list(query.limit(limit))
