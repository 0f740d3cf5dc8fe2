"""HEAD answers every URL exactly as GET does, without the body.

Uptime monitors, link checkers and some caches ask with HEAD; a page that answers GET
but refuses HEAD (405, as require_GET does) reads as "the site is down". The URLs come
from the URLconf (tests/support/urlconf_walk.py), filled in with citizen A's objects as
tests/security/test_every_url.py does, so a page added later is checked without anyone
listing it. Each URL is asked by every kind of visitor; wherever GET answers 200 or a
redirect, HEAD must answer the same status with the same headers and no body.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.support.case_urls import urls_of
from tests.support.clients import logged_in
from tests.support.urlconf_walk import leaf_patterns

pytestmark = pytest.mark.django_db

# Anonymous for the public pages, A for her own cases, staff for the workspace, the
# clerk for the admin: between them, each URL's proper visitor.
VIEWERS = ("anonymous", "citizen", "inspector", "supervisor", "clerk")
ANSWERED = {200, 301, 302}
# What a monitor, a cache or a browser acts on: the same for HEAD as for GET.
HEADERS = ("Content-Type", "Cache-Control", "Content-Security-Policy", "Location",
           "Content-Disposition", "X-Frame-Options")
SERVICE_PACKAGES = ("web", "staff", "flows", "workflows", "cases", "integrations", "ops", "config")
# URL name → why HEAD may differ there (each a page no monitor asks for).
EXCEPTIONS = {
    # Django's AdminSite.login sends a signed-in staff member on to the index only on GET
    # (django/contrib/admin/sites.py); HEAD gets the login form's 200. Django's code.
    "admin:login": "Django's admin login redirects signed-in staff on GET only",
}


def client_of(viewer: str) -> Client:
    return Client() if viewer == "anonymous" else logged_in(viewer)


def body_of(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


def head_problems(client: Client, url: str) -> list[str]:
    # One instant for both: a signed link's timestamp (the certificate's download
    # redirect) must not differ only because a second turned between GET and HEAD.
    with time_machine.travel(timezone.now(), tick=False):
        got = client.get(url)
        if got.status_code not in ANSWERED:
            return []
        head = client.head(url)
    problems = []
    if head.status_code != got.status_code:
        problems.append(f"HEAD {head.status_code}, GET {got.status_code}")
    for name in HEADERS:
        if head.get(name) != got.get(name):
            problems.append(f"{name}: HEAD {head.get(name)!r}, GET {got.get(name)!r}")
    if body_of(head):
        problems.append("HEAD sent a body")
    return problems


@pytest.mark.parametrize("viewer", VIEWERS)
def test_head_answers_every_url_as_get_does(victim, viewer):
    client, problems, requested = client_of(viewer), [], 0
    for leaf in leaf_patterns():
        if leaf.name in EXCEPTIONS:
            continue
        for url in urls_of(victim, leaf):
            found = head_problems(client, url)
            requested += 1
            problems += [f"{url} ({leaf.name}): {p}" for p in found]
    assert requested, "no URL was requested"
    assert not problems, "HEAD differs from GET:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["/", "/healthz", "/readyz", "/verify/"])
def test_an_uptime_monitor_gets_200_for_head(db, path):
    """The probes are answered before the URLconf (ops/middleware.py): HEAD there too."""
    response = Client().head(path)
    assert response.status_code == 200, response.status_code
    assert response.content == b""


@pytest.mark.parametrize("name", ["accounts:login", "accounts:register",
                                  "accounts:login_code"])
def test_head_on_the_account_pages(db, name):
    """The account pages' require_http_methods list HEAD beside GET and POST."""
    try:
        path = reverse(name)
    except NoReverseMatch:
        pytest.fail(f"{name} is not in the URLconf")
    assert Client().head(path).status_code != 405


def test_no_view_is_declared_get_only():
    """require_GET refuses HEAD; require_safe is the GET-only decorator here."""
    root = Path(__file__).resolve().parents[2]
    found = [str(path.relative_to(root)) for package in SERVICE_PACKAGES
             for path in (root / package).rglob("*.py") if "require_GET" in path.read_text()]
    assert not found, found
