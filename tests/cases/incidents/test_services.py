"""Incidents (cases/incidents/): a failed automatic step is opened once and counted on each
failure, «تلاش دوباره» runs the work once however many supervisors press it, success
closes it, a cancelled case closes its own; every step on the case's timeline."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cases.incidents import registry, services
from cases.incidents.models import Incident, IncidentStatus
from cases.models import CaseEvent
from tests.support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(monkeypatch):
    """A test kind whose retry records what it ran."""
    calls: list[int] = []
    registry.register("test_kind", calls.append)
    yield calls
    registry.unregister("test_kind")


def test_a_failure_opens_one_incident_and_counts_the_next_ones():
    case = CaseFactory(advanced_to="registered")
    first = services.record_failure("test_kind", "thing:7", case=case, error="boom")
    again = services.record_failure("test_kind", "thing:7", case=case, error="boom again")
    assert first.pk == again.pk and again.attempts == 2 and again.error == "boom again"
    assert list(case.events.filter(name="incident_opened").values_list("data__incident_id", flat=True)) == [first.pk]


def test_retry_runs_the_work_once_and_only_while_open(ran, django_capture_on_commit_callbacks):
    supervisor = UserFactory(staff=True, roles=["supervisor"])
    incident = services.record_failure("test_kind", "thing:8", case=CaseFactory(advanced_to="registered"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry(incident.pk, supervisor) is True
        assert services.retry(incident.pk, supervisor) is False  # already being retried
    assert ran == [8]
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RETRYING
    assert CaseEvent.objects.filter(name="incident_retried", actor=supervisor).count() == 1
    services.resolve("thing:8")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED and incident.closed_at
    assert services.retry(incident.pk, supervisor) is False


def test_a_retry_that_fails_again_is_open_again_with_one_more_attempt(ran, django_capture_on_commit_callbacks):
    incident = services.record_failure("test_kind", "thing:9")
    with django_capture_on_commit_callbacks(execute=True):
        services.retry(incident.pk, None)
    services.record_failure("test_kind", "thing:9", error="still broken")
    incident.refresh_from_db()
    assert (incident.status, incident.attempts) == (IncidentStatus.OPEN, 2)


def test_cancelling_the_case_closes_its_incidents():
    case = CaseFactory(advanced_to="registered")
    incident = services.record_failure("test_kind", "thing:10", case=case)
    case.cancel(reason="تکراری")
    case.save()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_pressing_together_retry_once(postgres, ran):
    incident = services.record_failure("test_kind", "thing:11")
    results, start = [], threading.Barrier(2)

    def press():
        try:
            start.wait(5)
            results.append(services.retry(incident.pk, None))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert ran == [11]
    assert Incident.objects.get(pk=incident.pk).status == IncidentStatus.RETRYING
