"""The inspector's queue (claim, unassign) and the staff search."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from viewflow.workflow.models import Task

from .. import assignment, export, queries, rows, sorting
from ..access import inspector_required, staff_required
from ..forms import SearchForm
from .common import case_columns, page_number


@inspector_required
@require_safe
def queue(request):
    page = rows.queue_page(page_number(request), *queries.queue_scope(request.user))
    return render(request, "staff/queue.html", {"page": page})


@inspector_required
@require_POST
def claim(request, task_id: int):
    task = get_object_or_404(queries.queue_for(request.user), pk=task_id)
    try:
        assignment.claim(task, request.user)
    except assignment.AssignmentRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:queue")
    messages.success(request, "کار به فهرست بازدیدهای شما افزوده شد.")
    return redirect("portal:inspector_inbox")


@inspector_required
@require_POST
def unassign(request, task_id: int):
    task = get_object_or_404(Task, pk=task_id, owner=request.user)
    try:
        assignment.unassign(task, request.user)
    except assignment.AssignmentRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "کار به صف کارهای بدون کارشناس بازگشت.")
    return redirect("portal:inspector_inbox")


# The search's filters behind «فیلترها» (the text box is always shown).
FILTERS = ("flow", "node", "status", "district", "date_from", "date_to")


@staff_required
@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    order = sorting.CASES.order_by(request.GET.get("sort"))
    page = None
    if form.is_bound and form.is_valid():
        if request.GET.get("format") == "csv":
            cases = queries.search_cases(**form.filters(), order_by=order)
            exported = queries.with_open_step(queries.shown(cases, queries.CASE_CSV))
            exported = exported[:export.EXPORT_LIMIT].iterator()
            return export.csv_response("cases.csv", case_columns(), exported)
        page = rows.case_page(page_number(request), order, **form.filters())
    elif not form.is_bound:
        page = rows.case_page(page_number(request), order)
    status = 400 if form.is_bound and not form.is_valid() else 200
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "staff/search.html",
                  {"form": form, "page": page, "query": query.urlencode(),
                   "sort": sorting.CASES.state(request.GET),
                   "filtered": any(request.GET.get(name) for name in FILTERS)}, status=status)
