"""The dashboards' summary tables, brought up to date incrementally.

Each run reads only what happened since the previous run (finished tasks by
`finished`, timeline events by `at`) and adds it to per-day rows, so the dashboard
merges a few hundred small rows instead of scanning a million tasks.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import CaseEvent
from cases.prepared import PreparedInstances
from workflows import flow_versions

from . import open_tasks
from .flows import all_nodes, nodes_of
from .models import DailyCount, DistrictLoad, NodeWaitDay, SummaryRefresh

HOUR, DAY = 3600, 86400
# Upper edges (seconds) of the wait histogram's buckets; the last bucket is open.
BUCKET_EDGES = [
    300, 900, 1800, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY,
    4 * DAY, 5 * DAY, 6 * DAY, 7 * DAY, 10 * DAY, 14 * DAY, 21 * DAY, 30 * DAY, 45 * DAY,
    60 * DAY, 90 * DAY,
]
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
# A row's timestamp is taken before its transaction commits: a run that covered up to
# "now" would never see a row stamped just before it but committed just after (the next
# run reads only later stamps). Each run covers up to this long ago; the dashboard counts
# what came since live (dashboard.daily_counts), so nothing waits for it.
SETTLE = datetime.timedelta(seconds=120)
COUNTED_EVENTS = {"case_registered": "registered", "case_issued": "issued",
                  "case_cancelled": "cancelled"}


def bucket_of(seconds: float) -> int:
    return bisect.bisect_left(BUCKET_EDGES, seconds)


def percentile(histogram: list[int], fraction: float) -> int | None:
    """The bucket's upper edge (seconds) where `fraction` of the waits are reached."""
    total = sum(histogram)
    if not total:
        return None
    wanted, running = fraction * total, 0
    for index, count in enumerate(histogram):
        running += count
        if running >= wanted:
            return BUCKET_EDGES[index] if index < len(BUCKET_EDGES) else BUCKET_EDGES[-1] * 2
    return None


def last_refresh() -> SummaryRefresh | None:
    return _LAST.first()


# Every dashboard asks (compiled once per process, cases/prepared.py).
_LAST = PreparedInstances(lambda: SummaryRefresh.objects.order_by("-refreshed_at")[:1])


def refresh(now: datetime.datetime | None = None) -> SummaryRefresh:
    """Add everything finished since the last run; safe to run concurrently (locked)."""
    now = now or timezone.now()
    with transaction.atomic():
        previous = SummaryRefresh.objects.select_for_update().order_by("-refreshed_at").first()
        since = previous.covered_until if previous else EPOCH
        until = max(since, now - SETTLE)
        _add_waits(since, until)
        _add_counts(since, until)
        _snapshot_district_load()
        open_tasks.snapshot()
        return SummaryRefresh.objects.create(refreshed_at=timezone.now(), covered_until=until)


def _add_waits(since, until) -> None:
    finished = (
        Task.objects.filter(finished__gt=since, finished__lte=until, status=STATUS.DONE,
                            flow_task_type="HUMAN")
        .values_list("flow_task", "created", "finished")
        .iterator(chunk_size=5000)
    )
    histograms: dict[tuple, list[int]] = defaultdict(lambda: [0] * (len(BUCKET_EDGES) + 1))
    for flow_task, created, done in finished:
        ref = flow_task if isinstance(flow_task, str) else _ref(flow_task)
        node = all_nodes().get(ref)
        if node is None:
            continue
        day = timezone.localtime(done).date()
        histograms[(node.flow_label, node.name, day)][bucket_of((done - created).total_seconds())] += 1
    _merge(NodeWaitDay, histograms, ("flow_label", "node_name", "day"), _merge_histogram)


def _merge_histogram(row: NodeWaitDay | None, key: tuple, histogram: list[int]) -> NodeWaitDay:
    if row is None:
        row = NodeWaitDay(flow_label=key[0], node_name=key[1], day=key[2], histogram=[])
    merged = [a + b for a, b in zip(_padded(row.histogram, len(histogram)), histogram)]
    row.histogram, row.finished = merged, sum(merged)
    return row


def _merge(model, additions: dict, key_fields: tuple, combine) -> None:
    """Fold `additions` (key → new data) into the model's rows: one read, two bulk writes."""
    if not additions:
        return
    days = {key[-1] for key in additions}
    existing = {
        tuple(getattr(row, f) for f in key_fields): row
        for row in model.objects.select_for_update().filter(day__in=days)
    }
    new, changed = [], []
    for key, data in additions.items():
        row = combine(existing.get(key), key, data)
        (changed if row.pk else new).append(row)
    model.objects.bulk_create(new, batch_size=1000)
    fields = [f.name for f in model._meta.concrete_fields if f.name not in key_fields and not f.primary_key]
    model.objects.bulk_update(changed, fields, batch_size=1000)


def _add_counts(since, until) -> None:
    rows = (
        CaseEvent.objects.filter(at__gt=since, at__lte=until, name__in=COUNTED_EVENTS)
        .annotate(day=TruncDate("at"))
        .values("case__service", "name", "day")
        .annotate(n=Count("pk"))
    )
    additions: dict[tuple, dict[str, int]] = defaultdict(dict)
    for row in rows:
        additions[(row["case__service"], row["day"])][COUNTED_EVENTS[row["name"]]] = row["n"]
    _merge(DailyCount, additions, ("flow_label", "day"), _merge_counts)


def _merge_counts(row: DailyCount | None, key: tuple, counts: dict[str, int]) -> DailyCount:
    if row is None:
        row = DailyCount(flow_label=key[0], day=key[1])
    for field, n in counts.items():
        setattr(row, field, getattr(row, field) + n)
    return row


def _padded(values: list[int], length: int) -> list[int]:
    return list(values) + [0] * (length - len(values))


def _ref(node) -> str:
    from viewflow.workflow.fields import get_task_ref

    return get_task_ref(node)


def _snapshot_district_load() -> None:
    open_statuses = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR]
    rows = []
    for label in flow_versions.labels():
        counts = (
            Task.objects.filter(status__in=open_statuses, owner_permission="cases.inspect_case",
                                flow_task__in=[n.ref for n in nodes_of(label)])
            .values("process__caseprocess__case__property__district_id")
            .annotate(n=Count("pk"))
        )
        rows += [DistrictLoad(flow_label=label, open_tasks=row["n"],
                              district_id=row["process__caseprocess__case__property__district_id"])
                 for row in counts]
    DistrictLoad.objects.all().delete()
    DistrictLoad.objects.bulk_create(rows)
