"""Node types for citizens' steps."""

from viewflow.workflow import flow


class CitizenStep(flow.View):
    """A wizard step owned by the citizen who started the process.

    viewflow's View exposes assign/unassign URLs: the owner could unassign a step and
    another citizen could then assign it to themselves and open it. A citizen's step
    is never anyone else's, so those views do not exist here (404).
    """

    assign_view_class = None
    unassign_view_class = None
    reassign_view_class = None
