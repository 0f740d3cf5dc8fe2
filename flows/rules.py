"""What the flows' gateways route by and whom their tasks go to: one module for both."""

from __future__ import annotations

from collections.abc import Callable

from cases.appointments import services as appointments
from cases.models import District
from workflows.models import CaseProcess
from workflows.wizard import chosen_step


def is_citizen(user) -> bool:
    """Who may start a case: a logged-in citizen."""
    return user.is_authenticated and user.is_citizen


def visit_inspector(activation):
    """The inspector of the booked hour; None leaves the visit in the inspectors' queue."""
    appointment = appointments.current(activation.process.case)
    return appointment.slot.inspector if appointment else None


def visit_district(process) -> District | None:
    """The district whose inspectors may take the visit (viewflow's permission object):
    kept on the task, so the inspectors' queue is cut by district and age on the task
    table's own index instead of joining every open visit to its case's property."""
    # A new task's activation holds the flow's CaseProcess; viewflow's check of who may
    # take a task (can_assign) passes the task's plain Process, read with its case.
    case = (process if isinstance(process, CaseProcess) else process.caseprocess).case
    if case.property_id is None:
        return None
    return District(number=case.property.district_id)


def visit_hour(activation):
    """The booked hour of the case's visit; None when it has no live booking."""
    appointment = appointments.current(activation.process.case)
    return appointment.slot.starts_at if appointment else None


def registered(activation) -> bool:
    return activation.process.case.tracking_number is not None


def change_requested(step: str) -> Callable:
    """Did the citizen press «تغییر» beside `step` on the check-your-answers page?"""
    return lambda activation: chosen_step(activation) == step


def inspection_approved(activation) -> bool:
    return activation.process.case.inspection.approved
