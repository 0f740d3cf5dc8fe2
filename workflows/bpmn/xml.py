"""BPMN 2.0 XML with diagram interchange, for Camunda Modeler, bpmn.io or any BPMN tool.

One pool (the service) with its lanes, the process's nodes and sequence flows, and the
shapes and waypoints of `layout.py`. Conditions name the Python rule that decides them,
for an analyst; the process is not meant to be executed by another engine.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .graph import LANES, Flow, Graph
from .layout import Box, Layout

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
TARGET_NAMESPACE = "urn:municipal-eservices:flows"
for prefix, uri in NS.items():
    ET.register_namespace(prefix, uri)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def node_id(name: str) -> str:
    return f"Node_{name}"


def flow_id(step: Flow) -> str:
    return f"Flow_{step.source}__{step.target}"


def _number(value: float) -> str:
    return f"{value:g}"


def _bounds(parent: ET.Element, box: Box) -> None:
    ET.SubElement(parent, _q("dc:Bounds"), x=_number(box.x), y=_number(box.y),
                  width=_number(box.width), height=_number(box.height))


def to_xml(graph: Graph, layout: Layout) -> str:
    key = graph.key
    root = ET.Element(_q("bpmn:definitions"), {
        "id": f"Definitions_{key}", "targetNamespace": TARGET_NAMESPACE,
        "exporter": "municipal-eservices (manage.py export_bpmn)", "exporterVersion": "1"})
    collaboration = ET.SubElement(root, _q("bpmn:collaboration"), id=f"Collaboration_{key}")
    ET.SubElement(collaboration, _q("bpmn:participant"), id=f"Participant_{key}",
                  name=graph.title, processRef=f"Process_{key}")
    process = ET.SubElement(root, _q("bpmn:process"), id=f"Process_{key}", name=graph.title,
                            isExecutable="false")
    lane_set = ET.SubElement(process, _q("bpmn:laneSet"), id=f"LaneSet_{key}")
    for lane in layout.lanes:
        element = ET.SubElement(lane_set, _q("bpmn:lane"), id=f"Lane_{lane}", name=LANES[lane])
        for node in graph.nodes.values():
            if node.lane == lane:
                ET.SubElement(element, _q("bpmn:flowNodeRef")).text = node_id(node.name)
    for node in graph.nodes.values():
        attributes = {"id": node_id(node.name), "name": node.title}
        default = [f for f in graph.outgoing(node.name) if f.default]
        if default:
            attributes["default"] = flow_id(default[0])
        element = ET.SubElement(process, _q(f"bpmn:{node.element}"), attributes)
        for step in graph.incoming(node.name):
            ET.SubElement(element, _q("bpmn:incoming")).text = flow_id(step)
        for step in graph.outgoing(node.name):
            ET.SubElement(element, _q("bpmn:outgoing")).text = flow_id(step)
    for step in graph.flows:
        attributes = {"id": flow_id(step), "sourceRef": node_id(step.source),
                      "targetRef": node_id(step.target)}
        if step.label:
            attributes["name"] = step.label
        element = ET.SubElement(process, _q("bpmn:sequenceFlow"), attributes)
        if step.condition and not step.default:
            condition = ET.SubElement(element, _q("bpmn:conditionExpression"),
                                      {_q("xsi:type"): "bpmn:tFormalExpression"})
            condition.text = step.condition
    _diagram(root, graph, layout)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _diagram(root: ET.Element, graph: Graph, layout: Layout) -> None:
    key = graph.key
    diagram = ET.SubElement(root, _q("bpmndi:BPMNDiagram"), id=f"Diagram_{key}",
                            name=graph.title)
    plane = ET.SubElement(diagram, _q("bpmndi:BPMNPlane"), id=f"Plane_{key}",
                          bpmnElement=f"Collaboration_{key}")
    pool = ET.SubElement(plane, _q("bpmndi:BPMNShape"), id=f"Participant_{key}_di",
                         bpmnElement=f"Participant_{key}", isHorizontal="true")
    _bounds(pool, layout.pool)
    for lane, box in layout.lanes.items():
        shape = ET.SubElement(plane, _q("bpmndi:BPMNShape"), id=f"Lane_{lane}_di",
                              bpmnElement=f"Lane_{lane}", isHorizontal="true")
        _bounds(shape, box)
    for name, box in layout.shapes.items():
        attributes = {"id": f"{node_id(name)}_di", "bpmnElement": node_id(name)}
        if graph.nodes[name].element == "exclusiveGateway":
            attributes["isMarkerVisible"] = "true"
        shape = ET.SubElement(plane, _q("bpmndi:BPMNShape"), attributes)
        _bounds(shape, box)
    for step, points in layout.waypoints.items():
        edge = ET.SubElement(plane, _q("bpmndi:BPMNEdge"), id=f"{flow_id(step)}_di",
                             bpmnElement=flow_id(step))
        for x, y in points:
            ET.SubElement(edge, _q("di:waypoint"), x=_number(x), y=_number(y))
