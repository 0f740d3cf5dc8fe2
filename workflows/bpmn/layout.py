"""Where each node and flow of a Graph is drawn: right to left, like the pages, in lanes.

Columns are the longest path from the start with the loops back cut (so every step is
left of all the steps that lead to it), each as wide as its widest node (a gateway's
column is narrower than a task's: the diagram must fit a laptop's screen); rows stack
the nodes that share a lane and a column. A flow forward runs from a node's left side to the next one's right side, with
one bend between columns; a flow back (the wizard's «گام قبلی», a changed answer) leaves
from the top and runs right along a channel of its own at the top of the target's lane.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import LANES, Flow, Graph

SIZES = {"startEvent": (36, 36), "endEvent": (36, 36), "exclusiveGateway": (50, 50),
         "userTask": (100, 80), "serviceTask": (100, 80)}
GAP, ROW = 44, 116  # between two columns; the height a node is centred in
LABEL_BAND = 30  # the pool's and the lanes' names, drawn on their left by BPMN tools
MARGIN = 40
CHANNEL = 12  # between two flows back, in a lane's top band


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class Layout:
    pool: Box
    lanes: dict[str, Box] = field(default_factory=dict)  # only the lanes in use, top to bottom
    shapes: dict[str, Box] = field(default_factory=dict)
    waypoints: dict[Flow, list[tuple[float, float]]] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)


def back_flows(graph: Graph) -> set[Flow]:
    """The flows that close a loop: depth first from the start, a flow to a node still
    on the path."""
    found, on_path, done = set(), set(), set()

    def visit(name: str) -> None:
        on_path.add(name)
        for step in graph.outgoing(name):
            if step.target in on_path:
                found.add(step)
            elif step.target not in done:
                visit(step.target)
        on_path.discard(name)
        done.add(name)

    visit(graph.start)
    return found


def columns(graph: Graph, back: set[Flow]) -> dict[str, int]:
    """Longest path from the start over the flows forward."""
    forward = [f for f in graph.flows if f not in back]
    column = {name: 0 for name in graph.nodes}
    for _ in graph.nodes:  # relax until stable: at most one pass per node
        changed = False
        for step in forward:
            if column[step.target] < column[step.source] + 1:
                column[step.target] = column[step.source] + 1
                changed = True
        if not changed:
            break
    return column


def lay_out(graph: Graph) -> Layout:
    back = back_flows(graph)
    column = columns(graph, back)
    used = [lane for lane in LANES if any(n.lane == lane for n in graph.nodes.values())]
    rows: dict[str, int] = {}
    per_cell: dict[tuple[str, int], int] = {}
    for name in sorted(graph.nodes, key=lambda n: (column[n], list(graph.nodes).index(n))):
        cell = (graph.nodes[name].lane, column[name])
        rows[name] = per_cell.get(cell, 0)
        per_cell[cell] = rows[name] + 1
    backs_into = {lane: [f for f in sorted(back, key=lambda f: (f.target, f.source))
                         if graph.nodes[f.target].lane == lane] for lane in used}
    widths = [0] * (max(column.values()) + 1)
    for name, node in graph.nodes.items():
        widths[column[name]] = max(widths[column[name]], SIZES[node.element][0] + GAP)
    width = LABEL_BAND + 2 * MARGIN + sum(widths)
    # Right to left: column 0 (the start) at the right.
    centre_x = [width - MARGIN - sum(widths[:c]) - widths[c] / 2 for c in range(len(widths))]
    layout = Layout(pool=Box(0, 0, width, 0), columns=column)
    top = 0.0
    for lane in used:
        band = CHANNEL * (len(backs_into[lane]) + 1)
        height = band + ROW * max(n for (l, _), n in per_cell.items() if l == lane)
        layout.lanes[lane] = Box(LABEL_BAND, top, width - LABEL_BAND, height)
        for name, node in graph.nodes.items():
            if node.lane != lane:
                continue
            w, h = SIZES[node.element]
            cx = centre_x[column[name]]
            cy = top + band + ROW * rows[name] + ROW / 2
            layout.shapes[name] = Box(cx - w / 2, cy - h / 2, w, h)
        top += height
    layout.pool = Box(0, 0, width, top)
    for step in graph.flows:
        layout.waypoints[step] = (_back(layout, step, backs_into, graph) if step in back
                                  else _forward(layout, step))
    return layout


def _forward(layout: Layout, step: Flow) -> list[tuple[float, float]]:
    source, target = layout.shapes[step.source], layout.shapes[step.target]
    if source.middle == target.middle:
        return [(source.left, source.middle), (target.right, target.middle)]
    bend = source.left - GAP / 2  # half way to the next column
    return [(source.left, source.middle), (bend, source.middle), (bend, target.middle),
            (target.right, target.middle)]


def _back(layout: Layout, step: Flow, backs_into: dict, graph: Graph) -> list[tuple[float, float]]:
    source, target = layout.shapes[step.source], layout.shapes[step.target]
    lane = graph.nodes[step.target].lane
    channel = layout.lanes[lane].y + CHANNEL * (backs_into[lane].index(step) + 1)
    # Several flows back from one node (a gateway's changed answers) leave its top side by
    # side, not on one line.
    siblings = [f for flows in backs_into.values() for f in flows if f.source == step.source]
    offset = CHANNEL * (siblings.index(step) - (len(siblings) - 1) / 2)
    # On a gateway (a square diamond) the top edge drops as far as one moves from its tip.
    top = source.y + (abs(offset) if graph.nodes[step.source].element == "exclusiveGateway" else 0)
    x = source.centre + offset
    return [(x, top), (x, channel), (target.centre, channel), (target.centre, target.y)]
