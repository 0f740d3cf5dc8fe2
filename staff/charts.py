"""Server-rendered SVG charts: geometry computed here, drawn by templates/staff/_*.svg."""

from __future__ import annotations

from dataclasses import dataclass

from viewflow.workflow import chart

from .dashboard import NodeStats
from .flows import FLOWS

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
    """Grouped bars: for each day, registrations, issuances and cancellations."""
    peak = max([1] + [getattr(d, key) for d in days for key, _ in SERIES])
    slot = width / max(1, len(days))
    bar_width = max(1.0, slot / (len(SERIES) + 1))
    bars = []
    for i, day in enumerate(days):
        for j, (key, _) in enumerate(SERIES):
            value = getattr(day, key)
            h = (height - 20) * value / peak
            bars.append(Bar(round(i * slot + j * bar_width, 1), round(height - h, 1),
                            round(bar_width, 1), round(h, 1), key, value, day.day))
    return {"bars": bars, "width": width, "height": height, "peak": peak, "series": SERIES}


def flow_chart(flow_label: str, stats: list[NodeStats]) -> dict:
    """The flow's BPMN layout (viewflow's own) with each node's live numbers."""
    grid = chart.calc_layout_data(FLOWS[flow_label])
    by_name = {s.node.name: s for s in stats}
    cells = []
    for cell in grid.cells:
        s = by_name.get(cell.node.name)
        cells.append({
            "name": cell.node.name,
            "title": cell.node.task_title,
            "x": cell.shape.x, "y": cell.shape.y,
            "width": cell.shape.width, "height": cell.shape.height,
            "cx": cell.shape.x + cell.shape.width / 2, "cy": cell.shape.y + cell.shape.height / 2,
            "human": getattr(cell.node, "task_type", "") == "HUMAN",
            "stats": s,
            "level": s.level if s else "idle",
        })
    edges = [
        " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(edge.segments))
        for edge in grid.edges if edge.segments
    ]
    return {"cells": cells, "edges": edges, "width": grid.width, "height": grid.height}
