"""Node types for steps that belong to one person."""

from viewflow.workflow import flow


class PersonalStep(flow.View):
    """A human task only its assigned owner may do; nobody can take it over.

    viewflow's View exposes assign/unassign URLs: the owner could unassign a task and
    anyone else allowed by the node could then assign it to themselves and open it.
    """

    assign_view_class = None
    unassign_view_class = None
    reassign_view_class = None

    def can_execute(self, user, task) -> bool:
        # viewflow compares task.owner (a query for the owner) with the user; the id will do.
        return bool(user is not None and user.is_authenticated and task.owner_id == user.pk)


class CitizenStep(PersonalStep):
    """A wizard step of the citizen who started the process."""


class InspectionStep(PersonalStep):
    """The visit: its inspector is the booked slot's. Another inspector takes it over only
    through the workspace (staff/assignment.py: claim within their districts, or a
    supervisor's reassignment), which moves the booked hour to them with the task."""
