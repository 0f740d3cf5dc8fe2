"""`manage.py check --database`: no open case may hold a flow version that is not loaded.

A version is retired by removing it from FLOW_VERSIONS (and later its module). Before the
deploy that does so, this check names the cases still on it: they must finish or be moved
(`manage.py migrate_cases`) first, or their pages and tasks would stop resolving.
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError
from django.db.models import CharField
from django.db.models.functions import Cast
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.status import PROCESS

from workflows import flow_versions
from workflows.models import CaseProcess

SHOWN = 20


def open_processes_off_the_list() -> dict[str, list[int]]:
    """Flow reference → ids of open cases whose process names a class FLOW_VERSIONS lacks."""
    loaded = [get_flow_ref(flow_class) for flow_class in flow_versions.all_flows()]
    # Read as text: the field would import the named class, which may be gone.
    rows = (CaseProcess.objects.filter(status=PROCESS.NEW).exclude(flow_class__in=loaded)
            .annotate(ref=Cast("flow_class", CharField())).values_list("ref", "case_id"))
    held: dict[str, list[int]] = {}
    for ref, case_id in rows.iterator(chunk_size=2000):
        held.setdefault(ref, []).append(case_id)
    return held


@checks.register(checks.Tags.database)
def retired_versions_are_empty(app_configs=None, databases=None,
                               **kwargs) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []  # only `check --database default` (and `migrate`) read the cases
    try:
        held = open_processes_off_the_list()
    except DatabaseError:
        return []  # not migrated yet (`migrate` runs the checks first): no cases to hold
    errors = []
    for ref, case_ids in sorted(held.items()):
        shown = ", ".join(str(pk) for pk in case_ids[:SHOWN])
        more = f" and {len(case_ids) - SHOWN} more" if len(case_ids) > SHOWN else ""
        errors.append(checks.Error(
            f"{len(case_ids)} open case(s) hold {ref}, which FLOW_VERSIONS does not list: "
            f"case ids {shown}{more}.",
            hint="Keep the version in FLOW_VERSIONS until they finish, or move them with "
                 "`manage.py migrate_cases` (docs/developers/changing-a-procedure.md).",
            id="flows.E001"))
    return errors
