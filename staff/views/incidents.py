"""Incidents: the automatic steps that failed, and «تلاش دوباره» (supervisors)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from cases.incidents import services
from cases.incidents.models import Incident

from .. import queries
from ..access import supervisor_required


@supervisor_required
@require_safe
def incident_list(request):
    return render(request, "staff/incidents.html", {"incidents": queries.active_incidents()})


@supervisor_required
@require_POST
def retry(request, incident_id: int):
    get_object_or_404(Incident, pk=incident_id)
    if services.retry(incident_id, request.user):
        messages.success(request, "دوباره تلاش شد؛ اگر باز هم ناموفق باشد، اینجا می‌ماند.")
    else:
        messages.info(request, "این رخداد هم‌اکنون در حال تلاش دوباره است یا برطرف شده است.")
    return redirect("staff:incidents")
