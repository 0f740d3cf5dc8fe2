"""An incident about one viewflow task: its subject and where it stands (case, flow, node).

Shared by the automatic-step runner and the ERROR-task watcher, so both name a task's
incident alike and a task has one active incident whichever of them saw it fail.
"""

from __future__ import annotations

from viewflow.workflow.models import Task

from cases.incidents import services as incidents
from cases.incidents.models import Incident
from cases.models import Case

from .models import CaseProcess


def incident_subject(task_id: int) -> str:
    return f"task:{task_id}"


def case_of(task: Task) -> Case | None:
    process = task.process
    if not isinstance(process, CaseProcess):  # a plain Task reads a plain Process
        process = getattr(process, "caseprocess", None)
    return getattr(process, "case", None)


def record_task_failure(kind: str, task: Task, error: str) -> Incident:
    """Open the task's incident, or count one more failure on it."""
    case = case_of(task)
    return incidents.record_failure(
        kind, incident_subject(task.pk), case=case, flow_label=case.service if case else "",
        node_name=task.flow_task.name, error=error)
