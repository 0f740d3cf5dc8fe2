"""Answer the probes before anything that would refuse or redirect them.

An orchestrator's probe and Prometheus reach a container by its internal name over
plain HTTP, so the host check (ALLOWED_HOSTS) and the HTTPS redirect would turn them
away; they are answered here, first, by exact path. /metrics keeps its own access rule.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import metrics, views

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
    "/metrics": metrics.metrics_view,
}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
