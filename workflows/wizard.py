"""The citizen wizard: a stepper over a flow's citizen steps, next/previous, resume.

Each step is a viewflow task of the citizen's own. A step view renders the step, runs
its in-page actions (search, upload, send code…) without leaving the task, and on
گام بعدی or گام قبلی records the choice on the process and completes the task; the
flow's If gateways then route forward or back, and the citizen is sent to whatever
task of theirs is open next.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.views import View
from django_fsm import TransitionNotAllowed
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.housekeeping import note_draft_activity
from cases.models import Case
from cases.prepared import PreparedInstances

from .models import CaseTask

FORWARD, BACK = "next", "back"


class Problem(str):
    """A message about one field: the error summary links to it (by the field's id), and
    the field shows it beside itself with aria-invalid. Still a str, so lists of plain
    messages and comparisons keep working."""

    target: str = ""

    def __new__(cls, text: str, target: str = "") -> Problem:
        problem = super().__new__(cls, text)
        problem.target = target
        return problem


def _choice(activation) -> dict:
    """What the citizen chose on a step, kept in the step's own task (saved anyway when
    the step completes, so the choice costs no statement of its own): the step's
    activation reads its task; a gateway after it, the task it follows."""
    task = getattr(activation, "decided_by", None)  # workflows/gateways.py sets it
    if task is None:
        if isinstance(activation.flow_task, flow.View):
            task = activation.task
        else:  # viewflow's own gateway (a copied flow in a test), or one revived later
            task = activation.task.previous.order_by("-pk").first() or activation.task
    return task.data or {}


def went_forward(activation) -> bool:
    """Condition for the If gateway after a step: did the citizen press گام بعدی?"""
    return _choice(activation).get("nav", FORWARD) != BACK


def chosen_step(activation) -> str | None:
    """Condition for a gateway after check-your-answers: which step's «تغییر» was pressed."""
    return _choice(activation).get("goto")


def choose_step(task, step: str | None) -> None:
    """Record on the step's task the step the citizen asked to change (None: none)."""
    task.data = {**(task.data or {}), "goto": step}


def case_citizen(activation):
    """Who a citizen step goes to: the case's citizen (who started it), already read with
    the task, where viewflow's `this.start.owner` would read the start task and its owner."""
    return activation.process.case.citizen


def open_task_of(case: Case, user) -> Task | None:
    """The citizen's open step in the case's process, if any."""
    return open_task_in(case.process.pk, user)


def open_task_in(process_pk: int, user) -> Task | None:
    """The user's open step in the process, if any."""
    if user.pk is None:
        return None
    return _OPEN_TASK.first(process_pk, user.pk)


def _open_task(process_pk: int, owner_pk: int):
    return Task.objects.filter(process_id=process_pk, owner_id=owner_pk,
                               status__in=[STATUS.NEW, STATUS.ASSIGNED]).order_by("-created")[:1]


# A case's page and a step's redirect ask it on every visit: compiled once per process.
_OPEN_TASK = PreparedInstances(_open_task, -7_000_031, -7_000_032)


# A task's page differs from its node's only in the two ids: the node's is reversed once
# (with stand-in ids) and each task's filled in; a list of 150 visits reversing each cost
# more than the page's queries.
_STAND_INS = ("987654321", "987654322")
_url_patterns: dict[tuple, str] = {}


