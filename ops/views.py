"""Probes for the orchestrator and the error pages that must work with the database down."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from integrations.registry.base import RegistryUnavailable

from . import metrics
from .checks import run_checks

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving; touches nothing else, so a database outage never
    makes the orchestrator restart healthy web processes."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Which dependency is unreachable, for anyone (the proxy publishes it); what went wrong
    only in the log, and to a caller allowed to read /metrics. An exception's text can
    name hosts, users and paths."""
    results = run_checks()
    ready = all(r.ok for r in results.values())
    for name, result in results.items():
        if not result.ok:
            logger.warning("readiness_check_failed", extra={"check": name,
                                                            "detail": result.detail})
    trusted = metrics.allowed(request)
    checks = {}
    for name, result in results.items():
        shown = result.as_dict()
        if not trusted:
            del shown["detail"]
        checks[name] = shown
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if ready else 503)


def outage(error: BaseException | None) -> str | None:
    """Which shared service an error says is unreachable: "database", "storage",
    "registry" (the property registry) or None."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return "database"
    if isinstance(error, RegistryUnavailable):
        return "registry"
    try:
        from botocore.exceptions import ConnectionError as StoreUnreachable
        from botocore.exceptions import HTTPClientError
    except ImportError:  # pragma: no cover - boto3 is a dependency, but only S3 needs it
        return None
    if isinstance(error, (StoreUnreachable, HTTPClientError)):
        return "storage"
    return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: «try again shortly» (503) when the cause is the database, the file
    store or the property registry being unreachable — a passing condition, not a bug —
    else the Persian error page. Neither reads the database or runs a context processor."""
    service = outage(sys.exc_info()[1])
    if service is not None:
        body = loader.get_template("ops/unavailable.html").render({"service": service})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
