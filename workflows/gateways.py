"""viewflow's automatic nodes (If, Switch, Function, End) without a savepoint each.

viewflow runs every automatic node's work in `atomic(savepoint=True)` so that, when an
activation's error is to be kept (`context.propagate_exception` False: a Job, a timer),
the node's writes roll back and its task is saved in ERROR. In a request or a Celery
task of ours the error propagates and the whole transaction rolls back, so the
savepoint (SAVEPOINT + RELEASE, two statements per node) buys nothing. These keep it
only where it is relied upon. Each `activate` is viewflow 2.4's, with that one change.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.func import FunctionActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.signals import flow_finished, task_finished, task_started
from viewflow.workflow.status import STATUS

from . import task_links
from .process_lock import locked_task_state


def node_transaction() -> transaction.Atomic:
    """A savepoint only when a failure is to be recorded on the task, not propagated."""
    return transaction.atomic(savepoint=not context.propagate_exception)


class WrittenOnce(Activation):
    """An automatic node's task row written once, already done.

    viewflow INSERTs each task as it is created, then UPDATEs it to DONE when the node
    completes, a moment later in the same transaction. An automatic node completes at
    once, so its row is first written at completion (one INSERT, its link to the task
    before it included). Where an activation's error is to be recorded on its task instead of
    raised, the row is written at creation as viewflow does, so the error has one."""

    # viewflow keeps activations in sets, hashed by their task's id; this task has none
    # until it completes, so an activation is itself (one per task in any case).
    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other) -> bool:
        return self is other

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception:
            activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
            activation.decided_by = prev_activation.task
            return activation
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation.previous_task = prev_activation.task
        # A gateway after a citizen's step routes by what they chose there (wizard.py).
        activation.decided_by = prev_activation.task
        return activation

    @Activation.status.super()
    def complete(self) -> None:
        previous = getattr(self, "previous_task", None)
        if previous is not None and self.task.pk is None:
            task_links.link_on_insert(self.task, previous)
        super().complete.original()


class LeanIfActivation(WrittenOnce, IfActivation):
    @Activation.status.super()
    def activate(self) -> None:
        with self.exception_guard(), node_transaction():
            self._condition_result = self.flow_task._condition(self)


class LeanSwitchActivation(WrittenOnce, SwitchActivation):
    @Activation.status.super()
    def activate(self) -> None:
        with self.exception_guard(), node_transaction():
            for node, cond in self.flow_task._branches:
                if cond:
                    if cond(self):
                        self.next_task = node
                        break
                else:
                    self.next_task = node
            if not self.next_task:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class LeanFunctionActivation(WrittenOnce, FunctionActivation):
    @Activation.status.super()
    def activate(self) -> None:
        with self.exception_guard(), node_transaction():
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.flow_task._func(self)


class LeanEndActivation(WrittenOnce, EndActivation):
    @Activation.status.super()
    def activate(self) -> None:
        with self.exception_guard(), node_transaction():
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            others_open = (
                self.flow_class.task_class._default_manager
                .filter(process=self.process, finished__isnull=True)
                .exclude(pk=self.task.pk)
                .exists()
            )
            if not others_open:
                self.process.status = STATUS.DONE
                self.process.finished = now()
                # The two columns only: a full save also rewrites the case's process row.
                self.process.save(update_fields=["status", "finished"])
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if not others_open:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class LinkedHandleActivation(HandleActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow 2.4's Activation.create, the link to the task before it written by
        the task's own INSERT (task_links.py)."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        task_links.save_linked(task, prev_activation.task)
        return cls(task)


class Handle(flow.Handle):
    """An automatic step completed by our Celery task (workflows/automation.py)."""

    activation_class = LinkedHandleActivation

    def _create_wrapper_function(self, origin_func, task):
        """viewflow 2.4's, with one change: under the lock only the fields another run
        could have changed are read again (a full refresh also drops the process and case
        read with the task, and reads them back one by one)."""

        def func(**kwargs):
            # The lock is taken by reading the task's state again (process_lock.py).
            with locked_task_state(self.flow_class, task) as fresh:
                if fresh is None:
                    raise Task.DoesNotExist(f"task {task.pk}")
                for name in ("status", "started", "finished", "data"):
                    setattr(task, name, getattr(fresh, name))
                activation = self.activation_class(task)
                result = activation.run(origin_func, **kwargs)
                activation.execute()
                return result

        return func


class If(flow.If):
    activation_class = LeanIfActivation


class Switch(flow.Switch):
    activation_class = LeanSwitchActivation


class Function(flow.Function):
    activation_class = LeanFunctionActivation


class End(flow.End):
    activation_class = LeanEndActivation
