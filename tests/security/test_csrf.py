"""CSRF: every endpoint refuses a POST without the token, but for the few that are exempt
on purpose, each with a check of its own that a forged browser request cannot pass.

The endpoints come from the URLconf (tests/support/urlconf_walk.py), filled in with
citizen A's objects as tests/security/test_every_url.py does; the POST is made by A's own
browser (her session cookie is sent, as in a real cross-site forgery) without a token.
"""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from tests.support.case_urls import urls_of
from tests.support.citizen_a import snapshot
from tests.support.clients import user
from tests.support.urlconf_walk import leaf_patterns

pytestmark = pytest.mark.django_db

# route → why it needs no CSRF token: a machine calls it, and something else vouches for it.
CSRF_EXEMPT = {
    "sms/twilio/<int:message_id>/status/": "Twilio's server posts delivery receipts; refused "
        "unless signed with X-Twilio-Signature (tests/integrations/sms/test_twilio.py)",
    "payments/notify/": "the bank's server-to-server notice; refused unless signed with the "
        "bank's notice key (tests/cases/payments/test_bank_notice.py)",
    "api/v1/verify": "the public JSON verification API: reads only, changes nothing, and "
        "answers only to a tracking number with its code "
        "(tests/cases/certificates/test_verify_api.py)",
    "api/v1/verify/file": "the same API for a PDF file: reads the file, changes nothing, "
        "and tells only what the file itself shows (tests/cases/certificates/"
        "test_verify_file.py)",
}

# route → why no CSRF check runs: answered by ops.middleware.ProbeMiddleware before the CSRF
# middleware, for load balancers and Prometheus; read-only; POST gets 405 (403 for /metrics without its token) (checked).
ANSWERED_BEFORE_CSRF = {
    "healthz": "liveness probe, GET only",
    "readyz": "readiness probe, GET only",
    "metrics": "Prometheus scrape, GET only, token or allowed address",
}


def posts_refused_for_csrf(client: Client, url: str, caplog) -> bool:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(url, {"action": "next"})
    refused = [r for r in caplog.records if r.name == "django.security.csrf"]
    return response.status_code == 403 and bool(refused)


def test_every_post_without_a_token_is_refused_but_the_listed_exempt_ones(victim, caplog):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("citizen"))
    before = snapshot(victim)
    every, exempt, problems = set(), set(), []
    for leaf in leaf_patterns():
        every.add(leaf.route)
        urls = urls_of(victim, leaf)
        if getattr(leaf.callback, "csrf_exempt", False) or leaf.route in CSRF_EXEMPT:
            exempt.add(leaf.route)
            continue
        if leaf.route in ANSWERED_BEFORE_CSRF:
            assert all(browser.post(url).status_code in (403, 405) for url in urls), leaf.route
            continue
        for url in urls[:2]:  # the check is the middleware's, the same for every object
            if not posts_refused_for_csrf(browser, url, caplog):
                problems.append(f"{url} ({leaf.name})")
    assert not problems, "POST without a CSRF token accepted:\n" + "\n".join(problems)
    assert exempt == set(CSRF_EXEMPT), "csrf_exempt views must be listed here with the reason"
    assert len(every) > 300
    assert snapshot(victim) == before


def test_the_same_post_with_the_token_is_let_through(victim, caplog):
    """Control: the refusal above is about the token, not the session or the URL."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("citizen"))
    page = browser.get("/services/")
    token = browser.cookies["csrftoken"].value
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = browser.post("/i18n/setlang/", {"language": "fa", "next": "/services/",
                                                   "csrfmiddlewaretoken": token})
    assert page.status_code == 200 and response.status_code == 302
    assert not [r for r in caplog.records if r.name == "django.security.csrf"]
    assert posts_refused_for_csrf(browser, "/i18n/setlang/", caplog)


@pytest.mark.parametrize("route", sorted(CSRF_EXEMPT))
def test_each_exempt_endpoint_refuses_an_unsigned_forged_post(victim, route):
    [leaf] = [leaf for leaf in leaf_patterns() if leaf.route == route]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("citizen"))
    before = snapshot(victim)
    for url in urls_of(victim, leaf):
        response = browser.post(url, {"MessageStatus": "delivered", "order_id": "x",
                                      "status": "paid"})
        assert response.status_code in (400, 403, 404, 405, 422), (url, response.status_code)
    assert snapshot(victim) == before
