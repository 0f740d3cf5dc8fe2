"""The citizen's portal pages around the flows: home, services menu, own requests."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.housekeeping import draft_deleted_on
from cases.models import Case, ServiceKind

from ..wizard import open_task_of, task_url

SERVICE_PAGES = {
    "transfer": ServiceKind.TRANSFER,
    "inquiry": ServiceKind.INQUIRY,
}
# URL names of each service's start node, as the flows mount them (flows/urls.py).
START_URLS = {"transfer": "transfer:start:execute", "inquiry": "inquiry:start:execute"}


@require_safe
def home(request):
    return render(request, "portal/home.html")


@login_required
@require_safe
def services(request):
    # MANUAL.md: the inquiry item opens the stepper at step 1, no page in between.
    return render(request, "portal/services.html", {"inquiry_start": reverse(START_URLS["inquiry"])})


def _own_cases(request, service: str | None = None):
    # The process joined: a draft's link back to its step needs it (_mark_draft).
    cases = Case.objects.filter(citizen=request.user).select_related(
        "property", "certificate", "process")
    if service:
        cases = cases.filter(service=service)
    page = Paginator(cases.order_by("-created_at"), 20).get_page(request.GET.get("page"))
    for case in page.object_list:
        _mark_draft(case, request.user)
    return page


def _mark_draft(case: Case, user) -> None:
    """A draft is listed as not yet registered, with the day the purge will delete it
    (cases.housekeeping.purge_drafts) and a link back to the step where it was left."""
    case.deleted_on = None
    case.resume_url = None
    if case.is_draft:
        case.deleted_on = draft_deleted_on(case)
        task = open_task_of(case, user) if _has_process(case) else None
        case.resume_url = task_url(task) if task else None


def _has_process(case: Case) -> bool:
    try:
        return case.process is not None
    except ObjectDoesNotExist:  # a draft made outside the flows (e.g. by the admin)
        return False


@login_required
@require_safe
def previous_requests(request):
    return render(request, "portal/previous_requests.html", {"page": _own_cases(request)})


@login_required
@require_safe
def service_page(request, service: str):
    kind = SERVICE_PAGES[service]
    return render(
        request,
        "portal/service.html",
        {
            "service": kind,
            "service_key": service,
            "page": _own_cases(request, kind),
            "start_url": reverse(START_URLS[service]) if service in START_URLS else None,
        },
    )
