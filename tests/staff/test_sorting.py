"""Sortable staff lists: the order is in the URL, the header says which way, filters stay."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.utils import timezone

from cases.models import Case
from staff import sorting
from tests.support.clients import logged_in
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db
TRACKING_CELL = re.compile(r'<a href="/staff/cases/(\d+)/">')


def test_a_value_naming_no_column_falls_back_to_the_default():
    assert sorting.CASES.order_by(None) == ["-registered_at", "-pk"]
    assert sorting.CASES.order_by("-password") == ["-registered_at", "-pk"]
    assert sorting.CASES.order_by("tracking") == ["tracking_number"]
    assert sorting.CASES.order_by("-tracking") == ["-tracking_number"]


def test_a_header_link_reverses_its_column_and_keeps_the_filters_but_not_the_page():
    state = sorting.CASES.state(QueryDict("status=issued&page=3&sort=tracking"))
    assert state.direction("tracking") == "ascending" and state.direction("registered") is None
    reverse = parse_qs(urlsplit(state.link("tracking")).query)
    assert reverse == {"status": ["issued"], "sort": ["-tracking"]}
    # Another column starts the way a reader expects: the newest registration first.
    assert parse_qs(urlsplit(state.link("registered")).query)["sort"] == ["-registered"]


@pytest.fixture
def three_cases(demo):
    now = timezone.now()
    cases = [CaseFactory(advanced_to="registered") for _ in range(3)]
    # Registered in the opposite order to their tracking numbers.
    ordered = sorted(cases, key=lambda c: c.tracking_number)
    for age, case in enumerate(ordered):
        Case.objects.filter(pk=case.pk).update(registered_at=now - datetime.timedelta(hours=age))
    return [c.pk for c in ordered]


def _listed(body: str, wanted: list[int]) -> list[int]:
    return [int(pk) for pk in TRACKING_CELL.findall(body) if int(pk) in wanted]


def test_the_search_sorts_by_tracking_number_and_by_registration(three_cases):
    supervisor = logged_in("supervisor")
    by_registration = supervisor.get("/staff/search/").content.decode()
    assert _listed(by_registration, three_cases) == three_cases  # newest registration first
    assert 'aria-sort="descending"' in by_registration
    by_tracking = supervisor.get("/staff/search/?sort=-tracking").content.decode()
    assert _listed(by_tracking, three_cases) == three_cases[::-1]
    oldest_first = supervisor.get("/staff/search/?sort=registered").content.decode()
    assert _listed(oldest_first, three_cases) == three_cases[::-1]
    assert 'aria-sort="ascending"' in oldest_first


def test_the_order_survives_a_new_search_and_the_csv(three_cases):
    supervisor = logged_in("supervisor")
    page = supervisor.get("/staff/search/?sort=tracking&status=registered").content.decode()
    assert '<input type="hidden" name="sort" value="tracking">' in page
    csv = b"".join(supervisor.get(
        "/staff/search/?sort=tracking&status=registered&format=csv").streaming_content).decode()
    tracking = [Case.objects.get(pk=pk).tracking_number for pk in three_cases]
    positions = [csv.index(number) for number in tracking]
    assert positions == sorted(positions)


def test_the_open_tasks_sort_newest_first_on_request(demo):
    from tests.support.transfer_driver import register_transfer

    register_transfer("citizen")
    register_transfer("citizen")
    supervisor = logged_in("supervisor")
    oldest = _listed(supervisor.get("/staff/tasks/").content.decode(), list(
        Case.objects.values_list("pk", flat=True)))
    newest = _listed(supervisor.get("/staff/tasks/?sort=-created").content.decode(), list(
        Case.objects.values_list("pk", flat=True)))
    assert len(oldest) >= 2 and newest == oldest[::-1]
