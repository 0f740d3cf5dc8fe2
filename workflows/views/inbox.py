"""The inspector's visits: their open inspection tasks, soonest visit first."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.appointments.models import Appointment


@login_required
@permission_required("cases.inspect_case", raise_exception=True)
@require_GET
def inspector_inbox(request):
    tasks = list(
        Task.objects.filter(owner=request.user, status__in=[STATUS.ASSIGNED, STATUS.NEW])
        .select_related("process__caseprocess__case__property")
        .order_by("created")
    )
    case_ids = [t.process.caseprocess.case_id for t in tasks]
    visits = {
        a.case_id: a
        for a in Appointment.objects.live().filter(case_id__in=case_ids).select_related("slot")
    }
    rows = sorted(
        (
            {"task": t, "case": t.process.caseprocess.case, "appointment": visits.get(t.process.caseprocess.case_id),
             "url": t.reverse("execute")}
            for t in tasks
        ),
        key=lambda row: row["appointment"].slot.starts_at if row["appointment"] else row["task"].created,
    )
    return render(request, "staff/inbox.html", {"rows": rows})
