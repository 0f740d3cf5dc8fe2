"""Per-flow dashboards and the flow chart with live numbers."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from workflows import bpmn, flow_versions

from .. import charts, dashboard, export, open_tasks, summary
from ..access import staff_required, supervisor_required
from ..flows import flow_titles, node_choices
from ..forms import PeriodForm

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366


def _period(form: PeriodForm) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("date_to") or today
    start = data.get("date_from") or end - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, end - datetime.timedelta(days=MAX_PERIOD_DAYS - 1))
    return start, end


def _version(request, flow: str):
    """The flow version a page is about: `?version=N`, the newest without one; 404 when the
    flow or the version is not loaded."""
    if not dashboard.is_flow(flow):
        raise Http404
    number = request.GET.get("version", "")
    try:
        return flow_versions.flow(flow, int(number) if number else None)
    except (ValueError, flow_versions.VersionError):
        raise Http404 from None


@supervisor_required
@require_safe
def flow_dashboard(request, flow: str):
    flow_class = _version(request, flow)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    # Read first: what the dashboard makes from the summary's rows is kept per refresh.
    refreshed = summary.last_refresh()
    now = open_tasks.open_now(flow, flow_class.version, refreshed)
    stats = dashboard.node_stats(flow, start, end, now, version=flow_class.version,
                                 refresh=refreshed)
    human = {ref for ref, _ in node_choices()}
    if request.GET.get("format") == "csv":
        return export.csv_response(f"{flow}-nodes.csv", [
            ("گام", lambda s: s.node.title), ("در انتظار", lambda s: s.waiting),
            ("میانه انتظار (ساعت)", lambda s: round(s.median / 3600, 1) if s.median else ""),
            ("صدک ۹۰ (ساعت)", lambda s: round(s.p90 / 3600, 1) if s.p90 else ""),
            ("مهلت (روز کاری)", lambda s: s.sla_days or ""), ("خارج از مهلت", lambda s: s.breaches),
        ], [s for s in stats if s.node.ref in human])
    incidents = dashboard.open_incidents_by_node(flow)
    days = dashboard.daily_counts(flow, start, end, refreshed)
    return render(request, "staff/dashboard.html", {
        "flow": flow, "flow_title": flow_titles()[flow], "form": form, "start": start, "end": end,
        "version": flow_class.version, "versions": dashboard.open_per_version(flow, now.waiting),
        # Every step people wait at, even with nobody waiting now.
        "stats": [s for s in stats if s.node.ref in human],
        "diagram": charts.flow_diagram(flow, stats, incidents, flow_class.version),
        "incidents_open": sum(incidents.values()),
        "daily": charts.daily_bars(days), "days": days,
        "totals": {key: sum(getattr(d, key) for d in days) for key, _ in charts.SERIES},
        "reasons": dashboard.cancellation_reasons(flow, start, end),
        "inspectors": dashboard.load_per_inspector(now),
        "districts": dashboard.load_per_district(flow, refreshed),
        "refreshed": refreshed,
        "summary_age_minutes": int((timezone.now() - refreshed.refreshed_at).total_seconds() // 60)
        if refreshed else None,
    })


@staff_required
@require_safe
def flow_bpmn(request, flow: str):
    """A version of the flow as BPMN 2.0 (what export_bpmn writes): drawn on the dashboard
    and on a case page, and downloaded from the dashboard for Camunda Modeler or bpmn.io."""
    flow_class = _version(request, flow)
    response = HttpResponse(bpmn.export(flow_class, flow),
                            content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bpmn.file_name(flow_class, flow)}"'
    return response


@supervisor_required
@require_POST
def refresh_summary(request, flow: str):
    if not dashboard.is_flow(flow):
        raise Http404
    summary.refresh()
    messages.success(request, "خلاصه آمار به‌روز شد.")
    return redirect("staff:dashboard", flow=flow)
