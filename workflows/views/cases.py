"""A citizen's own case: آخرین وضعیت (the latest state, and the way on)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cases.appointments import services as appointments
from cases.models import Case
from cases.payments.panel import case_payments

from ..wizard import open_task_of, task_url


@login_required
@require_safe
def case_status(request, case_id: int):
    case = get_object_or_404(
        Case.objects.select_related("property", "inspection", "process", "certificate"),
        pk=case_id, citizen=request.user
    )
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
