"""viewflow links each task to the one before it (`task.previous`, a row per edge). A
step's completion makes two or three tasks in a row (the step done, its gateway, the next
step), each linked as it is made: one INSERT per link. Inside `batched()` the links are
kept and written together, in one INSERT, when the completion is over: in the same
transaction, under the same process lock, before anything reads them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from viewflow.workflow.models import Task

_pending: ContextVar[list[tuple[int, int]] | None] = ContextVar("pending_task_links",
                                                                default=None)


@contextmanager
def batched() -> Iterator[None]:
    token = _pending.set([])
    try:
        yield
        links = _pending.get()
        if links:
            through = Task.previous.through
            through.objects.bulk_create(
                # viewflow's field names: from the later task to the one before it.
                [through(from_task_id=later, to_task_id=before) for later, before in links],
                ignore_conflicts=True)
    finally:
        _pending.reset(token)


def link(task: Task, previous: Task) -> None:
    """`task.previous.add(previous)`, deferred to the end of `batched()` when inside one."""
    pending = _pending.get()
    if pending is None:
        task.previous.add(previous)
    else:
        pending.append((task.pk, previous.pk))
