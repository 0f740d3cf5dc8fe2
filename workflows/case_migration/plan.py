"""The dry run: where each open case of a version would go, and which cannot move and why.

A case moves from the one step it waits at. That step goes to the node the mapping names
or, unmapped, to the node of the same name in the target version. Only people's steps
(viewflow View nodes) are targets: a case is never dropped into the middle of an
automatic step. The same judgement runs again under the case's lock when it is moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import CharField
from django.db.models.functions import Cast
from viewflow.workflow import flow
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.status import PROCESS, STATUS

from cases.payments.models import Payment, PaymentStatus
from cases.persian import to_persian_digits as fa

from .. import flow_versions
from ..models import CaseProcess

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR, STATUS.SCHEDULED]
AT_THE_BANK = [PaymentStatus.REDIRECTED, PaymentStatus.RETURNED]
CHUNK = 1000

NOT_MAPPED = "گام «{step}» در نسخه {to} نیست و نگاشتی برای آن داده نشده است."
AUTOMATIC = "پرونده در گام خودکار «{step}» است؛ پس از پایان آن دوباره تلاش کنید."
FAILED = "گام «{step}» با خطا متوقف شده است؛ ابتدا رخداد آن را رسیدگی کنید."
AT_BANK = "پرداخت این پرونده در بانک است؛ پس از بازگشت از بانک دوباره تلاش کنید."
NO_OPEN_STEP = "پرونده گام بازی ندارد."
SEVERAL_OPEN = "پرونده بیش از یک گام باز دارد."
NOT_ON_VERSION = "پرونده دیگر روی نسخه {version} نیست (پیش‌تر منتقل شده یا بسته شده است)."


class MappingError(ValueError):
    """The request itself is wrong (versions, mapping); the message is for the operator."""


@dataclass(frozen=True)
class Request:
    flow_label: str
    source: type
    target: type
    mapping: dict[str, str]

    @classmethod
    def of(cls, flow_label: str, from_version: int, to_version: int,
           mapping: dict[str, str]) -> Request:
        try:
            source = flow_versions.flow(flow_label, from_version)
            target = flow_versions.flow(flow_label, to_version)
        except (KeyError, flow_versions.VersionError):
            raise MappingError(f"«{flow_label}» نسخه {fa(from_version)} و {fa(to_version)} را "
                               f"ندارد (نسخه‌های بارشده در FLOW_VERSIONS).") from None
        if source is target:
            raise MappingError("نسخه مبدأ و مقصد یکی است.")
        for old, new in mapping.items():
            node = target.instance.node(new, no_obsolete=True)
            if not isinstance(node, flow.View):
                raise MappingError(
                    f"«{old}={new}»: نسخه {fa(to_version)} گام انسانی «{new}» ندارد.")
        return cls(flow_label, source, target, dict(mapping))

    @property
    def source_ref(self) -> str:
        return get_flow_ref(self.source)

    def target_node(self, name: str):
        """The people's step `name` moves to in the target version, None when none does."""
        node = self.target.instance.node(self.mapping.get(name, name), no_obsolete=True)
        return node if isinstance(node, flow.View) else None


@dataclass
class Verdict:
    case_id: int
    process_id: int
    task_id: int | None = None
    from_node: str = ""
    to_node: str = ""
    refusal: str = ""

    @property
    def movable(self) -> bool:
        return not self.refusal


def judge(request: Request, process_id: int, case_id: int, tasks: list[tuple[int, str, str]],
          at_bank: bool) -> Verdict:
    """Where one case would go: `tasks` are its open tasks as (id, stored reference,
    status)."""
    verdict = Verdict(case_id, process_id)
    if len(tasks) != 1:
        verdict.refusal = NO_OPEN_STEP if not tasks else SEVERAL_OPEN
        return verdict
    task_id, ref, status = tasks[0]
    name = ref.rsplit(".", 1)[-1]
    verdict.task_id, verdict.from_node = task_id, name
    here = request.source.instance.node(name, no_obsolete=True)  # None: the step vanished
    step = here.task_title if here is not None else name
    target = request.target_node(name)
    if status == STATUS.ERROR:
        verdict.refusal = FAILED.format(step=step)
    elif here is not None and not isinstance(here, flow.View):
        verdict.refusal = AUTOMATIC.format(step=step)
    elif at_bank:
        verdict.refusal = AT_BANK
    elif target is None:
        verdict.refusal = NOT_MAPPED.format(step=step, to=fa(request.target.version))
    else:
        verdict.to_node = target.name
    return verdict


def verdicts(request: Request, case_ids: list[int] | None = None) -> Iterator[Verdict]:
    """A verdict for every open case on the source version (or those of `case_ids`), read
    in chunks: a version may hold many thousands."""
    processes = CaseProcess.objects.filter(status=PROCESS.NEW, flow_class=request.source)
    if case_ids is not None:
        processes = processes.filter(case_id__in=case_ids)
    last = 0
    while True:
        chunk = list(processes.filter(pk__gt=last).order_by("pk")
                     .values_list("pk", "case_id")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        yield from _judge_chunk(request, chunk)


def _judge_chunk(request: Request, chunk: list[tuple[int, int]]) -> Iterator[Verdict]:
    from viewflow.workflow.models import Task

    ids = [pk for pk, _ in chunk]
    tasks: dict[int, list] = {}
    # As text: a vanished step's reference would otherwise become a stand-in node.
    for task_id, process_id, ref, status in (
            Task.objects.filter(process_id__in=ids, status__in=OPEN)
            .annotate(ref=Cast("flow_task", CharField())).order_by("pk")
            .values_list("pk", "process_id", "ref", "status")):
        tasks.setdefault(process_id, []).append((task_id, ref, status))
    at_bank = set(Payment.objects.filter(case_id__in=[case for _, case in chunk],
                                         status__in=AT_THE_BANK).values_list("case_id", flat=True))
    for process_id, case_id in chunk:
        yield judge(request, process_id, case_id, tasks.get(process_id, []), case_id in at_bank)


@dataclass
class Plan:
    """The dry run's report: cases per (from, to) step, and the refused cases."""

    request: Request
    moves: Counter = field(default_factory=Counter)
    refused: list[Verdict] = field(default_factory=list)

    @property
    def movable(self) -> int:
        return sum(self.moves.values())

    def rows(self) -> list[dict]:
        """Per step the cases wait at: how many, where they go, how many cannot move."""
        refused = Counter(v.from_node or "—" for v in self.refused)
        # A step's cases all go to one step (the mapping is by step), so one target each.
        targets = {source: target for source, target in self.moves}
        moving = {source: n for (source, _), n in self.moves.items()}
        names = sorted(set(moving) | set(refused))
        return [{"from_node": name, "title": _title(self.request.source, name),
                 "to_node": targets.get(name, ""),
                 "to_title": _title(self.request.target, targets.get(name, "")),
                 "moving": moving.get(name, 0), "refused": refused.get(name, 0)}
                for name in names]


def plan(request: Request, case_ids: list[int] | None = None) -> Plan:
    report = Plan(request)
    for verdict in verdicts(request, case_ids):
        if verdict.movable:
            report.moves[(verdict.from_node, verdict.to_node)] += 1
        else:
            report.refused.append(verdict)
    return report


def _title(flow_class, name: str) -> str:
    node = flow_class.instance.node(name, no_obsolete=True) if name else None
    return node.task_title if node is not None else name
