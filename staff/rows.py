"""The staff lists' rows as the page prints them: plain values read with `values_list`,
formatted here once, so a page of 25 builds no model instances and its template only
prints strings (no filters, no `url()`, no lookups through related objects). Each list's
page is read through SQL compiled once per shape (staff/list_reads.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet

from cases.addresses import address_maker
from cases.display import jalali, tracking, tracking_text
from cases.models import CaseStatus, ServiceKind

from .list_reads import ShapedRead, named, present
from .queries import (
    CASE_PATH,
    PageSlice,
    district_type_id,
    open_tasks,
    page_cut,
    page_of,
    queue_of,
    search_cases,
    sliced,
)

_SERVICES = dict(ServiceKind.choices)
_STATUSES = dict(CaseStatus.choices)
_CASE = f"{CASE_PATH}__"


# Values no real filter has: they mark where each request's own go in a list's compiled
# SQL (staff/list_reads.py).
STAND_INS = {"district": -7_400_001, "date_from": datetime.date(1901, 1, 3),
             "date_to": datetime.date(1901, 1, 4)}


def _rows(queryset: QuerySet, fields: tuple[str, ...], number: int, build) -> PageSlice:
    return _formatted(page_of(queryset.values_list(*fields), number), build)


def _formatted(page: PageSlice, build, link_to: str = "staff:case") -> PageSlice:
    link = address_maker(link_to)  # reversed once, not per row
    page.rows = [build(values, link) for values in page.rows]
    return page


def _read_page(read: ShapedRead, number: int, fixed: tuple, stand_ins: tuple,
               values: tuple) -> PageSlice:
    """Page `number` through `read`: its shape is `fixed` (what changes the SQL), the page
    and its size; `values` go where `stand_ins` stood."""
    size, number = settings.STAFF_PAGE_SIZE, max(1, number)
    return sliced(read.rows((*fixed, number, size), stand_ins, values), number, size)


def _shaped(read: ShapedRead, number: int, fixed: tuple, **values) -> PageSlice:
    """A filtered list's page: which of `values` are set is part of the shape too."""
    names, given = present(**values)
    return _read_page(read, number, (*fixed, names), tuple(STAND_INS[n] for n in names), given)


CASE_FIELDS = ("pk", "tracking_number", "service", "status", "registered_at",
               "property__district__name", "citizen__first_name", "citizen__last_name")


def _case_row(values: tuple, link) -> dict:
    pk, number, service, status, registered, district, first, last = values
    return {"pk": pk, "url": link(pk), "tracking": tracking(number),
            "service": _SERVICES.get(service, service), "status": _STATUSES.get(status, status),
            "registered": jalali(registered), "district": district or "",
            "citizen": f"{first or ''} {last or ''}".strip()}


def _case_query(shape: tuple, *values) -> QuerySet:
    flow, node, status, order_by, names, number, size = shape
    cases = search_cases(flow=flow, node=node, status=status, order_by=list(order_by),
                         **named(names, values))
    return page_cut(cases.values_list(*CASE_FIELDS), number, size)


_CASE_PAGES = ShapedRead(_case_query)


def case_page(number: int, order_by: list[str], q: str = "", flow: str = "", node: str = "",
              status: str = "", date_from: datetime.date | None = None,
              date_to: datetime.date | None = None, district: int | None = None) -> PageSlice:
    """A page of the staff search: each case's shown columns, formatted. Without a text
    to look for, the page's SQL is compiled once per shape; a text makes its own."""
    if q:
        cases = search_cases(q=q, flow=flow, node=node, status=status, date_from=date_from,
                             date_to=date_to, district=district, order_by=order_by)
        return _rows(cases, CASE_FIELDS, number, _case_row)
    page = _shaped(_CASE_PAGES, number, (flow, node, status, tuple(order_by)),
                   date_from=date_from, date_to=date_to, district=district)
    return _formatted(page, _case_row)


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


def _task_query(shape: tuple, *values) -> QuerySet:
    flow, node, order_by, names, number, size = shape
    tasks = open_tasks(flow=flow, node=node, order_by=list(order_by), **named(names, values))
    return page_cut(tasks.values_list(*TASK_FIELDS), number, size)


_TASK_PAGES = ShapedRead(_task_query)


def task_page(number: int, order_by: list[str], flow: str = "", node: str = "",
              district: int | None = None) -> PageSlice:
    """A page of the supervisor's open tasks: each task's shown columns, formatted; the
    page's SQL compiled once per shape."""
    page = _shaped(_TASK_PAGES, number, (flow, node, tuple(order_by)), district=district)
    return _formatted(page, _task_row)


QUEUE_FIELDS = ("pk", "created", f"{_CASE}tracking_number", f"{_CASE}property__address",
                f"{_CASE}property__district_id", f"{_CASE}property__district__name")


def _queue_row(values: tuple, link) -> dict:
    pk, created, number, address, district_id, district = values
    return {"pk": pk, "claim": link(pk), "tracking": tracking(number), "address": address or "",
            "district_id": district_id, "district": district or "",
            "created": jalali(created, "datetime")}


def _queue_query(shape: tuple, district_type: int, *districts: str) -> QuerySet:
    superuser, permissions, _, number, size = shape
    tasks = queue_of(superuser, permissions, districts, district_type)
    return page_cut(tasks.values_list(*QUEUE_FIELDS), number, size, keys_from=tasks)


_QUEUE_PAGES = ShapedRead(_queue_query)


def queue_page(number: int, superuser: bool, permissions: tuple[str, ...],
               districts: tuple[str, ...]) -> PageSlice:
    """A page of the inspector's queue (a scope of queries.queue_scope): each task's shown
    columns, formatted; the page's SQL compiled once per shape (how many districts)."""
    if not superuser and not (permissions and districts):
        return PageSlice(rows=[], number=max(1, number), has_next=False)
    # The content type's id a value too: a test database made again may number it anew.
    stand_ins = (-7_400_002, *(f"\x00district{i}" for i in range(len(districts))))
    page = _read_page(_QUEUE_PAGES, number, (superuser, permissions, len(districts)),
                      stand_ins, (district_type_id(), *districts))
    return _formatted(page, _queue_row, link_to="staff:claim")
