"""Response headers django-csp and Django do not set themselves.

Permissions-Policy: the service needs no camera, microphone, location or payment API
(payments go through the bank's own page), so every powerful feature is switched off.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}


def permissions_policy_value(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; frame-ancestors follows X-Frame-Options.

    Placed after django-csp's middleware, so its response side runs first: a view that
    lets our own pages frame it (xframe_options_sameorigin, e.g. the certificate PDF in
    آخرین وضعیت) gets `frame-ancestors 'self'` instead of the site-wide 'none'.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        features = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        self.permissions_policy = permissions_policy_value(features)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if response.headers.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace = dict(getattr(response, "_csp_replace", None) or {})
            replace["frame-ancestors"] = ["'self'"]
            response._csp_replace = replace
        return response
