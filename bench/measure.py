"""Server time of every staff page, in-process, on whatever the database holds.

Shared by `manage.py measure_staff_pages` and the benchmark's scale section, so both
time the same pages: the lists with and without filters, a case page, a visit and the
dashboards, each as the person who works it (a generated inspector, the supervisor).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.urls import get_resolver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case
from workflows import flow_versions


@dataclass
class PageTime:
    path: str
    status: int
    p50_ms: float
    p95_ms: float
    queries: int


def pages() -> list[tuple[object, str]]:
    """(user, path) of each staff page worth timing, on the current data."""
    # viewflow learns its flows' URL namespaces when the URLconf is loaded; a process that
    # has served no request yet (the bench's scale section alone) must load it first.
    get_resolver().url_patterns
    User = get_user_model()
    inspector = (User.objects.filter(username__startswith="gen-inspector-").order_by("pk").first()
                 or User.objects.get(username="inspector"))
    supervisor = User.objects.get(username="supervisor")
    case = Case.objects.filter(status="registered").order_by("-pk").first()
    visit = Task.objects.filter(status=STATUS.ASSIGNED, owner=inspector,
                                owner_permission="cases.inspect_case").first()
    listed = [
        (inspector, "/staff/visits/"),
        (inspector, "/staff/queue/"),
        (inspector, "/staff/search/"),
        (inspector, "/staff/search/?status=cancelled&district=5&page=3"),
        (supervisor, "/staff/tasks/"),
        (supervisor, "/staff/tasks/?flow=transfer&district=3"),
    ]
    if case is not None:
        listed += [(inspector, f"/staff/search/?q={case.tracking_number}"),
                   (inspector, f"/staff/search/?q={case.contact_phone}"),
                   (supervisor, f"/staff/cases/{case.pk}/")]
    if visit is not None:
        listed.append((inspector, visit.reverse("execute")))
    listed += [(supervisor, f"/staff/dashboard/{flow}/") for flow in flow_versions.labels()]
    return listed


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def measure(runs: int = 20) -> list[PageTime]:
    """Each page `runs` times after one warm-up, with the abuse limits off (they would
    refuse twenty searches a minute)."""
    results = []
    with override_settings(RATE_LIMITS={}):
        for user, path in pages():
            client = new_client()
            client.force_login(user)
            results.append(time_page(client, path, runs))
    return results


def new_client() -> Client:
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    return Client(HTTP_HOST=host.lstrip(".") if host != "*" else "localhost")


def time_page(client: Client, path: str, runs: int) -> PageTime:
    """`path` as `client` sees it: a warm-up, its statements counted, then `runs` times.
    Past the fifth run PostgreSQL may plan a prepared statement generically, so a plan
    that is only fast for the values it was first given shows in the p95."""
    client.get(path)
    times, status = [], 200
    statements = []
    # execute_wrapper, not CaptureQueriesContext: that one reads connection.queries,
    # a bounded log that stops growing in a long-lived process.
    with connection.execute_wrapper(lambda run, *args: statements.append(1) or run(*args)):
        client.get(path)
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        status = response.status_code if response.status_code != 200 else status
    times.sort()
    return PageTime(path, status, _percentile(times, 0.5), _percentile(times, 0.95),
                    len(statements))
