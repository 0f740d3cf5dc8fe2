"""The dashboard's charts: the daily bars (an SVG written here) and the numbers the flow's
BPMN diagram carries."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from viewflow.workflow.status import STATUS

from cases.display import jalali
from cases.persian import to_persian_digits
from workflows import bpmn, flow_versions
from workflows.bpmn.xml import node_id

from .dashboard import NodeStats
from .page_parts import wait

FINISHED = {STATUS.DONE, STATUS.CANCELED}
SERIES = [("registered", "ثبت"), ("issued", "صدور"), ("cancelled", "ابطال")]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value: int
    day: object  # the date, shown in Jalali by the template


def daily_bars(days, width: int = 640, height: int = 200) -> dict:
    """Grouped bars: for each day, registrations, issuances and cancellations. Drawn once
    per process for the same counts (between two registrations, every view of the
    dashboard draws the same month)."""
    counts = tuple((d.day, *(getattr(d, key) for key, _ in SERIES)) for d in days)
    return dict(_drawn_bars(counts, width, height))


@functools.lru_cache(maxsize=32)
def _drawn_bars(counts: tuple, width: int, height: int) -> dict:
    peak = max([1] + [value for _, *values in counts for value in values])
    slot = width / max(1, len(counts))
    bar_width = max(1.0, slot / (len(SERIES) + 1))
    bars = []
    for i, (day, *values) in enumerate(counts):
        for j, ((key, _), value) in enumerate(zip(SERIES, values, strict=True)):
            h = (height - 20) * value / peak
            bars.append(Bar(round(i * slot + j * bar_width, 1), round(height - h, 1),
                            round(bar_width, 1), round(h, 1), key, value, day))
    return {"bars": bars, "width": width, "height": height, "peak": peak, "series": SERIES,
            "svg": bars_svg(bars, width, height)}


def bars_svg(bars: list[Bar], width: int, height: int) -> SafeString:
    """The chart's markup, each bar titled with its day and count. Written here rather
    than by a template (a month is ~90 bars of seven values each: 2 ms of the template
    engine's time, a tenth of the dashboard's), and with f-strings rather than
    format_html: every value is a number, a series name of SERIES or a Jalali date."""
    days: dict = {}  # a day's three bars share its date, written once
    rects = "".join(
        f'<rect class="bar bar-{bar.series}" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
        f'height="{bar.height}"><title>'
        f'{days.get(bar.day) or days.setdefault(bar.day, escape(jalali(bar.day)))}: '
        f"{to_persian_digits(bar.value)}</title></rect>" for bar in bars)
    return format_html(
        '<svg class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="bars-title">\n'
        '<title id="bars-title">ثبت، صدور و ابطال در هر روز</title>\n'
        '<line class="axis" x1="0" y1="{}" x2="{}" y2="{}"/>\n{}\n</svg>',
        width, height, height, width, height, mark_safe(rects))  # noqa: S308 — escaped above


def flow_diagram(flow_label: str, stats: list[NodeStats],
                 incidents: dict[str, int] | None = None, version: int | None = None) -> dict:
    """What the dashboard's BPMN diagram (static/js/flow-diagram.js) shows on each step
    people wait at: its live numbers, its colour and, for a staff step, the link to its
    open cases (a citizen's step shows counts and ages only: drafts are not listed); and
    on any step, its open incidents with the link to «رخدادها»."""
    graph = bpmn.graph_of(flow_versions.flow(flow_label, version), flow_label)
    by_name = {s.node.name: s for s in stats}
    incidents = incidents or {}
    tasks_url, incidents_url = reverse("staff:tasks"), reverse("staff:incidents")
    nodes = []
    for name, node in graph.nodes.items():
        s = by_name.get(name)
        if s is None and not incidents.get(name):
            continue
        entry = {"id": node_id(name), "title": node.title}
        if s is not None:
            url = ""
            if node.lane != "citizen":
                url = f"{tasks_url}?{urlencode({'flow': flow_label, 'node': s.node.ref})}"
            entry.update({"level": s.level, "waiting": to_persian_digits(s.waiting),
                          "median": wait(s.median), "p90": wait(s.p90),
                          "breaches": to_persian_digits(s.breaches), "url": url})
        if incidents.get(name):
            entry.update({"incidents": incidents[name],
                          "incidents_text": to_persian_digits(incidents[name]),
                          "incidents_url": incidents_url})
        nodes.append(entry)
    return {"nodes": nodes}


def case_path(tasks: list) -> dict:
    """The path one case took (its process's tasks, oldest first), for its diagram on the
    staff case page: each node it reached — done, or where it is now, as Camunda Operate
    shows an instance — and how many times (a step revisited through «گام قبلی» or a
    changed answer)."""
    visits: dict[str, dict] = {}
    for task in tasks:
        key = node_id(task.flow_task.name)
        node = visits.setdefault(key, {"id": key, "visits": 0, "state": "done"})
        node["visits"] += 1
        node["state"] = "done" if task.status in FINISHED else "current"
    for node in visits.values():
        node["visits_text"] = to_persian_digits(node["visits"])
    return {"path": list(visits.values())}
