"""Node types for steps that belong to one person."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.start import StartViewActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_started, task_started
from viewflow.workflow.status import STATUS

from cases.step_requirements import Requirement, require

from . import task_links
from .wizard import went_forward


class StepActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow 2.4's ViewActivation.create, with the link to the task before it
        written by the task's own INSERT (task_links.py)."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        task.scheduled = flow_task.calc_scheduled(activation)
        task_links.save_linked(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @Activation.status.super()
    def complete(self) -> None:
        """Refuse to leave the step forward while the case lacks what the step requires.

        Checked here, where every completion passes (the step's view, another view, the
        shell), not only in the page: raising rolls back the request's transaction."""
        node = self.flow_task
        if not (node.can_go_back and not went_forward(self)):
            require(self.process.case, node.requirements)
        super().complete.original()


class PersonalStep(flow.View):
    """A human task only its assigned owner may do; nobody can take it over.

    viewflow's View exposes assign/unassign URLs: the owner could unassign a task and
    anyone else allowed by the node could then assign it to themselves and open it.
    """

    activation_class = StepActivation
    assign_view_class = None
    unassign_view_class = None
    reassign_view_class = None

    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self.requirements: list[Requirement] = []
        self._scheduled: Callable | None = None

    def Requires(self, *checks: Requirement) -> PersonalStep:  # noqa: N802 — viewflow's style
        """What the case must hold before the flow takes it forward from this step."""
        self.requirements.extend(checks)
        return self

    def Schedule(self, when: Callable) -> PersonalStep:  # noqa: N802 — viewflow's style
        """When the step's work is due (a visit: its booked hour), kept in the task's
        `scheduled` column (viewflow's, used only by its timers) so a person's list is
        ordered and cut by an index; whatever moves that hour moves the column too."""
        self._scheduled = when
        return self

    def calc_scheduled(self, activation) -> datetime.datetime | None:
        return self._scheduled(activation) if self._scheduled is not None else None

    @property
    def can_go_back(self) -> bool:
        """Does the step's page offer گام قبلی (the flow then routes back, not on)?"""
        return getattr(getattr(self._view, "view_class", None), "can_go_back", False)

    def can_execute(self, user, task) -> bool:
        # viewflow compares task.owner (a query for the owner) with the user; the id will do.
        return bool(user is not None and user.is_authenticated and task.owner_id == user.pk)


class CitizenStep(PersonalStep):
    """A wizard step of the citizen who started the process: in the stepper, titled by
    its node's `.Annotation(title=...)`."""

    wizard_step = True
    lane = "citizen"


class InspectionStep(PersonalStep):
    """The visit: its inspector is the booked slot's. Another inspector takes it over only
    through the workspace (staff/assignment.py: claim within their districts, or a
    supervisor's reassignment), which moves the booked hour to them with the task."""

    lane = "inspector"


class LeanStartActivation(StartViewActivation):
    @Activation.status.super()
    def execute(self) -> None:
        """viewflow 2.4's, without its savepoint and without locking the process it has
        just inserted: no other transaction can see that row before this one commits, and
        the start page's own transaction rolls back whole on an error."""
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with transaction.atomic(savepoint=False):
            self.process.save()
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()


class Start(flow.Start):
    """A service's first page (its commitments): the process and case made together."""

    activation_class = LeanStartActivation
