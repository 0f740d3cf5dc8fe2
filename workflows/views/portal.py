"""The citizen's portal pages around the flows: home, services menu, own requests."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.models import Case, ServiceKind
from cases.prepared import PreparedInstances

from .. import flow_versions
from ..drafts import mark_listed

SERVICE_PAGES = {
    "transfer": ServiceKind.TRANSFER,
    "inquiry": ServiceKind.INQUIRY,
}


def start_url(service: str) -> str:
    """The start page of the service's newest version: new cases start there."""
    return flow_versions.start_url(flow_versions.newest(service))


@require_safe
def home(request):
    return render(request, "portal/home.html")


@login_required
@require_safe
def services(request):
    # MANUAL.md: the inquiry item opens the stepper at step 1, no page in between.
    return render(request, "portal/services.html", {"inquiry_start": start_url("inquiry")})


PER_PAGE = 20


def _cases_of(citizen_id: int, service: str | None = None) -> QuerySet:
    cases = Case.objects.filter(citizen_id=citizen_id).select_related("property", "certificate")
    if service:
        cases = cases.filter(service=service)
    return cases.order_by("-created_at")


# Every visit of the lists reads their first page: compiled once per process
# (cases/prepared.py), for all services and for one.
_FIRST_PAGE = PreparedInstances(lambda citizen: _cases_of(citizen)[:PER_PAGE + 1], -7_000_014)
_FIRST_PAGE_OF = PreparedInstances(lambda citizen, service: _cases_of(citizen, service)[
    :PER_PAGE + 1], -7_000_015, "not a service")


def _own_cases(request, service: str | None = None):
    cases = _cases_of(request.user.pk, service)
    # Most citizens have one page of cases: read one row more than a page, and count only
    # when it is there.
    first = (_FIRST_PAGE_OF.objects(request.user.pk, service) if service
             else _FIRST_PAGE.objects(request.user.pk))
    paginator = Paginator(first if len(first) <= PER_PAGE else cases, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # A draft is listed as not yet registered, with the day the purge will delete it, a
    # link back to the step where it was left (none for a draft made outside the flows,
    # e.g. by the admin: it has no process) and whether it may be deleted.
    mark_listed(list(page.object_list))
    return page


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
            "start_url": start_url(service) if service in flow_versions.labels() else None,
        },
    )
