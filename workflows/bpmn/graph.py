"""A flow class read as a BPMN graph: typed nodes in lanes, and the flows between them.

Everything comes from the flow class itself — the nodes viewflow declares, their
`.Annotation(title=...)` and the edges of `.Next`, `.Then/.Else` and `.Case/.Default` —
so the diagram cannot drift from the process that runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viewflow.workflow import flow

from cases.persian import to_persian_digits

LANES = {"citizen": "شهروند", "inspector": "کارشناس بازدید", "system": "سامانه"}
PERSIAN_LETTER = re.compile(r"[\u0600-\u06FF]")


class UnnamedNode(ValueError):
    """A node without a Persian title: the diagram (and the staff pages) would show its
    Python name."""


@dataclass
class Node:
    name: str
    title: str
    element: str  # the BPMN element: startEvent, userTask, serviceTask, exclusiveGateway, endEvent
    lane: str = "system"


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    label: str = ""
    condition: str = ""  # the rule's Python name, for an analyst; empty on an unconditional flow
    default: bool = False


@dataclass
class Graph:
    key: str  # "transfer"
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)

    def outgoing(self, name: str) -> list[Flow]:
        return [f for f in self.flows if f.source == name]

    def incoming(self, name: str) -> list[Flow]:
        return [f for f in self.flows if f.target == name]

    @property
    def start(self) -> str:
        return next(n.name for n in self.nodes.values() if n.element == "startEvent")


def element_of(node) -> str:
    if isinstance(node, flow.Start):
        return "startEvent"
    if isinstance(node, flow.End):
        return "endEvent"
    if isinstance(node, (flow.If, flow.Switch)):
        return "exclusiveGateway"
    if isinstance(node, flow.View):
        return "userTask"
    if isinstance(node, (flow.Handle, flow.Function)):
        # Run by the engine (a Celery task, or in the completing transaction): no person.
        return "serviceTask"
    raise TypeError(f"no BPMN element for {type(node).__name__} ({node.name})")


def title_of(node) -> str:
    title = (node.task_title or "").strip()
    if not PERSIAN_LETTER.search(title):
        raise UnnamedNode(
            f"node {node.name!r} of {node.flow_class.__name__} has no Persian title: "
            "give it .Annotation(title=...)")
    return title


def _rule_name(condition) -> str:
    return getattr(condition, "__qualname__", "") or getattr(condition, "__name__", "")


def _flows_of(node) -> list[Flow]:
    if isinstance(node, flow.If):
        rule = _rule_name(node._condition)
        return [Flow(node.name, node._on_true.name, "بله", rule),
                Flow(node.name, node._on_false.name, "خیر", f"not {rule}")]
    if isinstance(node, flow.Switch):
        return [Flow(node.name, target.name, "" if condition else "در غیر این صورت",
                     _rule_name(condition) if condition else "", default=condition is None)
                for target, condition in node._activate_next]
    return [Flow(node.name, edge.dst.name) for edge in node._outgoing()]


def graph_of(flow_class, key: str) -> Graph:
    """The flow's graph; UnnamedNode when a node has no Persian title. Versions share the
    key, as a process definition's versions do in Camunda, and differ in title."""
    version = getattr(flow_class, "version", 1)
    title = flow_class.process_title + (f" — نسخه {to_persian_digits(version)}" if version > 1 else "")
    graph = Graph(key=key, title=title)
    for node in flow_class.instance.nodes():
        graph.nodes[node.name] = Node(node.name, title_of(node), element_of(node),
                                      getattr(node, "lane", "system"))
        graph.flows += _flows_of(node)
    graph.nodes[graph.start].lane = "citizen"  # a citizen starts every service
    order = _walk(graph)
    graph.nodes = {name: graph.nodes[name] for name in order}  # as the process runs
    return graph


def _walk(graph: Graph) -> list[str]:
    """The nodes breadth first from the start; on the way, a gateway or an end takes the
    lane of the step before it (a loop back, met later, does not decide it)."""
    order, queue = [graph.start], [graph.start]
    while queue:
        name = queue.pop(0)
        for step in graph.outgoing(name):
            if step.target in order:
                continue
            target = graph.nodes[step.target]
            if target.element in ("exclusiveGateway", "endEvent"):
                target.lane = graph.nodes[name].lane
            order.append(step.target)
            queue.append(step.target)
    unreachable = set(graph.nodes) - set(order)
    if unreachable:
        raise ValueError(f"{graph.key}: nodes no flow reaches: {sorted(unreachable)}")
    return order
