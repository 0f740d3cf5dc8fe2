"""A citizen's cases as their lists show them: a draft with the way back to the step where
it was left («ادامه», «ادامه درخواست») and whether it may be deleted, read in the list's
own query (no query per row)."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.drafts import open_drafts
from cases.housekeeping import draft_deleted_on, mark_deletable
from cases.models import Case
from cases.prepared import PreparedInstances

from .wizard import task_url


def with_open_step(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases`, each annotated with its citizen's open step (as wizard.open_task_of finds
    it: the newest new or assigned task the citizen owns in the case's process)."""
    steps = Task.objects.filter(
        process_id=OuterRef("process"), owner_id=OuterRef("citizen_id"),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).order_by("-created")
    return cases.annotate(
        open_step_id=Subquery(steps.values("pk")[:1]),
        open_step_node=Subquery(steps.values("flow_task")[:1]),
        process_pk=F("process"),
    )


def mark_draft(case: Case) -> None:
    """Set what a list shows of a case read through with_open_step: for a draft, the day
    the purge will delete it, the open step's title and the link to it («ادامه»)."""
    case.deleted_on = draft_deleted_on(case) if case.is_draft else None
    case.step_title = case.resume_url = None
    if case.is_draft and case.open_step_id is not None:
        node = case.open_step_node
        case.step_title = node.task_title
        case.resume_url = task_url(Task(pk=case.open_step_id, process_id=case.process_pk,
                                        flow_task=node))


def mark_listed(cases: list[Case]) -> None:
    """mark_draft for each case of a list, and `deletable`: the drafts' open steps and
    deletability read in one query for the drafts alone, none when the list has no draft
    (annotating the whole list with four subqueries cost more to build than to run)."""
    drafts = {case.pk: case for case in cases if case.is_draft}
    for case in cases:
        case.open_step_id = case.open_step_node = case.process_pk = None
        case.deletable = False
    if drafts:
        marks = mark_deletable(with_open_step(Case.objects.filter(pk__in=drafts))).values_list(
            "pk", "open_step_id", "open_step_node", "process_pk", "deletable")
        for pk, step_id, node, process_pk, deletable in marks:
            case = drafts[pk]
            case.open_step_id, case.open_step_node, case.process_pk = step_id, node, process_pk
            case.deletable = deletable
    for case in cases:
        mark_draft(case)


# Every start page lists them: compiled once per process (cases/prepared.py).
_LISTED = PreparedInstances(
    lambda citizen_id, service: with_open_step(
        open_drafts(citizen_id, service).select_related("property")),
    -7_000_021, "\x1fservice stand-in")


def listed_drafts(citizen, service: str) -> list[Case]:
    """The citizen's unregistered drafts of `service`, newest first, each marked."""
    drafts = _LISTED.objects(citizen.pk, service)
    for draft in drafts:
        mark_draft(draft)
    return drafts
