"""Request metrics for /metrics: django-prometheus's metric families, counted by one middleware.

django-prometheus's Before/After pair counts about a dozen series on every request
(method, transport, request and response body-size histograms, charset, streaming, view by
transport...), each through prometheus_client's `labels()` — about 100 µs of CPU a request,
a quarter of what the whole middleware stack costs a small page. Operators read three of
them (docs/operators/operate.md): responses by status, by status/view/method, and latency by
view/method; those are counted here, under django-prometheus's own names, with each labelled
series looked up once per process and kept. Exceptions are counted as django-prometheus does.

Placed first after the probes, so the latency is the whole stack's and every response is
counted, django-axes' lockout page and the middleware's own redirects included.
"""

from __future__ import annotations

from collections.abc import Callable
from timeit import default_timer

from django.http import HttpRequest, HttpResponse
from django_prometheus.middleware import Metrics

# As django-prometheus labels them: anything else is one series, not one per invented verb.
KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"))
UNNAMED_VIEW = "<unnamed view>"


def method_label(request: HttpRequest) -> str:
    return request.method if request.method in KNOWN_METHODS else "<invalid method>"


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else None) or UNNAMED_VIEW


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.metrics = Metrics.get_instance()
        # (status, view, method) → the three series a response of that kind counts in. The
        # labels are bounded: URL names, methods folded as above, the statuses the site sends.
        self._series: dict[tuple[str, str, str], tuple] = {}

    def series(self, status: str, view: str, method: str) -> tuple:
        key = (status, view, method)
        found = self._series.get(key)
        if found is None:
            found = (
                self.metrics.responses_by_status.labels(status=status),
                self.metrics.responses_by_status_view_method.labels(
                    status=status, view=view, method=method),
                self.metrics.requests_latency_by_view_method.labels(view=view, method=method),
            )
            self._series[key] = found
        return found

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = default_timer()
        response = self.get_response(request)
        by_status, by_status_view_method, latency = self.series(
            str(response.status_code), view_label(request), method_label(request))
        by_status.inc()
        by_status_view_method.inc()
        latency.observe(default_timer() - began)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        self.metrics.exceptions_by_type.labels(type=type(exception).__name__).inc()
        self.metrics.exceptions_by_view.labels(view=view_label(request)).inc()
