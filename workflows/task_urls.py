"""A task URL serves only its own task: the URL's node and process must be the task's.

viewflow 2.4's wrappers (`viewflow/workflow/flow/utils.py`: wrap_view, wrap_task_view)
load a task by its id alone and check only its flow class. A citizen could send the open
task of one step to another step's URL, whose view has nothing to check, and so leave a
step without its documents or its fees paid; the process lock was also taken on the URL's
process, which need not be the task's. engine_urls.py passes every pattern of a mounted
flow that names a task through here: a step page (a View node's `execute`) is served by
`own_step_view`, which replaces viewflow's wrap_view and reads the task once, as it did;
viewflow's other task pages (detail, undo, cancel, revive, the automatic nodes') keep
their wrapper behind `own_task_only`. A node added later is covered the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case
from cases.prepared import PreparedInstances
from cases.step_requirements import StepIncomplete

from .models import CaseMove, CaseProcess
from .process_lock import locked_task
from .wizard import open_task_in, task_url

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
STEP_INCOMPLETE = "این گام هنوز کامل نیست؛ چیزی تغییر نکرد."
NOT_OPEN = "این صفحه مربوط به گامی است که اکنون باز نیست؛ درخواست را از گام کنونی آن ادامه دهید."
MOVED = ("مراحل این خدمت تغییر کرده و درخواست شما به گام کنونی‌اش منتقل شده است؛ "
         "چیزی از آنچه پیش‌تر ثبت کرده بودید از دست نرفته است. از همین صفحه ادامه دهید.")


@functools.cache
def _task_read(task_class: type) -> PreparedInstances:
    """A step page's task with its process and case (the task class's manager's read),
    compiled once per process: every step page's GET asks it."""
    return PreparedInstances(lambda pk: task_class._default_manager.filter(pk=pk)[:1],
                             -7_000_011)


def own_step_view(node, view: Callable) -> Callable:
    """A View node's step page (viewflow's `wrap_view`, with the task checked).

    The task must be this node's and the URL's process's, and still open. The process
    lock is taken on the URL's process, so on the task's own. A citizen's GET of any
    other task (an old tab of their case) goes to the step the case is at now, with a
    notice; their POST gets 409 with the same notice; anyone else gets 404.
    """
    origin = view.__wrapped__  # the step's own view, under viewflow's wrapper

    def step_page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        process_pk, task_pk = kwargs["process_pk"], kwargs["task_pk"]

        def serve(task=None) -> HttpResponse:
            if task is None:
                task = _task_read(node.flow_class.task_class).first(task_pk)
            if task is None or task.process_id != process_pk or task.flow_task is not node:
                return refuse(request, process_pk, task and task.process_id)
            if task.status not in OPEN:
                return refuse(request, process_pk, task.process_id, task.pk)
            request.activation = node.activation_class(task)
            if not node.can_execute(request.user, task=task):
                raise PermissionDenied
            request.activation.start(request)
            return origin(request, *args, **kwargs)

        try:
            if request.method == "POST":
                # The lock is the transaction: a second atomic here would only add a
                # savepoint. It is taken by reading the task (process_lock.py).
                with locked_task(node.flow_class, process_pk, task_pk) as task:
                    return serve(task)
            return serve()
        except TransitionNotAllowed as refused:
            raise PermissionDenied(",".join(refused.args)) from refused
        except StepIncomplete as refused:
            # The flow refused to leave the step: the request's transaction rolled back
            # whole. The step's page says the same before گام بعدی, so only a request
            # that bypassed it gets here.
            return _not_ready(request, process_pk, refused.problems)

    step_page.__wrapped__ = origin
    return step_page


def own_task_only(node, view: Callable) -> Callable:
    """viewflow's other task pages of `node`, for the node's own tasks only."""

    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        process_pk, task_pk = kwargs["process_pk"], kwargs["task_pk"]
        task = Task.objects.filter(pk=task_pk).values_list("process_id", "flow_task").first()
        if task is None or task != (process_pk, node):
            return refuse(request, process_pk, task and task[0])
        return view(request, *args, **kwargs)

    guarded.__wrapped__ = view
    return guarded


def refuse(request: HttpRequest, process_pk: int, task_process: int | None,
           closed_task: int | None = None) -> HttpResponse:
    """The requester's own case is sent to its current step; anyone else gets 404.

    The case is the URL's process's (the tab the citizen has open) or else the task's.
    A step closed by moving the case to another version of its procedure says so."""
    mine = dict(
        CaseProcess.objects.filter(pk__in={process_pk, task_process} - {None},
                                   case__citizen_id=request.user.pk)
        .values_list("pk", "case_id")
    )
    process = process_pk if process_pk in mine else task_process
    if process not in mine:
        raise Http404("No task matches the given query.")
    task = open_task_in(process, request.user)
    current = task_url(task) if task else reverse("portal:case_status", args=[mine[process]])
    notice = MOVED if closed_task and _moved(closed_task) else NOT_OPEN
    if request.method in ("GET", "HEAD"):
        messages.info(request, notice)
        return redirect(current)
    case = Case.objects.only("service").get(pk=mine[process])
    return render(request, "wizard/step_not_open.html",
                  {"case": case, "notice": notice, "current": current}, status=409)


def _moved(task_pk: int) -> bool:
    """Was the task closed by a migration (or by undoing one)?"""
    return (CaseMove.objects.filter(left_task_id=task_pk, undone_by__isnull=True).exists()
            or CaseMove.objects.filter(new_task_id=task_pk, undone_by__isnull=False).exists())


def _not_ready(request: HttpRequest, process_pk: int, problems: list[str]) -> HttpResponse:
    case = Case.objects.only("service").get(process__pk=process_pk)
    return render(request, "wizard/step_not_open.html", {
        "case": case, "notice": STEP_INCOMPLETE, "problems": problems,
        "current": request.get_full_path(),
    }, status=409)
