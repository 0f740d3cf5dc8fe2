"""/metrics: django-prometheus's request metrics plus the business gauges, not public.

Allowed when the request carries ``Authorization: Bearer <METRICS_TOKEN>``, or comes
straight (no proxy header) from an address in METRICS_ALLOWED_ADDRESSES. A request
relayed by a proxy is judged by the token alone: its REMOTE_ADDR is the proxy's.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, multiprocess

from .collectors import COLLECTORS

logger = logging.getLogger(__name__)
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if any(h in request.META for h in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False)
        for net in settings.METRICS_ALLOWED_ADDRESSES
    )


def process_registry() -> CollectorRegistry:
    """Request and task metrics: merged over all gunicorn workers when multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def business_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    for collector in COLLECTORS:
        registry.register(collector)
    return registry


def exposition() -> bytes:
    body = prometheus_client.generate_latest(process_registry())
    try:
        body += prometheus_client.generate_latest(business_registry())
    except Exception:
        # The database being away must not hide the request metrics that show it.
        logger.exception("business metrics could not be read")
    return body


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
