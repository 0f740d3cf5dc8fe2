"""A flow's dashboard: waiting now, waits over a period, SLA breaches, daily counts,
cancellation reasons and load — each one query, whatever the data size.

Each read is compiled once per process (cases/prepared.py): building and compiling its
queryset cost more than running it, 0.3–0.5 ms each, a quarter of the page."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import CharField, Count, Min
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseStatus
from cases.prepared import PreparedInstances, PreparedRead
from workflows import flow_versions

from . import per_refresh, summary
from .flows import NodeRef, all_nodes, nodes_of
from .models import DailyCount, DistrictLoad, NodeWaitDay, SummaryRefresh
from .open_tasks import FLOW_STAND_IN, OpenNow, open_tasks_of

# Values no real call passes: they mark where each call's own go in the compiled SQL.
DAY_STAND_INS = (datetime.date(1901, 1, 1), datetime.date(1901, 1, 2))
MOMENT_STAND_INS = (datetime.datetime(1901, 1, 1, tzinfo=datetime.timezone.utc),
                    datetime.datetime(1901, 1, 2, tzinfo=datetime.timezone.utc))

_WAITS = PreparedRead(
    lambda flow, start, end: NodeWaitDay.objects.filter(
        flow_label=flow, day__gte=start, day__lte=end).values_list("node_name", "histogram"),
    FLOW_STAND_IN, *DAY_STAND_INS)
_DAYS = PreparedRead(
    lambda flow, start, end: DailyCount.objects.filter(
        flow_label=flow, day__gte=start, day__lte=end).values_list(
        "day", "registered", "issued", "cancelled"),
    FLOW_STAND_IN, *DAY_STAND_INS)
_COUNTED_SINCE = PreparedRead(
    lambda flow, since, until: CaseEvent.objects.filter(
        at__gt=since, at__lte=until, name__in=summary.COUNTED_EVENTS, case__service=flow)
    .annotate(day=TruncDate("at")).values_list("name", "day").annotate(n=Count("pk")),
    FLOW_STAND_IN, *MOMENT_STAND_INS)
_REASONS = PreparedRead(
    lambda flow, since, until: Case.objects.filter(
        service=flow, status=CaseStatus.CANCELLED, closed_at__gte=since, closed_at__lt=until,
    ).values_list("cancel_reason").annotate(n=Count("pk")).order_by("-n")[:10],
    FLOW_STAND_IN, *MOMENT_STAND_INS)
_DISTRICTS = PreparedInstances(
    lambda flow: DistrictLoad.objects.filter(flow_label=flow).select_related("district")
    .order_by("-open_tasks")[:30],
    FLOW_STAND_IN)
# The inspectors' names beside their load: a prepared read holds a fixed number of ids, so
# the top owners are made up to TOP_OWNERS with an id no user has.
TOP_OWNERS = 30
_NO_USER = -1


def _names_of(*ids):
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.filter(pk__in=ids).values_list(
        "pk", "first_name", "last_name", "username")


_OWNER_NAMES = PreparedRead(_names_of, *range(-7_200_000, -7_200_000 - TOP_OWNERS, -1))


@dataclass
class NodeStats:
    node: NodeRef
    waiting: int = 0
    oldest: datetime.datetime | None = None
    median: int | None = None  # seconds, from the summary
    p90: int | None = None
    finished: int = 0
    sla_days: int | None = None
    breaches: int = 0

    @property
    def level(self) -> str:
        """How long cases wait here, for the chart's colour: ok, warn, bad, idle."""
        if not self.waiting:
            return "idle"
        limit = (self.sla_days or 5) * summary.DAY
        age = (timezone.now() - self.oldest).total_seconds() if self.oldest else 0
        typical = self.median or age
        if typical > limit or self.breaches:
            return "bad"
        return "warn" if typical > limit / 2 else "ok"


@dataclass
class VersionLoad:
    flow_class: type
    open_tasks: int

    @property
    def number(self) -> int:
        return self.flow_class.version

    @property
    def title(self) -> str:
        return flow_versions.version_label(self.flow_class)


def waiting_by_node(flow_label: str) -> dict[str, tuple[int, datetime.datetime]]:
    """Node reference → (open tasks, the oldest one's creation), over every loaded version:
    one grouped read that both the version panel and the steps' table use."""
    # As text: the field would turn each reference back into its node.
    rows = (open_tasks_of(flow_label).annotate(ref=Cast("flow_task", CharField()))
            .values("ref").annotate(n=Count("pk"), oldest=Min("created")))
    return {row["ref"]: (row["n"], row["oldest"]) for row in rows}


def open_per_version(flow_label: str, waiting: dict | None = None) -> list[VersionLoad]:
    """Each loaded version with its open tasks (one per open case: a case waits at one
    step at a time), newest first."""
    waiting = waiting if waiting is not None else waiting_by_node(flow_label)
    counts: dict[int, int] = {}
    for ref, (n, _) in waiting.items():
        node = all_nodes().get(ref)
        if node is not None:
            counts[node.version] = counts.get(node.version, 0) + n
    return [VersionLoad(flow_class, counts.get(flow_class.version, 0))
            for flow_class in reversed(flow_versions.versions(flow_label))]


