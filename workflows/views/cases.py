"""A citizen's own case: آخرین وضعیت (the latest state, and the way on)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.appointments import services as appointments
from cases.models import Case
from cases.payments.panel import case_payments
from cases.prepared import PreparedInstances

from ..wizard import open_task_of, task_url


def _own_case(case_id: int, citizen_id: int):
    return Case.objects.select_related("property", "inspection", "process", "certificate").filter(
        pk=case_id, citizen_id=citizen_id)[:1]


# Every visit of the page reads it: compiled once per process (cases/prepared.py).
_OWN_CASE = PreparedInstances(_own_case, -7_000_012, -7_000_013)


@login_required
@require_safe
def case_status(request, case_id: int):
    case = _OWN_CASE.first(case_id, request.user.pk)
    if case is None:
        raise Http404
    task = open_task_of(case, request.user)
    certificate = getattr(case, "certificate", None)
    return render(
        request,
        "portal/case_status.html",
        {
            "case": case,
            "resume_url": task_url(task) if task else None,
            "appointment": appointments.current(case),
            "certificate": certificate,
            "payments": case_payments(case),
            "show": request.GET.get("show", "answer"),
        },
    )
