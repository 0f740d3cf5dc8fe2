"""The Content-Security-Policy (django-csp), Permissions-Policy and Referrer-Policy on
the citizen pages, and no template that would need the policy loosened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.support.csp import inline_code

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
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
