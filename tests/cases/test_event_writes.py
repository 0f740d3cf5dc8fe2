"""A transition's UPDATE of the case and its timeline events are one statement on
PostgreSQL (cases/models/event_writes.py); what that statement writes is what the two did.
A stale transition writing neither is test_case_state_machine's
test_stale_copy_cannot_overwrite_a_newer_transition (on PostgreSQL, this path)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseEvent, CaseStatus
from tests.support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if q["sql"].startswith(("UPDATE", "INSERT", "WITH"))]


def test_a_transition_writes_the_case_and_its_event_in_one_statement(postgres):
    case = CaseFactory()
    case.register()
    case.save()
    actor = UserFactory()
    case.approve_inspection(by=actor)
    with CaptureQueriesContext(connection) as captured:
        case.save()
    writes = _writes(captured)
    assert len(writes) == 1 and writes[0].startswith("WITH changed AS (UPDATE"), writes
    event = CaseEvent.objects.get(case=case, name="inspection_approved")
    assert (event.actor, event.from_status, event.to_status) == (
        actor, CaseStatus.REGISTERED, CaseStatus.INSPECTION_APPROVED)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INSPECTION_APPROVED


def test_the_events_written_with_the_update_get_their_ids_in_order(postgres):
    case = CaseFactory()
    case.register()
    case.save()
    case.approve_inspection()
    pending = list(case._pending_events)
    case.save()
    written = CaseEvent.objects.filter(case=case, name="inspection_approved")
    assert [e.pk for e in pending] == list(written.values_list("pk", flat=True))
    assert case._pending_events == []


def test_a_save_without_a_transition_writes_no_event(postgres):
    case = CaseFactory()
    case.contact_phone = "09120000000"
    with CaptureQueriesContext(connection) as captured:
        case.save()
    assert not [q for q in captured.captured_queries if "cases_caseevent" in q["sql"]]
