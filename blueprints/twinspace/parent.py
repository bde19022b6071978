"""The TwinSpace as a parent of the shared space: what only a project's space declares — its
words, its own navigation (diary, bulletin, public view, settings), the diary on its home
and in its export, and keeping the project's partners in step with the space's teachers."""
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from peewee import JOIN

from blueprints.spaces.parents import Hooks, NavEntry, SpaceParent
from models import DiaryPost, PartnerState, ProjectPartner, User, db
from services import notify, permissions, search


class ProjectHooks(Hooks):
    """The space's teachers are its project's partners, both ways."""

    def permanent_member_ids(self, space):
        return {space.project.founder_id} if space.project_id else set()

    def removal_problem(self, space, member):
        if space.project_id and space.project.founder_id == member.user_id:
            return _("%(name)s founded the project and stays in its space.",
                     name=member.user.name)
        return None

    def joined(self, space, user, role):
        from models import SpaceRole
        if space.project_id and role in SpaceRole.TEACHERS:
            ProjectPartner.get_or_create(project=space.project_id, user=user.id,
                                         defaults={"state": PartnerState.ACCEPTED})
            search.index_project(space.project)

    def left(self, space, member):
        from models import SpaceRole
        if space.project_id and member.role in SpaceRole.TEACHERS:
            (ProjectPartner.delete()
             .where(ProjectPartner.project == space.project_id,
                    ProjectPartner.user == member.user_id).execute())
            search.index_project(space.project)

    def invite(self, space, person, inviter):
        """Through the project: they join the space when they accept in Live."""
        project = space.project
        existing = ProjectPartner.get_or_none((ProjectPartner.project == project)
                                              & (ProjectPartner.user == person.id))
        if existing is not None and existing.state not in (PartnerState.DECLINED,
                                                           PartnerState.WITHDRAWN):
            return False, _("%(name)s is already in the project or invited.", name=person.name)
        with db.atomic():
            if existing:
                existing.state = PartnerState.INVITED
                existing.save()
            else:
                ProjectPartner.create(project=project, user=person, state=PartnerState.INVITED)
        notify.notify(current_app.config, person, "project_invitation",
                      f"project:{project.id}", "project_invitation",
                      url_for("live.project", project_id=project.id),
                      name=inviter.name, title=project.title)
        return True, _("Invitation sent to %(name)s. They join the space when they accept it "
                       "in Live.", name=person.name)

    def export_sections(self, space):
        """The whole diary, newest first, also the posts only members could read (the query
        runs only when the archive is built)."""
        from services.export import Section
        posts = (DiaryPost.select(DiaryPost, User)
                 .join(User, join_type=JOIN.LEFT_OUTER, on=(DiaryPost.author == User.id))
                 .where(DiaryPost.space == space)
                 .order_by(DiaryPost.published_at.desc(), DiaryPost.id.desc()))
        return [Section(
            name="diary.html", template="twinspace/export_diary.html",
            title=_l("Project diary"), link=_l("The project diary"),
            holds=_l("Every post of the project diary, newest first, also those only members "
                     "could read."),
            context={"posts": posts},
            count=lambda: ngettext("%(num)d post", "%(num)d posts", len(posts)))]

    def export_back(self, space):
        """The export is offered on the space's settings."""
        return url_for("twinspace.settings", space_id=space.id), _("Back to the settings")


def _home_context(space, membership):
    posts = (DiaryPost.select().where(DiaryPost.space == space)
             .order_by(DiaryPost.published_at.desc()).limit(5))
    return {"diary_posts": list(posts)}


def parent(blueprint):
    return SpaceParent(
        kind="twinspace",
        blueprint=blueprint,
        words={"word": _l("TwinSpace"), "plural": _l("TwinSpaces"),
               "in_this": _l("In this TwinSpace"), "mail": _l("TwinMail"),
               "mine": _l("My TwinSpaces"),
               "invite_hint": _l("The teacher is invited to the project; they join this space "
                                 "when they accept in Live.")},
        list_endpoint="twinspace.my_spaces",
        nav=[NavEntry(_l("Diary"), "diary", after="live"),
             NavEntry(_l("Teachers' bulletin"), "bulletin", rule=permissions.is_space_teacher,
                      after="mail"),
             NavEntry(_l("Public view"), "public_view", label_for_teachers=_l("See as public"),
                      after="mail"),
             NavEntry(_l("Settings"), "settings", rule=permissions.can_change_space_settings)],
        home_template="twinspace/_home.html",
        home_context=_home_context,
        hooks=ProjectHooks(),
        public_view=lambda space: bool(space.project_id and space.project.is_public),
    )
