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


def _run(cpu_ms: float, requests: int = 100) -> dict:
    return {"cpu_ms": cpu_ms, "requests": requests, "rps": requests / 2, "errors": 0,
            "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0}


def test_a_page_is_set_against_the_hello_measured_beside_it():
    """A machine twice as slow while a page ran reads as twice the page's cost against the
    run's hello, and as the page's own cost against the hello beside it."""
    from bench.pages import summarise

    page = {"runs": [_run(4.0), _run(4.2), _run(3.8)],
            "beside": {"hello": [_run(1.0), _run(0.9), _run(1.1)],
                       "shell": [_run(2.0), _run(2.1), _run(1.9)]}}
    summarise(page, base_cpu=0.5, base_rps=1000, bare_rps=2000, base_p95=1.0)
    assert page["cpu_ms"] == 4.0 and page["hello_beside_cpu_ms"] == 1.0
    assert page["cpu_ratio"] == 0.25 and page["cpu_ratio_run"] == 0.125
    assert page["shell_cpu_ms"] == 2.0 and page["shell_ratio"] == 0.5
    earlier = {"runs": [_run(4.0)]}  # a run from before pages were measured beside hello
    summarise(earlier, base_cpu=0.5, base_rps=1000, bare_rps=2000, base_p95=1.0)
    assert earlier["cpu_ratio"] == earlier["cpu_ratio_run"] == 0.125


def test_the_targets_take_the_ratios_beside_and_show_the_run_wide_ones():
    from bench.pages_report import targets

    def page(group, beside, run_wide):
        return {"group": group, "runs": [{}], "rps_ratio": run_wide, "cpu_ratio": beside,
                "cpu_ratio_run": run_wide}

    pages = {"hello_bare_cpu_ratio": 0.5, "hello_bare_ratio": 0.6, "pages": [
        page("citizen", 0.3, 0.2), page("citizen", 0.2, 0.1), page("citizen", 0.4, 0.15),
        page("staff", 0.16, 0.05)]}
    rows = {name: rest for name, *rest in targets(pages)}
    assert rows["median citizen page ÷ hello"] == [0.3, 0.15, 0.25, 0.15]
    assert rows["slowest page ÷ hello"] == [0.16, 0.05, 0.15, 0.05]


def test_the_report_also_sets_each_page_against_the_shell_it_runs_in():
    from bench.pages_report import against_signed_in_hello

    def page(group, cpu_ms, runs=True, shell_ratio=None):
        return {"group": group, "cpu_ms": cpu_ms, "runs": [{}] if runs else [],
                "shell_ratio": shell_ratio}

    # A run without shells measured beside: hello signed in from around the pages.
    pages = {"hello_signed_in_cpu_ms": 1.0, "pages": [
        page("citizen", 2.0), page("citizen", 4.0), page("citizen", 5.0),
        page("staff", 10.0), page("citizen", 0.1, runs=False)]}
    assert against_signed_in_hello(pages) == (0.25, 0.1)
    no_shell = against_signed_in_hello({**pages, "hello_signed_in_cpu_ms": None})
    assert all(value != value for value in no_shell)  # not measured: NaN, printed "–"
    # With them, each page's own.
    beside = {"hello_signed_in_cpu_ms": 1.0, "pages": [
        page("citizen", 2.0, shell_ratio=0.4), page("citizen", 4.0, shell_ratio=0.3),
        page("citizen", 5.0, shell_ratio=0.2), page("staff", 10.0, shell_ratio=0.15)]}
    assert against_signed_in_hello(beside) == (0.3, 0.15)


def test_the_report_sets_each_signed_in_page_against_the_reference_page():
    from bench.pages_report import against_reference

    def page(group, reference_ratio, runs=True):
        return {"group": group, "runs": [{}] if runs else [], "reference_ratio": reference_ratio}

    pages = {"pages": [page("citizen", 0.8), page("citizen", 0.5), page("citizen", 0.25),
                       page("citizen", float("nan")),  # anonymous: no reference beside it
                       page("staff", 0.2), page("citizen", 0.01, runs=False)]}
    # Median of the signed-in citizen pages, the slowest of all, and how many cost at most
    # 1.5 reference pages (ratio ≥ 2/3) of the signed-in ones.
    assert against_reference(pages) == (0.5, 0.2, 1, 4)
    nothing = against_reference({"pages": [page("citizen", None)]})
    assert nothing[2:] == (0, 0) and nothing[0] != nothing[0]
