"""Section 2 (bench/pages.py): what its load generator sends for a signed-in page, and
what its report sets each page against (bench/pages_report.py)."""

import pytest
from django.conf import settings
from django.test import Client

from bench.pages import BROWSER_CSRF_SECRET, signed_in_cookie
from tests.support.clients import logged_in

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_loaded_as_a_returning_browser_sends_it(demo):
    """The cookie header wrk sends is taken as a browser's: the person is signed in, and
    a page that prints a form keeps the CSRF secret it is given instead of making and
    setting a new one on every request (a first visit's cost, not the page's)."""
    session = logged_in("citizen").cookies[settings.SESSION_COOKIE_NAME].value
    header = signed_in_cookie(session)
    first = Client(HTTP_COOKIE=header).get("/services/")
    assert first.status_code == 200
    assert first.wsgi_request.user.username == "citizen"
    # Django sends the cookie again (to refresh its age), with the secret it was given.
    assert first.cookies[settings.CSRF_COOKIE_NAME].value == BROWSER_CSRF_SECRET
    without = [Client(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}").get(
        "/services/").cookies[settings.CSRF_COOKIE_NAME].value for _ in range(2)]
    assert len(set(without)) == 2 and BROWSER_CSRF_SECRET not in without


def test_the_report_also_sets_each_page_against_the_signed_in_shell():
    from bench.pages_report import against_signed_in_hello

    def page(group, cpu_ms, runs=True):
        return {"group": group, "cpu_ms": cpu_ms, "runs": [{}] if runs else []}

    pages = {"hello_signed_in_cpu_ms": 1.0, "pages": [
        page("citizen", 2.0), page("citizen", 4.0), page("citizen", 5.0),
        page("staff", 10.0), page("citizen", 0.1, runs=False)]}
    assert against_signed_in_hello(pages) == (0.25, 0.1)
    no_shell = against_signed_in_hello({**pages, "hello_signed_in_cpu_ms": None})
    assert all(value != value for value in no_shell)  # not measured: NaN, printed "–"
