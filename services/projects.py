"""A project's life that more than one screen changes: closing it (its founder, L-10) and
reopening it (national staff)."""
from models import PartnerState, ProjectPartner, ProjectState, db, utcnow
from services import search, spaces


def close(project):
    """Close the project (it ends today, if it was to end later) and make its TwinSpace
    read-only; invitations nobody answered are withdrawn."""
    with db.atomic():
        project.state, project.closed_at = ProjectState.CLOSED, utcnow()
        if not project.ends_on or project.ends_on > project.closed_at.date():
            project.ends_on = project.closed_at.date()
        project.save()
        spaces.close(project.space, project.closed_at)
        (ProjectPartner.update(state=PartnerState.WITHDRAWN)
         .where(ProjectPartner.project == project,
                ProjectPartner.state == PartnerState.INVITED)
         .execute())
    search.index_project(project)


def reopen(project):
    """Make a closed project run again, and its TwinSpace writable again."""
    with db.atomic():
        project.state, project.closed_at = ProjectState.ACTIVE, None
        project.save()
        spaces.reopen(project.space)
    search.index_project(project)
