"""The flow lock (workflows/process_lock.py): one row per case's process, whichever way it
is taken — alone (automatic steps, workers), by reading a step's task (its POST), by
reading a task's state (the Handle) — so each excludes the others, and a step's POST takes
it with the read it does anyway."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from cases.models import Case
from flows.transfer_flow import TransferFlow
from tests.support.clients import logged_in
from tests.support.transfer_driver import CitizenDriver
from workflows import process_lock
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_step(demo, postgres):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    return CaseTask.objects.get(process=Case.objects.get().process, status=STATUS.ASSIGNED)


def _held_elsewhere(take, task):
    """Hold the lock in another thread (its own connection) until released."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        try:
            with take(task):
                taken.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    return release, thread


WAYS = {
    "alone": lambda task: TransferFlow.lock(task.process_id),
    "by the step's read": lambda task: process_lock.locked_task(
        TransferFlow, task.process_id, task.pk),
    "by the task's state": lambda task: process_lock.locked_task_state(TransferFlow, task),
}


@pytest.mark.parametrize("held", WAYS)
@pytest.mark.parametrize("wanted", WAYS)
def test_each_way_of_taking_the_lock_excludes_the_others(open_step, monkeypatch, held, wanted):
    monkeypatch.setattr(process_lock, "ATTEMPTS", 2)
    monkeypatch.setattr(process_lock, "_pause", lambda attempt: None)
    release, thread = _held_elsewhere(WAYS[held], open_step)
    try:
        with pytest.raises(FlowLockFailed), WAYS[wanted](open_step):
            pass
    finally:
        release.set()
        thread.join(10)
    with WAYS[wanted](open_step):  # free again
        pass


def test_the_steps_read_takes_the_lock_in_one_statement_and_gives_the_task(open_step):
    with CaptureQueriesContext(connection) as captured:
        with process_lock.locked_task(TransferFlow, open_step.process_id, open_step.pk) as task:
            case = task.process.caseprocess.case
            assert (task.pk, case.citizen.username) == (open_step.pk, "citizen")
    statements = [q["sql"] for q in captured.captured_queries
                  if q["sql"] not in ("BEGIN", "COMMIT")]  # the lock's own transaction
    assert len(statements) == 1 and "FOR NO KEY UPDATE OF" in statements[0], statements


def test_a_task_of_another_process_still_locks_the_urls_process(open_step, monkeypatch):
    monkeypatch.setattr(process_lock, "ATTEMPTS", 1)
    release, thread = _held_elsewhere(WAYS["alone"], open_step)
    try:
        with pytest.raises(FlowLockFailed), process_lock.locked_task(
                TransferFlow, open_step.process_id, open_step.pk + 10_000):
            pass
    finally:
        release.set()
        thread.join(10)
    with process_lock.locked_task(TransferFlow, open_step.process_id, -1) as task:
        assert task is None
