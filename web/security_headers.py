"""Response headers: django-csp's policy built once, and those it and Django do not set.

Permissions-Policy: the service needs no camera, microphone, location or payment API
(payments go through the bank's own page), so every powerful feature is switched off.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


class SiteWideCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site-wide header built once per settings.

    django-csp builds the policy string from the settings on every response; here every
    response carries the same one unless a view changed it (its `_csp_*` attributes) or a
    page asked for a nonce, and those go through django-csp's own path unchanged.
    """

    _PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace",
                     "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "_csp_nonce", None) is not None or any(
                hasattr(response, name) for name in self._PER_RESPONSE):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, exempt, setting, value in _site_wide_policies():
            if value and header not in response and not getattr(response, exempt, False) \
                    and not request.path_info.startswith(setting):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _site_wide_policies() -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """(header, the view's exemption attribute, excluded path prefixes, value) for the
    enforced and the report-only policy, from the settings as they are now."""
    rows = []
    for header, exempt, name, report_only in (
            (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
        policy = getattr(settings, name, None) or {}
        rows.append((header, exempt, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()),
                     build_policy(report_only=report_only)))
    return tuple(rows)


@receiver(setting_changed)
def _policy_settings_changed(setting: str, **_kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_wide_policies.cache_clear()
