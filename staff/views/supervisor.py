"""The supervisor's open tasks (reassign one or many), the case page and cancelling."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from viewflow.workflow.models import Task

from cases.models import Case, CaseStatus
from cases.models.case import CANCELLABLE

from .. import assignment, casefile, cancellation, charts, export, queries, rows, sorting
from ..access import is_supervisor, staff_required, supervisor_required
from ..forms import CancelForm, ReassignForm, TaskFilterForm
from .common import page_number, task_columns


def _task_list(request, reassign_form, status=200):
    filters = TaskFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    chosen = {"flow": chosen.get("flow", ""), "node": chosen.get("node", ""),
              "district": chosen.get("district")}
    order = sorting.TASKS.order_by(request.GET.get("sort"))
    if request.method != "POST" and request.GET.get("format") == "csv":
        tasks = queries.open_tasks(**chosen, order_by=order)
        exported = queries.shown(tasks, queries.TASK_CSV)[:export.EXPORT_LIMIT].iterator()
        return export.csv_response("tasks.csv", task_columns(), exported)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "staff/tasks.html", {
        "filters": filters,
        "page": rows.task_page(page_number(request), order, **chosen),
        "form": reassign_form, "query": query.urlencode(), "sort": sorting.TASKS.state(request.GET),
    }, status=status)


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def tasks(request):
    staff = assignment.staff_choices()
    if request.method != "POST":  # GET, and HEAD (the same page without its body)
        return _task_list(request, ReassignForm(staff=staff))
    form = ReassignForm(request.POST, staff=staff)
    ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
    if not ids:
        form.add_error(None, "دست‌کم یک کار را انتخاب کنید.")
    if not form.is_valid():
        return _task_list(request, form, status=400)
    chosen = list(Task.objects.filter(pk__in=ids).select_related("process"))
    try:
        moved = assignment.reassign(chosen, form.cleaned_data["to_user"], form.cleaned_data["reason"],
                                    request.user)
    except assignment.AssignmentRefused as refused:
        form.add_error(None, str(refused))
        return _task_list(request, form, status=400)
    messages.success(request, f"{moved} کار ارجاع شد.")
    return redirect(request.get_full_path())


@staff_required
@require_safe
def case_page(request, case_id: int):
    case = get_object_or_404(
        Case.objects.exclude(status=CaseStatus.DRAFT).select_related("property__district", "citizen"),
        pk=case_id)
    tasks = casefile.tasks_of(case)
    return render(request, "staff/case.html", {
        "case": case, "timeline": casefile.timeline(case, tasks),
        "documents": casefile.documents(case, request.user),
        "cancel_form": CancelForm() if is_supervisor(request.user) else None,
        "cancellable": case.status in CANCELLABLE, "diagram": charts.case_path(tasks),
    })


@supervisor_required
@require_POST
def cancel(request, case_id: int):
    case = get_object_or_404(Case.objects.exclude(status=CaseStatus.DRAFT), pk=case_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        reason = cancellation.reason_text(form.cleaned_data["reason_code"], form.cleaned_data["details"])
        try:
            cancellation.cancel_case(case, reason, request.user)
        except assignment.AssignmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "پرونده ابطال شد و به شهروند پیامک رفت.")
            return redirect("staff:case", case_id=case.pk)
    tasks = casefile.tasks_of(case)
    return render(request, "staff/case.html", {
        "case": case, "timeline": casefile.timeline(case, tasks),
        "documents": casefile.documents(case, request.user),
        "cancel_form": form, "cancellable": case.status in CANCELLABLE,
        "diagram": charts.case_path(tasks),
    }, status=400)
