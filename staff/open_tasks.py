"""The dashboards' open tasks: counted per node and owner at each summary refresh, read
per page view from those rows.

Counting them live grouped the task table's open tenth on every view of a dashboard: an
index-only scan of 750,000 entries (~120 ms) per transfer dashboard at 10,000,000 cases.
The refresh (staff.summary, every STAFF_SUMMARY_REFRESH_SECONDS and on the supervisor's
«به‌روزرسانی آمار») scans them once for everyone; the page says when that was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Count, ExpressionWrapper, F, IntegerField, Min, Q
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.prepared import PreparedRead
from workflows import flow_versions

from . import per_refresh, workdays
from .flows import nodes_of
from .models import OpenTaskCount, SlaTarget, SummaryRefresh
from .queries import OPEN_TASK_STATUSES


def open_tasks_of(flow_label: str, version: int | None = None):
    """Open tasks of one version of the flow, or of all its loaded versions when None."""
    # By node reference rather than the process's flow class: no join, one index range.
    return Task.objects.filter(status__in=OPEN_TASK_STATUSES,
                               flow_task__in=[n.ref for n in nodes_of(flow_label, version)])


@dataclass
class OpenNow:
    """The flow's open tasks as the dashboard shows them, from the last refresh."""

    waiting: dict[str, tuple[int, datetime.datetime]]  # node reference → (open, oldest)
    per_owner: dict[int, int]  # owner id → open tasks
    breaches: dict[str, int]  # node name (of the version asked for) → open past its SLA
    sla_days: dict[str, int]  # node name → working days allowed


def snapshot(today: datetime.date | None = None) -> None:
    """Count every flow's open tasks by node and owner, with those past their node's SLA,
    in one index-only scan per flow, and keep the counts (inside the refresh's transaction)."""
    today = today or timezone.localdate()
    rows = []
    for label in flow_versions.labels():
        rows += [OpenTaskCount(flow_label=label, node_ref=row["ref"], owner_id=row["owner_pk"],
                               open_tasks=row["n"], oldest=row["oldest"], late=row.get("late", 0))
                 for row in grouped_counts(label, today)]
    OpenTaskCount.objects.all().delete()
    OpenTaskCount.objects.bulk_create(rows, batch_size=1000)


def grouped_counts(flow_label: str, today: datetime.date):
    """Open tasks by node and owner: how many, the oldest's creation, how many late."""
    counted = {"n": Count("pk"), "oldest": Min("created")}
    late = _late(flow_label, today)
    if late is not None:
        counted["late"] = Count("pk", filter=late)
    # Read as text (the field would turn each reference back into its node), without a
    # cast: grouped by the bare columns, the groups come in the index's order, no sort.
    # (The owner as an expression too, so the GROUP BY lists the node first, as the index.)
    return (open_tasks_of(flow_label)
            .annotate(ref=ExpressionWrapper(F("flow_task"), output_field=CharField()),
                      owner_pk=ExpressionWrapper(F("owner_id"), output_field=IntegerField()))
            .values("ref", "owner_pk").order_by()
            .annotate(**counted))


def _late(flow_label: str, today: datetime.date) -> Q | None:
    """Open past the SLA of their node (by name, in every loaded version)."""
    targets = dict(SlaTarget.objects.filter(flow_label=flow_label)
                   .values_list("node_name", "working_days"))
    refs = [(node.ref, targets[node.name]) for node in nodes_of(flow_label)
            if node.name in targets]
    if not refs:
        return None
    holidays = workdays.holidays_between(today - datetime.timedelta(days=400), today)
    tz = timezone.get_current_timezone()
    late = Q()
    for ref, days in refs:
        cutoff = workdays.breach_cutoff(today, days, holidays) + datetime.timedelta(days=1)
        late |= Q(flow_task=ref, created__lt=datetime.datetime.combine(cutoff, datetime.time(), tz))
    return late


def open_now(flow_label: str, version: int | None = None,
             refresh: SummaryRefresh | None = None) -> OpenNow:
    """Waiting per node (every loaded version), load per owner and SLA breaches (of one
    version, the newest when None), as the last refresh counted them (summed once per
    `refresh`, the last SummaryRefresh: staff/per_refresh.py). The SLA targets are read
    each time: a clerk's change shows at once."""
    version = version or flow_versions.newest(flow_label).version
    refs = {n.name: n.ref for n in nodes_of(flow_label, version)}
    targets = {name: days for name, days in _TARGETS.rows(flow_label) if name in refs}
    waiting, per_owner, late_by_ref = per_refresh.kept(refresh, ("open", flow_label),
                                                       lambda: _summed(flow_label))
    breaches = {name: late_by_ref.get(refs[name], 0) for name in targets}
    return OpenNow(waiting, per_owner, breaches, targets)


def _summed(flow_label: str) -> tuple[dict, dict, dict]:
    """The refresh's counts of one flow per node, per owner, and late per node."""
    waiting: dict[str, tuple[int, datetime.datetime]] = {}
    per_owner: dict[int, int] = {}
    late_by_ref: dict[str, int] = {}
    for ref, owner_id, n, oldest, late in _COUNTS.rows(flow_label):
        counted, first = waiting.get(ref, (0, oldest))
        waiting[ref] = (counted + n, min(first, oldest))
        if owner_id is not None:
            per_owner[owner_id] = per_owner.get(owner_id, 0) + n
        late_by_ref[ref] = late_by_ref.get(ref, 0) + late
    return waiting, per_owner, late_by_ref


# A flow label no real call passes: it marks where each call's own goes in the compiled
# SQL of a prepared read (cases/prepared.py); the dashboard's reads use it too.
FLOW_STAND_IN = "\x00flow"

# Compiled once per process: every dashboard reads both.
_TARGETS = PreparedRead(
    lambda flow: SlaTarget.objects.filter(flow_label=flow).values_list("node_name", "working_days"),
    FLOW_STAND_IN)
_COUNTS = PreparedRead(
    lambda flow: OpenTaskCount.objects.filter(flow_label=flow).values_list(
        "node_ref", "owner_id", "open_tasks", "oldest", "late"),
    FLOW_STAND_IN)
