"""The public activity of the teachers I follow (L-3), for the Live desktop."""
from flask import url_for
from flask_babel import gettext as _

from models import (DiaryPost, Follow, PartnerState, Project, ProjectPartner, Space, User)


class FeedItem:
    """One line of the feed: when it happened, what to say, where it leads."""
    __slots__ = ("when", "text", "link", "kind")

    def __init__(self, when, text, link, kind):
        self.when, self.text, self.link, self.kind = when, text, link, kind

    def __repr__(self):
        return f"<FeedItem {self.kind} {self.when:%Y-%m-%d} {self.text!r}>"


def feed_for(user, limit=10):
    """Newest first: public diary posts of the public projects the people `user` follows
    take part in, and the public projects they founded. Two queries."""
    followed = (Follow.select(Follow.followed)
                .join(User, on=(Follow.followed == User.id))
                .where(Follow.follower == user.id, User.disabled == False))  # noqa: E712
    their_projects = (ProjectPartner.select(ProjectPartner.project)
                      .where(ProjectPartner.user.in_(followed),
                             ProjectPartner.state == PartnerState.ACCEPTED))
    posts = (DiaryPost.select(DiaryPost.id, DiaryPost.title, DiaryPost.published_at,
                              Project.id, Project.title)
             .join(Space, on=(DiaryPost.space == Space.id))
             .join(Project, on=(Space.project == Project.id))
             .where(DiaryPost.is_public == True, Project.is_public == True,  # noqa: E712
                    Project.id.in_(their_projects))
             .order_by(DiaryPost.published_at.desc(), DiaryPost.id.desc())
             .limit(limit)
             .tuples())
    founded = (Project.select(Project.id, Project.title, Project.created_at, User.name)
               .join(User, on=(Project.founder == User.id))
               .where(Project.is_public == True, Project.founder.in_(followed))  # noqa: E712
               .order_by(Project.created_at.desc(), Project.id.desc())
               .limit(limit)
               .tuples())
    items = []
    for _post_id, title, when, project_id, project_title in posts:
        items.append(FeedItem(when, _("New in the diary of “%(project)s”: %(title)s",
                                      project=project_title, title=title),
                              url_for("portal.project", project_id=project_id), "diary"))
    for project_id, title, when, name in founded:
        items.append(FeedItem(when, _("%(name)s started the project “%(title)s”",
                                      name=name, title=title),
                              url_for("portal.project", project_id=project_id), "project"))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
