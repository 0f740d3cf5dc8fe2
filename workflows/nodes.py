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


class CitizenStep(PersonalStep):
    """A wizard step of the citizen who started the process."""


class InspectionStep(PersonalStep):
    """The visit: its inspector is the booked slot's. Another inspector takes a visit
    over only through a new slot (rescheduling), never by picking up a dropped task."""
