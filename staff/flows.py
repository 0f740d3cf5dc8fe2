"""The flows the workspace reports on, and their nodes, by stable names, across versions.

A node is known by the reference viewflow stores in `task.flow_task`, which names its
version's class: the same step in two versions has two references and one name. Tables
are built once from workflows/flow_versions.py and rebuilt when FLOW_VERSIONS changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from viewflow.workflow.fields import get_task_ref

from workflows import flow_versions


@dataclass(frozen=True)
class NodeRef:
    flow_label: str
    name: str
    ref: str  # what viewflow stores in task.flow_task

    title: str  # the node's own: `.Annotation(title=...)` in its flow
    version: int = 1

    @property
    def node(self):
        return flow_versions.flow(self.flow_label, self.version).instance.node(self.name)


def flow_titles() -> dict[str, str]:
    return {label: flow_versions.newest(label).process_title for label in flow_versions.labels()}


def nodes_of(label: str, version: int | None = None) -> list[NodeRef]:
    """The nodes of one version, or of every loaded version of the flow when None."""
    classes = (flow_versions.versions(label) if version is None
               else (flow_versions.flow(label, version),))
    return [NodeRef(label, node.name, get_task_ref(node), node.task_title, flow_class.version)
            for flow_class in classes for node in flow_class.instance.nodes()]


def node_by_ref(ref: str) -> NodeRef | None:
    return all_nodes().get(ref)


def node_title(ref: str) -> str:
    node = node_by_ref(ref)
    return node.title if node else ref


@cache
def all_nodes() -> dict[str, NodeRef]:
    return {node.ref: node for label in flow_versions.labels() for node in nodes_of(label)}


@cache
def node_choices() -> list[tuple[str, str]]:
    """The steps people wait at (gateways and automatic steps are not offered as filters),
    each marked with its version when the flow has more than one loaded."""
    titles = flow_titles()
    choices = []
    for ref, n in all_nodes().items():
        if getattr(n.node, "task_type", "") != "HUMAN":
            continue
        classes = flow_versions.versions(n.flow_label)
        version = (f" ({flow_versions.version_label(flow_versions.flow(n.flow_label, n.version))})"
                   if len(classes) > 1 else "")
        choices.append((ref, f"{titles[n.flow_label]} — {n.title}{version}"))
    return choices


@cache
def queue_refs() -> list[str]:
    """Human nodes staff take from a queue: the ones guarded by a permission
    (`.Permission(…)`); the others belong to one person, the citizen. Naming them lets the
    queue walk the open tasks' index by node in date order instead of reading every task."""
    return [ref for ref, n in all_nodes().items() if getattr(n.node, "_owner_permission", None)]


@cache
def queue_permissions() -> frozenset[str]:
    """The permissions those nodes ask for ("cases.inspect_case" today)."""
    return frozenset(node_by_ref(ref).node._owner_permission for ref in queue_refs())


def inspection_refs() -> list[str]:
    return [n.ref for n in all_nodes().values() if n.name == "inspection"]


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs) -> None:
    if setting in {"FLOW_VERSIONS", "INSTALLED_APPS"}:
        for table in (all_nodes, node_choices, queue_refs, queue_permissions):
            table.cache_clear()
