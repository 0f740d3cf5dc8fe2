"""The flow lock: a row lock on the case's process, taken with NOWAIT and retried.

viewflow's SelectForUpdateLock locks the process class's row (for CaseProcess, the child
table's) with a statement of its own, and a step's POST then reads its task: two round
trips before the step does anything. Here every lock is on the parent `viewflow_process`
row, so a step's POST can take it by reading its task (`locked_task`): the task, its
process, case, citizen and property, `FOR NO KEY UPDATE OF` the process, one statement.
NO KEY: the lock excludes every other locker, while a task INSERT's foreign-key check
(KEY SHARE) on the row does not wait for it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from viewflow.workflow import lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process, Task

ATTEMPTS = 5


def _pause(attempt: int) -> None:
    # viewflow's back-off: ~0.4 s, 0.8 s, 1.6 s… with jitter.
    time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)


@contextmanager
def _retried(take) -> Iterator[object]:
    """A transaction whose first statement `take()` is retried while the row is held."""
    for attempt in range(ATTEMPTS):
        with transaction.atomic():
            try:
                taken = take()
            except DatabaseError:
                if attempt == ATTEMPTS - 1:
                    raise FlowLockFailed("Lock failed") from None
            else:
                yield taken
                return
        _pause(attempt)


def _lock_row(process_pk: int) -> None:
    Process.objects.filter(pk=process_pk).select_for_update(nowait=True, no_key=True).exists()


class ProcessRowLock:
    """`lock_impl` of the case flows: the `viewflow_process` row, FOR NO KEY UPDATE NOWAIT."""

    @contextmanager
    def __call__(self, flow_class, process_pk: int) -> Iterator[None]:
        with _retried(lambda: _lock_row(process_pk)):
            yield


process_row_lock = ProcessRowLock()


@contextmanager
def locked_reading(flow_class, process_pk: int, read: Callable[[], object | None]
                   ) -> Iterator[object | None]:
    """The flow lock on `process_pk`, taken by `read()`: a query that locks the process
    row (`of=("process",)`) as it reads, yielded. When it finds nothing the lock is taken
    alone and None yielded."""
    found: list[object | None] = [None]

    @contextmanager
    def reading_lock(flow_class, process_pk):
        def take():
            row = read()
            if row is None:
                _lock_row(process_pk)
            return row

        with _retried(take) as row:
            found[0] = row
            yield

    with lock.lock_scope(reading_lock, flow_class, process_pk):
        yield found[0]


def locked_task(flow_class, process_pk: int, task_pk: int):
    """`locked_reading` of task `task_pk` when it is `process_pk`'s, read as the flow's
    task manager reads it (with its process, case, citizen and property)."""
    return locked_reading(flow_class, process_pk, lambda: (
        flow_class.task_class._default_manager
        .select_for_update(nowait=True, no_key=True, of=("process",))
        .filter(pk=task_pk, process_id=process_pk).first()))


def locked_task_state(flow_class, task: Task):
    """`locked_reading` of the columns another run could have changed on `task`."""
    return locked_reading(flow_class, task.process_id, lambda: (
        Task.objects.select_related("process")
        .select_for_update(nowait=True, no_key=True, of=("process",))
        .only("status", "started", "finished", "data", "process__id")
        .filter(pk=task.pk).first()))