def node_stats(flow_label: str, start: datetime.date, end: datetime.date, now: OpenNow,
               version: int | None = None,
               refresh: SummaryRefresh | None = None) -> list[NodeStats]:
    """The steps of one version (the newest when None): waiting and past their SLA as the
    last refresh counted them (`now`, read by open_tasks.open_now for the same version),
    and waits over the period, which the summary keeps by step name across versions (made
    once per `refresh`, the last SummaryRefresh, and period: staff/per_refresh.py)."""
    version = version or flow_versions.newest(flow_label).version
    stats = {n.name: NodeStats(n) for n in nodes_of(flow_label, version)}
    for node_stats_ in stats.values():
        node_stats_.waiting, node_stats_.oldest = now.waiting.get(node_stats_.node.ref, (0, None))
    waits = per_refresh.kept(refresh, ("waits", flow_label, start, end),
                             lambda: period_waits(flow_label, start, end))
    for name, (median, p90, finished) in waits.items():
        if name in stats:
            stats[name].median, stats[name].p90, stats[name].finished = median, p90, finished
    for name, days in now.sla_days.items():
        stats[name].sla_days, stats[name].breaches = days, now.breaches[name]
    return list(stats.values())


def period_waits(flow_label: str, start: datetime.date,
                 end: datetime.date) -> dict[str, tuple[int | None, int | None, int]]:
    """Step name → (median, 90th percentile, finished) of the waits finished in the period:
    the days' histograms merged."""
    histograms: dict[str, list[int]] = {}
    for node_name, histogram in _WAITS.rows(flow_label, start, end):
        merged = histograms.setdefault(node_name, [0] * (len(summary.BUCKET_EDGES) + 1))
        for i, count in enumerate(histogram):
            merged[i] += count
    return {name: (summary.percentile(histogram, 0.5), summary.percentile(histogram, 0.9),
                   sum(histogram)) for name, histogram in histograms.items()}


@dataclass
class DayCount:
    """A day's registrations, issues and cancellations as the dashboard shows them."""

    day: datetime.date
    registered: int = 0
    issued: int = 0
    cancelled: int = 0


def daily_counts(flow_label: str, start: datetime.date, end: datetime.date,
                 refresh: SummaryRefresh | None = None) -> list[DayCount]:
    """Registrations, issues and cancellations per day: the summary's rows (read once per
    `refresh`, the last SummaryRefresh), plus what happened since it covers
    (`refresh.covered_until`; everything when there is none), counted live — so today's
    numbers are current without waiting for the next refresh. The live part reads the
    events of the last few minutes by their time index."""
    rows = per_refresh.kept(refresh, ("days", flow_label, start, end), lambda: {
        day: counts for day, *counts in _DAYS.rows(flow_label, start, end)})
    since = refresh.covered_until if refresh else summary.EPOCH
    recent = _counts_since(flow_label, since, start, end)
    days, day = [], start
    while day <= end:
        row = DayCount(day, *rows.get(day, ()))
        for field, n in recent.get(day, {}).items():
            setattr(row, field, getattr(row, field) + n)  # never saved: the summary's job
        days.append(row)
        day += datetime.timedelta(days=1)
    return days


def _counts_since(flow_label: str, since: datetime.datetime, start: datetime.date,
                  end: datetime.date) -> dict[datetime.date, dict[str, int]]:
    found: dict[datetime.date, dict[str, int]] = {}
    # Up to now: the summary covers what came before `since`; anything stamped later than
    # now (a clock set ahead, made-up data) waits for the summary like the rest.
    for name, day, n in _COUNTED_SINCE.rows(flow_label, since, timezone.now()):
        if start <= day <= end:
            found.setdefault(day, {})[summary.COUNTED_EVENTS[name]] = n
    return found


def cancellation_reasons(flow_label: str, start: datetime.date, end: datetime.date) -> list[dict]:
    tz = timezone.get_current_timezone()
    rows = _REASONS.rows(flow_label, datetime.datetime.combine(start, datetime.time(), tz),
                         datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                   datetime.time(), tz))
    return [{"cancel_reason": reason, "n": n} for reason, n in rows]


def load_per_inspector(now: OpenNow) -> list[dict]:
    """The top TOP_OWNERS owners of `now` (the last refresh's counts), their names read by
    primary key."""
    top = sorted(now.per_owner.items(), key=lambda item: (-item[1], item[0]))[:TOP_OWNERS]
    ids = [owner_id for owner_id, _ in top]
    names = {pk: (first, last, username) for pk, first, last, username in _OWNER_NAMES.rows(
        *ids, *[_NO_USER] * (TOP_OWNERS - len(ids)))} if ids else {}
    rows = []
    for owner_id, n in top:
        first, last, username = names.get(owner_id, ("", "", ""))
        rows.append({"owner_id": owner_id, "n": n, "owner__first_name": first,
                     "owner__last_name": last, "owner__username": username})
    return rows


def load_per_district(flow_label: str,
                      refresh: SummaryRefresh | None = None) -> list[DistrictLoad]:
    """From the last summary refresh (see DistrictLoad), read once per `refresh`."""
    return per_refresh.kept(refresh, ("districts", flow_label),
                            lambda: _DISTRICTS.objects(flow_label))


def is_flow(label: str) -> bool:
    return label in flow_versions.labels()


def open_incidents_by_node(flow_label: str) -> dict[str, int]:
    """Open incidents of the flow per node name (an index on status, flow and node)."""
    return dict(_incidents_read().rows(flow_label))


@functools.cache
def _incidents_read() -> PreparedRead:
    from cases.incidents.models import ACTIVE, Incident

    return PreparedRead(lambda flow: Incident.objects.filter(status__in=ACTIVE, flow_label=flow)
                        .values_list("node_name").annotate(n=Count("pk")), FLOW_STAND_IN)
