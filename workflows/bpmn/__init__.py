"""The flows as standard BPMN 2.0 (graph.py reads a flow class, layout.py places it right
to left in lanes, xml.py writes it), for `manage.py export_bpmn` and the dashboards."""

from __future__ import annotations

from .graph import Graph, UnnamedNode, graph_of
from .layout import Layout, lay_out
from .xml import to_xml

__all__ = ["Graph", "Layout", "UnnamedNode", "export", "file_name", "graph_of", "lay_out", "to_xml"]


def export(flow_class, key: str) -> str:
    """The flow's BPMN 2.0 XML; UnnamedNode when a node has no Persian title."""
    graph = graph_of(flow_class, key)
    return to_xml(graph, lay_out(graph))


def file_name(flow_class, key: str) -> str:
    """transfer.bpmn for a flow's first version, transfer-v2.bpmn for its second."""
    version = getattr(flow_class, "version", 1)
    return f"{key}.bpmn" if version == 1 else f"{key}-v{version}.bpmn"
