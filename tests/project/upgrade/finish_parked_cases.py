"""Run inside an upgraded installation (`manage.py shell`): finish every parked case.

test_upgrade_in_place.py runs `main(manifest, results)` on the database it loaded and
migrated: first every stored dotted reference is imported and every parked case looked at
before anything moves, then the automatic steps left waiting are run as the workers do
once started, then each case is driven to its end (tests/support/upgrade_driver.py). What
happened is written as JSON, a failing case with its traceback.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from celery import current_app
from django.db import connection
from django.utils.module_loading import import_string
from viewflow.workflow import flow
from viewflow.workflow.fields import import_flow_by_ref, import_task_by_ref
from viewflow.workflow.models import Process, Task

from tests.support.upgrade_driver import CaseDriver

# Where the database keeps a dotted path to code, and what imports it.
STORED_REFERENCES = {
    "viewflow_process.flow_class": ("SELECT flow_class FROM viewflow_process", import_flow_by_ref),
    "viewflow_task.flow_task": ("SELECT flow_task FROM viewflow_task", import_task_by_ref),
    "payments_payment.gateway": ("SELECT gateway FROM payments_payment WHERE gateway <> ''",
                                 import_string),
}


def stored_references() -> dict[str, list[str]]:
    found = {}
    with connection.cursor() as cursor:
        for where, (sql, _) in STORED_REFERENCES.items():
            cursor.execute(sql)
            found[where] = sorted({row[0] for row in cursor.fetchall()})
    return found


def unresolved(references: dict[str, list[str]]) -> list[str]:
    """The references today's code cannot import."""
    broken = []
    for where, refs in references.items():
        for ref in refs:
            try:
                assert STORED_REFERENCES[where][1](ref) is not None
            except Exception as error:  # noqa: BLE001 — reported, not raised
                broken.append(f"{where} {ref!r}: {type(error).__name__}: {error}")
    return broken


def kind(node) -> str:
    """start, end, waits (a step a case can be left at: a person's or automatic) or passes."""
    if isinstance(node, flow.Start):
        return "start"
    if isinstance(node, flow.End):
        return "end"
    return "waits" if isinstance(node, (flow.View, flow.Handle)) else "passes"


@contextmanager
def reported(case: dict) -> Iterator[None]:
    """A case that fails is written with its traceback; the next one still runs."""
    try:
        yield
    except Exception:  # noqa: BLE001
        case["error"] = traceback.format_exc()


def main(manifest: str, results: str) -> None:
    cases = json.loads(Path(manifest).read_text())["cases"]
    references = stored_references()
    out = {"references": references, "unresolved": unresolved(references), "flows": {},
           "cases": cases}
    drivers = {}
    for number, case in enumerate(cases, start=1):
        with reported(case):
            drivers[case["case"]] = CaseDriver(case, f"127.0.1.{number}")
            case |= drivers[case["case"]].look()
            flow_class = drivers[case["case"]].process.flow_class
            out["flows"][flow_class.__name__] = {
                node.name: kind(node) for node in flow_class.instance.nodes()}
    since = Task.objects.order_by("-pk").values_list("pk", flat=True).first()
    # What beat does once the upgraded workers start: automatic steps left waiting run.
    current_app.tasks["workflows.sweep_automatic_steps"](older_than_seconds=0)
    for case in cases:
        if "error" not in case:
            with reported(case):
                case |= drivers[case["case"]].finish(since)
    out["still_open"] = sorted(Process.objects.filter(finished__isnull=True)
                               .values_list("caseprocess__case_id", flat=True))
    Path(results).write_text(json.dumps(out, ensure_ascii=False, indent=1))