def task_url(task: Task) -> str:
    """The task's page (NoReverseMatch for a node the URLconf no longer has)."""
    key = (task.flow_task, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    pattern = _url_patterns.get(key)
    if pattern is None:
        pattern = _url_patterns[key] = task.flow_task.reverse("execute", args=list(_STAND_INS))
    process, own = _STAND_INS
    return pattern.replace(process, str(task.process_id)).replace(own, str(task.pk))


_created: ContextVar[list | None] = ContextVar("wizard_tasks_created", default=None)


@contextmanager
def tasks_created() -> Iterator[list[Task]]:
    """The tasks the flow creates inside the block (the completion of a step), as the
    flow left them: the next step is among them, so it need not be read back."""
    token = _created.set([])
    try:
        yield _created.get()
    finally:
        _created.reset(token)


@receiver(post_save, sender=Task, dispatch_uid="workflows.wizard.note_created")
@receiver(post_save, sender=CaseTask, dispatch_uid="workflows.wizard.note_created_case_task")
def _note_created(sender, instance: Task, created: bool, **kwargs) -> None:
    found = _created.get()
    if created and found is not None:
        found.append(instance)


def next_url(case: Case, user, created: list[Task] | None = None) -> str:
    """The citizen's open step after a completion: one of the tasks it `created` when
    given (no query), else read from the process."""
    mine = [t for t in created or () if t.owner_id == user.pk
            and t.status in (STATUS.NEW, STATUS.ASSIGNED)]
    # A completion that made tasks made the case's next ones; when none is the citizen's,
    # the citizen waits (the flows have no parallel branches that could hold another).
    task = mine[-1] if mine else (None if created else open_task_of(case, user))
    if task is not None:
        return task_url(task)
    return reverse("portal:case_status", args=[case.pk])


def in_wizard(node):
    """Mark a node that is not a citizen's step (the start, an automatic answer) as a step
    of the citizen's stepper. Citizen steps are in it already (CitizenStep)."""
    node.wizard_step = True
    return node


@cache
def wizard_nodes(flow_class) -> list:
    """The stepper's nodes in the order the flow reaches them from its start.

    Read from the flow's graph, so a step added to the flow appears in the stepper where
    the diagram puts it: breadth first, each node at its first (shortest) distance."""
    start = next(node for node in flow_class.instance.nodes() if isinstance(node, flow.Start))
    order, queue, seen = [], deque([start]), {start}
    while queue:
        node = queue.popleft()
        if getattr(node, "wizard_step", False):
            order.append(node)
        for edge in node._outgoing():
            if edge.dst not in seen:
                seen.add(edge.dst)
                queue.append(edge.dst)
    return order


def stepper(flow_class, current: str) -> list[dict]:
    steps = wizard_nodes(flow_class)
    names = [node.name for node in steps]
    index = names.index(current) if current in names else len(steps)
    return [
        {"label": node.task_title, "number": i + 1, "done": i < index, "current": i == index}
        for i, node in enumerate(steps)
    ]


class StepView(View):
    """One wizard step. Subclasses set `template_name` and `step_label`, implement
    `problems()` (why گام بعدی cannot be taken yet) and handle in-page actions in
    `action_<name>()` methods."""

    template_name: str = ""
    can_go_back: bool = True

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.activation = request.activation
        self.process = self.activation.process
        self.case: Case = self.process.case
        self.errors: list[str] = []
        self.notices: list[str] = []

    # -- to override -------------------------------------------------------------

    def problems(self) -> list[str]:
        return []

    def get_context(self) -> dict:
        return {}

    def save_input(self) -> None:
        """Keep what the citizen typed on the page before checking the step."""

    def on_forward(self) -> None:
        """Work that completing the step does (after problems() came back empty)."""

    # -- machinery ---------------------------------------------------------------

    def render_step(self, status: int = 200) -> HttpResponse:
        # The page's own context first: a page that reads its rows in full (the documents'
        # panel) leaves them for problems() to check, instead of a second read.
        own = self.get_context()
        context = {
            "case": self.case,
            "steps": stepper(self.activation.flow_class, self.activation.flow_task.name),
            "errors": self.errors,
            "notices": self.notices,
            "can_go_back": self.can_go_back,
            "next_enabled": not self.problems(),
            **own,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_step()

    def post(self, request, *args, **kwargs):
        note_draft_activity(self.case)
        action = request.POST.get("action", "")
        if action == BACK and self.can_go_back:
            return self.complete(BACK)
        if action == FORWARD:
            self.save_input()
            self.errors += [p for p in self.problems() if p not in self.errors]
            if self.errors:
                return self.render_step(status=400)
            try:
                self.on_forward()
            except TransitionNotAllowed:
                self.errors = ["این مرحله در وضعیت کنونی درخواست قابل انجام نیست."]
                return self.render_step(status=409)
            if self.errors:
                return self.render_step(status=400)
            return self.complete(FORWARD)
        handler = getattr(self, f"action_{action}", None)
        if handler is None:
            self.errors = ["درخواست نامعتبر است؛ دوباره تلاش کنید."]
            return self.render_step(status=400)
        return handler() or self.render_step(status=400 if self.errors else 200)

    def complete(self, direction: str) -> HttpResponse:
        task = self.activation.task
        task.data = {**(task.data or {}), "nav": direction}  # saved as the task completes
        with tasks_created() as created:
            self.activation.execute()
        return redirect(next_url(self.case, self.request.user, created))
