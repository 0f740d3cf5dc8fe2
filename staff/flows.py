"""The flows the workspace reports on, and their human nodes, by stable names."""

from dataclasses import dataclass

from viewflow.workflow.fields import get_flow_ref, get_task_ref

from flows.registry import FLOWS
FLOW_TITLES = {label: flow.process_title for label, flow in FLOWS.items()}

@dataclass(frozen=True)
class NodeRef:
    flow_label: str
    name: str
    ref: str  # what viewflow stores in task.flow_task

    title: str  # the node's own: `.Annotation(title=...)` in its flow


def flow_ref(label: str) -> str:
    return get_flow_ref(FLOWS[label])


def nodes_of(label: str) -> list[NodeRef]:
    flow = FLOWS[label]
    return [NodeRef(label, node.name, get_task_ref(node), node.task_title)
            for node in flow.instance.nodes()]


def node_by_ref(ref: str) -> NodeRef | None:
    return ALL_NODES.get(ref)


def node_title(ref: str) -> str:
    node = node_by_ref(ref)
    return node.title if node else ref


ALL_NODES: dict[str, NodeRef] = {}
for _label in FLOWS:
    for _node in nodes_of(_label):
        ALL_NODES[_node.ref] = _node

# The steps people wait at (gateways and automatic steps are not offered as filters).
NODE_CHOICES = [
    (ref, f"{FLOW_TITLES[n.flow_label]} — {n.title}") for ref, n in ALL_NODES.items()
    if getattr(FLOWS[n.flow_label].instance.node(n.name), "task_type", "") == "HUMAN"
]
# Human nodes staff take from a queue: the ones guarded by a permission (`.Permission(…)`);
# the others belong to one person, the citizen. Naming them lets the queue walk the open
# tasks' index by node in date order instead of reading every new task.
QUEUE_REFS = [
    ref for ref, n in ALL_NODES.items()
    if getattr(FLOWS[n.flow_label].instance.node(n.name), "_owner_permission", None)
]
# The permissions those nodes ask for ("cases.inspect_case" today).
QUEUE_PERMISSIONS = {
    FLOWS[n.flow_label].instance.node(n.name)._owner_permission
    for ref, n in ALL_NODES.items() if ref in QUEUE_REFS
}
INSPECTION_REF = next(n.ref for n in ALL_NODES.values() if n.name == "inspection")
