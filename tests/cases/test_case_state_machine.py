"""The case's business status: legal transitions, refused ones, concurrency, timeline."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError, IntegrityError
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from cases.models import Case, CaseEvent, CaseStatus, ServiceKind
from cases.persian import to_persian_digits
from cases.tracking import is_valid_tracking_number
from tests.support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

S = CaseStatus

# (transition, kwargs) for every legal move, per service.
TRANSFER_PATH = [
    ("register", {}, S.REGISTERED),
    ("approve_inspection", {}, S.INSPECTION_APPROVED),
    ("settle_fees", {"reference": "PAY-42"}, S.FEES_SETTLED),
    ("issue", {}, S.ISSUED),
    ("archive", {}, S.ARCHIVED),
]
INQUIRY_PATH = [
    ("register", {}, S.REGISTERED),
    ("issue", {}, S.ISSUED),
    ("archive", {}, S.ARCHIVED),
]
ALL_TRANSITIONS = {
    "register": {},
    "approve_inspection": {},
    "settle_fees": {},
    "issue": {},
    "archive": {},
    "cancel": {"reason": "x"},
}


def walk(case: Case, path, by=None) -> Case:
    for name, kwargs, _ in path:
        getattr(case, name)(by=by, **kwargs)
        case.save()
    return case


@pytest.mark.parametrize("service, path", [("transfer", TRANSFER_PATH), ("inquiry", INQUIRY_PATH)])
def test_happy_path_every_step_lands_on_the_timeline(service, path):
    case = CaseFactory(service=service)
    actor = UserFactory()
    seen = []
    for name, kwargs, target in path:
        getattr(case, name)(by=actor, **kwargs)
        case.save()
        case.refresh_from_db()
        assert case.status == target
        seen.append(target)
    events = list(case.events.all())
    assert [e.to_status for e in events] == seen
    assert events[0].name == "case_registered" and events[0].from_status == S.DRAFT
    assert all(e.actor == actor for e in events)
    assert case.closed_at is not None


def test_registration_issues_a_valid_tracking_number_and_drafts_have_none():
    case = CaseFactory()
    assert case.tracking_number is None and case.registered_at is None
    case.register()
    case.save()
    assert is_valid_tracking_number(case.tracking_number)
    display = case.tracking_number_display
    assert [len(g) for g in display.split(" ")] == [3, 3, 4]
    assert display.replace(" ", "") == to_persian_digits(case.tracking_number)


def test_register_needs_a_property():
    case = CaseFactory(property=None)
    with pytest.raises(TransitionNotAllowed):
        case.register()


@pytest.mark.parametrize("service, path", [("transfer", TRANSFER_PATH), ("inquiry", INQUIRY_PATH)])
def test_every_illegal_transition_is_refused_in_every_state(service, path):
    """From each state on the path, only the next step (and cancel where allowed) works."""
    states = [S.DRAFT] + [target for _, _, target in path]
    for i, state in enumerate(states):
        allowed = {path[i][0]} if i < len(path) else set()
        if state in (S.REGISTERED, S.INSPECTION_APPROVED, S.FEES_SETTLED):
            allowed.add("cancel")
        for name, kwargs in ALL_TRANSITIONS.items():
            case = walk(CaseFactory(service=service), path[:i])
            assert case.status == state
            method = getattr(case, name)
            if name in allowed:
                method(**kwargs)
            else:
                with pytest.raises(TransitionNotAllowed):
                    method(**kwargs)
                assert case.status == state


def test_cancel_needs_a_reason_and_marks_paid_cases_for_refund():
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    with pytest.raises(ValueError):
        case.cancel(reason="  ")
    assert case.status == S.REGISTERED

    paid = walk(CaseFactory(), TRANSFER_PATH[:3])
    paid.cancel(reason="عدم تطابق نقشه")
    paid.save()
    paid.refresh_from_db()
    assert (paid.status, paid.refund_due, paid.cancel_reason) == (
        S.CANCELLED,
        True,
        "عدم تطابق نقشه",
    )
    assert paid.events.last().name == "case_cancelled"
    assert paid.events.last().data == {"reason": "عدم تطابق نقشه"}

    unpaid = walk(CaseFactory(), TRANSFER_PATH[:1])
    unpaid.cancel(reason="انصراف متقاضی")
    unpaid.save()
    assert unpaid.refund_due is False


def test_the_status_field_cannot_be_assigned_directly():
    case = CaseFactory()
    with pytest.raises(AttributeError):
        case.status = S.ISSUED


def test_database_refuses_a_registered_case_without_tracking_number():
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(tracking_number=None)


def test_stale_copy_cannot_overwrite_a_newer_transition():
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    first.approve_inspection()
    first.save()
    second.cancel(reason="دیر رسید")
    with pytest.raises(ConcurrentTransition):
        second.save()
    case.refresh_from_db()
    assert case.status == S.INSPECTION_APPROVED
    # The losing transition left nothing on the timeline.
    assert not case.events.filter(name="case_cancelled").exists()


def test_timeline_refuses_update_and_delete_in_python():
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    event = case.events.get()
    event.name = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_timeline_is_append_only_in_postgresql(postgres):
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(name="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])
    assert case.events.get().name == "case_registered"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_only_one_wins(postgres):
    """Two sessions load the same registered case and race different transitions."""
    case = walk(CaseFactory(), TRANSFER_PATH[:1])
    loaded = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(name: str, kwargs: dict) -> None:
        try:
            mine = Case.objects.get(pk=case.pk)
            loaded.wait(timeout=10)
            getattr(mine, name)(**kwargs)
            mine.save()
            results[name] = "won"
        except ConcurrentTransition:
            results[name] = "lost"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("approve_inspection", {})),
        threading.Thread(target=act, args=("cancel", {"reason": "هم‌زمان"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["lost", "won"]
    case.refresh_from_db()
    winner = next(name for name, r in results.items() if r == "won")
    assert case.status == {"approve_inspection": S.INSPECTION_APPROVED, "cancel": S.CANCELLED}[winner]
    assert case.events.count() == 2  # registration + the winner only


def test_tracking_number_clash_draws_a_new_number(monkeypatch):
    taken = walk(CaseFactory(), TRANSFER_PATH[:1]).tracking_number
    draws = iter([taken, "1234567897"])
    monkeypatch.setattr("cases.models.case.generate_tracking_number", lambda: next(draws))
    case = CaseFactory()
    case.register()
    case.save_registration()
    case.refresh_from_db()
    assert case.tracking_number == "1234567897"
    assert case.events.filter(name="case_registered").count() == 1
    assert ServiceKind(case.service) == ServiceKind.TRANSFER
