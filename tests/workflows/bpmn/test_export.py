"""The flows as BPMN 2.0 (workflows/bpmn/, `manage.py export_bpmn`): read without a
warning by bpmn-moddle (what bpmn-js and Camunda Modeler read with), every node typed and
named in Persian, in its lane, drawn right to left; a node without a name is refused."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from flows.transfer_flow import TransferFlow
from tests.support.services import require_service
from workflows import flow_versions
from workflows.bpmn import UnnamedNode, export, graph_of, lay_out

FLOWS = {label: flow_versions.newest(label) for label in flow_versions.labels()}

VALIDATE = Path(__file__).with_name("validate.mjs")
MODDLE = Path(settings.BASE_DIR) / "node_modules" / "bpmn-moddle"


def read_with_bpmn_moddle(*files: Path) -> dict:
    require_service("Node.js", shutil.which("node") is not None, "no `node` on PATH")
    assert MODDLE.exists(), "run `npm ci` (make test does): node_modules/bpmn-moddle"
    done = subprocess.run(["node", str(VALIDATE), *map(str, files)], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("bpmn")
    files = {}
    for key in FLOWS:
        files[key] = folder / f"{key}.bpmn"
        call_command("export_bpmn", key, "-o", str(files[key]))
    read = read_with_bpmn_moddle(*files.values())
    return {key: read[str(path)] for key, path in files.items()}


@pytest.mark.parametrize("key", sorted(FLOWS))
def test_bpmn_moddle_reads_each_flow_without_a_warning(exported, key):
    assert exported[key]["warnings"] == []


def test_every_node_is_typed_and_named_in_persian(exported):
    nodes = {e["id"]: (e["type"], e["name"]) for e in exported["transfer"]["elements"]
             if e["type"] != "bpmn:SequenceFlow"}
    assert nodes["Node_start"] == ("bpmn:StartEvent", "تعهدات")
    assert nodes["Node_inspection"] == ("bpmn:UserTask", "بازدید کارشناس")
    assert nodes["Node_fees"] == ("bpmn:UserTask", "عوارض نوسازی")
    assert nodes["Node_issue"] == ("bpmn:ServiceTask", "صدور")
    assert nodes["Node_after_inspection"] == ("bpmn:ExclusiveGateway", "نتیجه بازدید")
    assert nodes["Node_cancelled"] == ("bpmn:EndEvent", "ابطال")
    assert len(nodes) == len(list(TransferFlow.instance.nodes()))
    assert all(name for _, name in nodes.values())


@pytest.mark.parametrize("key", sorted(FLOWS))
def test_every_node_and_flow_is_drawn(exported, key):
    elements = {e["id"] for e in exported[key]["elements"]}
    drawn = {s["id"] for s in exported[key]["shapes"]}
    assert elements <= drawn
    assert f"Participant_{key}" in drawn and "Lane_citizen" in drawn


@pytest.mark.parametrize("key", sorted(FLOWS))
def test_the_diagram_reads_right_to_left_in_lanes(key):
    graph = graph_of(FLOWS[key], key)
    layout = lay_out(graph)
    start = layout.shapes[graph.start]
    assert all(start.x >= box.x for box in layout.shapes.values())
    for step, points in layout.waypoints.items():
        if layout.columns[step.target] > layout.columns[step.source]:  # a flow forward
            assert points[-1][0] < points[0][0], step
    for name, box in layout.shapes.items():
        lane = layout.lanes[graph.nodes[name].lane]
        assert lane.y <= box.y and box.y + box.height <= lane.y + lane.height, name
    if key == "transfer":
        assert graph.nodes["inspection"].lane == "inspector"
        assert graph.nodes["after_inspection"].lane == "inspector"
        assert graph.nodes["issue"].lane == "system"


def test_no_two_nodes_overlap():
    graph = graph_of(TransferFlow, "transfer")
    boxes = list(lay_out(graph).shapes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a.right <= b.x or b.right <= a.x or a.y + a.height <= b.y or \
                b.y + b.height <= a.y, (a, b)


def test_a_node_without_a_persian_name_is_refused(monkeypatch):
    monkeypatch.setattr(TransferFlow.instance.fees, "task_title", "Fees")
    with pytest.raises(UnnamedNode, match="'fees'"):
        export(TransferFlow, "transfer")
    with pytest.raises(CommandError, match="Annotation"):
        call_command("export_bpmn", "transfer")


def test_flows_back_from_one_node_leave_it_apart():
    """«ثبت شد یا تغییر پاسخ‌ها» sends changed answers back to three steps."""
    graph = graph_of(TransferFlow, "transfer")
    layout = lay_out(graph)
    starts = [points[0] for step, points in layout.waypoints.items()
              if step.source == "after_confirm" and layout.columns[step.target] < layout.columns[step.source]]
    assert len(starts) == 3 and len({x for x, _ in starts}) == 3
    gateway = layout.shapes["after_confirm"]
    assert all(gateway.x <= x <= gateway.right for x, _ in starts)
