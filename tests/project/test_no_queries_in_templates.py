"""No SQL runs while a page's template renders: views read what a page shows, templates only
print it. A query in a template escapes the page's budget and hides inside cached fragments."""

from __future__ import annotations

import pytest

from tests.support.clients import logged_in
from tests.support.template_queries import no_queries_while_rendering
from tests.support.transfer_driver import B, CitizenDriver, register_transfer

pytestmark = pytest.mark.django_db


def _pages_of(client, paths: list[str]) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for path in paths:
        client.get(path)  # the first request fills the caches a page may use
        with no_queries_while_rendering() as seen:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        found[path] = seen
    return found


def test_the_citizens_pages_run_no_query_while_rendering(demo):
    case = register_transfer("citizen")
    appointment = CitizenDriver(logged_in("citizen2")).until_appointment(B)
    paths = ["/", "/services/", "/services/transfer/", "/services/requests/",
             f"/services/cases/{case.pk}/"]
    found = _pages_of(logged_in("citizen"), paths)
    found |= _pages_of(logged_in("citizen2"), [appointment.wsgi_request.get_full_path()])
    assert {path: seen for path, seen in found.items() if seen} == {}, "\n".join(f"{p} {t} {s[:150]}" for p, seen in found.items() for t, s in seen)


def test_the_staff_pages_run_no_query_while_rendering(demo):
    case = register_transfer("citizen")
    supervisor = ["/staff/search/", "/staff/search/?q=1", "/staff/tasks/",
                  "/staff/dashboard/transfer/", f"/staff/cases/{case.pk}/"]
    inspector = ["/staff/queue/", "/staff/visits/", "/staff/search/"]
    found = _pages_of(logged_in("supervisor"), supervisor)
    found |= {f"{path} (inspector)": seen
              for path, seen in _pages_of(logged_in("inspector"), inspector).items()}
    assert {path: seen for path, seen in found.items() if seen} == {}, "\n".join(f"{p} {t} {s[:150]}" for p, seen in found.items() for t, s in seen)
