"""The staff lists' rows as the page prints them: plain values read with `values_list`,
formatted here once, so a page of 25 builds no model instances and its template only
prints strings (no filters, no `url()`, no lookups through related objects).
"""

from __future__ import annotations

from django.db.models import QuerySet

from cases.addresses import address_maker
from cases.display import jalali, tracking, tracking_text
from cases.models import CaseStatus, ServiceKind

from .queries import CASE_PATH, PageSlice, page_of

_SERVICES = dict(ServiceKind.choices)
_STATUSES = dict(CaseStatus.choices)
_CASE = f"{CASE_PATH}__"


def _rows(queryset: QuerySet, fields: tuple[str, ...], number: int, build,
          link_to: str = "staff:case", keys_first: bool = False) -> PageSlice:
    page = page_of(queryset.values_list(*fields), number,
                   keys_from=queryset if keys_first else None)
    link = address_maker(link_to)  # reversed once, not per row
    page.rows = [build(values, link) for values in page.rows]
    return page


CASE_FIELDS = ("pk", "tracking_number", "service", "status", "registered_at",
               "property__district__name", "citizen__first_name", "citizen__last_name")


def _case_row(values: tuple, link) -> dict:
    pk, number, service, status, registered, district, first, last = values
    return {"pk": pk, "url": link(pk), "tracking": tracking(number),
            "service": _SERVICES.get(service, service), "status": _STATUSES.get(status, status),
            "registered": jalali(registered), "district": district or "",
            "citizen": f"{first or ''} {last or ''}".strip()}


def case_page(cases: QuerySet, number: int) -> PageSlice:
    """A page of the staff search: each case's shown columns, formatted."""
    return _rows(cases, CASE_FIELDS, number, _case_row)


TASK_FIELDS = ("pk", "flow_task", "created", "owner__username", "owner__first_name",
               "owner__last_name", f"{_CASE}pk", f"{_CASE}tracking_number",
               f"{_CASE}property__district__name")


def _task_row(values: tuple, link) -> dict:
    pk, node, created, username, first, last, case_pk, number, district = values
    owner = f"{first or ''} {last or ''}".strip() or username or "—"
    return {"pk": pk, "url": link(case_pk), "tracking": tracking(number),
            "tracking_text": tracking_text(number) if number else "",
            "step": node.task_title if node else "", "owner": owner,
            "district": district or "", "created": jalali(created, "datetime")}


def task_page(tasks: QuerySet, number: int) -> PageSlice:
    """A page of the supervisor's open tasks: each task's shown columns, formatted."""
    return _rows(tasks, TASK_FIELDS, number, _task_row)


QUEUE_FIELDS = ("pk", "created", f"{_CASE}tracking_number", f"{_CASE}property__address",
                f"{_CASE}property__district_id", f"{_CASE}property__district__name")


def _queue_row(values: tuple, link) -> dict:
    pk, created, number, address, district_id, district = values
    return {"pk": pk, "claim": link(pk), "tracking": tracking(number), "address": address or "",
            "district_id": district_id, "district": district or "",
            "created": jalali(created, "datetime")}


def queue_page(tasks: QuerySet, number: int) -> PageSlice:
    """A page of the inspector's queue: each task's shown columns, formatted."""
    return _rows(tasks, QUEUE_FIELDS, number, _queue_row, link_to="staff:claim",
                 keys_first=True)
