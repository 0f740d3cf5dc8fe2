"""The Content-Security-Policy (django-csp), Permissions-Policy and Referrer-Policy on
the citizen pages, and no template that would need the policy loosened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.support.csp import inline_code

TEMPLATES = Path(__file__).resolve().parents[2] / "jinja2"
EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/", "/verify/"])
def test_pages_carry_the_policies(path):
    response = Client().get(path)
    policy = directives(response["Content-Security-Policy"])
    for name, value in EXPECTED.items():
        assert policy.get(name) == value, (name, policy)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # same-origin site-wide; the verification page sends none at all (stricter).
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response["X-Frame-Options"] == "DENY"
    assert not inline_code(response.content.decode())


def test_a_view_framed_by_our_own_pages_gets_frame_ancestors_self(rf):
    from django.http import HttpResponse
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from csp.middleware import CSPMiddleware
    from web.security_headers import SecurityHeadersMiddleware

    view = xframe_options_sameorigin(lambda request: HttpResponse(b"%PDF"))
    chain = CSPMiddleware(SecurityHeadersMiddleware(view))
    policy = directives(chain(rf.get("/certificates/1/pdf/"))["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "'self'"
    assert policy["script-src"] == "'self'"  # nothing else loosened


def test_citizen_templates_hold_no_inline_script_or_style():
    """Pages are checked as served by the browser tests; this catches a template before."""
    offenders = {}
    for template in TEMPLATES.rglob("*.html"):
        if template.relative_to(TEMPLATES).parts[0] in ("sms", "dev"):  # dev/: DEBUG-only tools
            continue
        found = inline_code(re.sub(r"{%.*?%}|{{.*?}}", "", template.read_text(), flags=re.S))
        if found:
            offenders[str(template.relative_to(TEMPLATES))] = found
    assert not offenders, offenders


def _chain(middleware, view):
    from web.security_headers import SecurityHeadersMiddleware

    return middleware(SecurityHeadersMiddleware(view))


@pytest.mark.parametrize("framed", [False, True])
def test_the_site_wide_policy_is_django_csps_own(rf, framed):
    """The header built once is the one django-csp builds per response, and a view's own
    change (frame-ancestors for a page framed by ours) still goes through django-csp."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from web.security_headers import SiteWideCSPMiddleware

    def view(request):
        return HttpResponse(b"ok")

    if framed:
        view = xframe_options_sameorigin(view)
    ours = _chain(SiteWideCSPMiddleware, view)(rf.get("/"))
    theirs = _chain(CSPMiddleware, view)(rf.get("/"))
    assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert directives(ours["Content-Security-Policy"])["frame-ancestors"] == (
        "'self'" if framed else "'none'")


def test_the_site_wide_policy_follows_the_settings(rf, settings):
    from django.http import HttpResponse

    from web.security_headers import SiteWideCSPMiddleware

    chain = _chain(SiteWideCSPMiddleware, lambda request: HttpResponse(b"ok"))
    assert "report-only.example" not in chain(rf.get("/"))["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
        "default-src": ["'self'"], "form-action": ["'self'", "report-only.example"]}}
    assert directives(chain(rf.get("/"))["Content-Security-Policy"])["form-action"] == (
        "'self' report-only.example")
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert chain(rf.get("/"))["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_nonce_asked_for_goes_into_the_header(rf, settings):
    """No page uses one today; a policy that allows it must still get the page's nonce."""
    from csp.constants import NONCE
    from django.http import HttpResponse

    from web.security_headers import SiteWideCSPMiddleware

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    middleware = SiteWideCSPMiddleware(view)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]
