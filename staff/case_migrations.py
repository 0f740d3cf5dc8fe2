"""The supervisors' page for moving a flow's open cases to another version: the dry run
as a page, the signed preview a move must match, and the past migrations with what of
each can still be undone. The moving itself is workflows/case_migration's, the same
services `manage.py migrate_cases` runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Count, Q

from cases.models import Case, CaseStatus
from workflows import flow_versions
from workflows.case_migration import moves, undo
from workflows.case_migration.plan import Plan, Request, plan
from workflows.models import CaseMigration

SALT = "staff.case_migrations.preview"
PREVIEW_MAX_AGE = 60 * 60  # a preview left open longer is shown again before anything moves
SHOWN_REFUSALS = 100  # a version may hold thousands of refused cases: the first, then a count
HISTORY = 20
NO_PREVIEW = ("پیش‌نمایش این انتقال دیده نشده یا کهنه شده است؛ پیش‌نمایش تازه را ببینید و "
              "دوباره «انتقال پرونده‌ها» را بزنید.")
CHANGED = ("از زمان پیش‌نمایش، پرونده‌های این نسخه جابه‌جا شده‌اند؛ پیش‌نمایش تازه را ببینید و "
           "دوباره «انتقال پرونده‌ها» را بزنید.")


@dataclass
class Preview:
    plan: Plan
    token: str
    # Registered cases that cannot move, with why (the first SHOWN_REFUSALS of them).
    refused: list[tuple[Case, str]] = field(default_factory=list)
    refused_more: int = 0
    drafts: Counter = field(default_factory=Counter)  # why → citizens' unregistered drafts

    @property
    def draft_reasons(self) -> list[tuple[str, int]]:
        # A Counter in a template: `.items` would look up the key "items", and count 0.
        return self.drafts.most_common()

    @property
    def total(self) -> int:
        return self.plan.movable + len(self.plan.refused)


def fingerprint(report: Plan, by) -> dict:
    """What a move must find again to go ahead: the request, and the counts per step that
    the supervisor saw."""
    request = report.request
    # Lists, not tuples: what the signed token gives back is JSON.
    return {"flow": request.flow_label, "from": request.source.version,
            "to": request.target.version,
            "mapping": sorted([a, b] for a, b in request.mapping.items()),
            "moves": sorted([a, b, n] for (a, b), n in report.moves.items()),
            "refused": len(report.refused), "by": by.pk}


def preview(request: Request, by) -> Preview:
    report = plan(request)
    shown = Preview(report, signing.dumps(fingerprint(report, by), salt=SALT))
    refused_ids = [v.case_id for v in report.refused]
    cases = Case.objects.only("pk", "status", "tracking_number").in_bulk(refused_ids)
    for verdict in report.refused:
        case = cases.get(verdict.case_id)
        if case is None or case.status == CaseStatus.DRAFT:
            shown.drafts[verdict.refusal] += 1  # drafts are invisible to staff: a count
        elif len(shown.refused) < SHOWN_REFUSALS:
            shown.refused.append((case, verdict.refusal))
        else:
            shown.refused_more += 1
    return shown


def check(token: str, fresh: Preview, by) -> str:
    """Why the move may not go ahead ("" when it may): no preview shown, or the cases
    changed since it was."""
    try:
        seen = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return NO_PREVIEW
    return "" if seen == fingerprint(fresh.plan, by) else CHANGED


def migrate(request: Request, by) -> tuple[CaseMigration, int, int]:
    """Move the cases; the migration, how many moved and how many did not."""
    migration = moves.start(request, by=by)
    outcomes = Counter(verdict.movable for verdict in moves.run(migration, request))
    return migration, outcomes[True], outcomes[False]


def step_title(flow_label: str, version: int, name: str) -> str:
    """A step's Persian title; its name when its version is no longer loaded."""
    try:
        node = flow_versions.flow(flow_label, version).instance.node(name, no_obsolete=True)
    except (KeyError, flow_versions.VersionError):
        return name
    return node.task_title if node is not None else name


def mapping_titles(migration: CaseMigration) -> list[tuple[str, str]]:
    return [(step_title(migration.flow_label, migration.from_version, old),
             step_title(migration.flow_label, migration.to_version, new))
            for old, new in migration.mapping.items()]


@dataclass
class Record:
    """A past migration as the page lists it."""

    migration: CaseMigration
    moved: int
    back: int  # of them, moved back by an undo
    stuck: list[tuple[int, str]]  # (case id, why) that can no longer be moved back

    @property
    def undoable(self) -> int:
        return self.moved - self.back - len(self.stuck)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(reason for _, reason in self.stuck).most_common()

    @property
    def steps(self) -> list[tuple[str, str]]:
        return mapping_titles(self.migration)


def record(migration: CaseMigration) -> Record:
    if migration.undoes_id:  # an undo: what it moved back is the other's moves
        return Record(migration, migration.undid.count(), 0, [])
    counts = migration.moves.aggregate(
        moved=Count("pk"), back=Count("pk", filter=Q(undone_by__isnull=False)))
    return Record(migration, counts["moved"], counts["back"], undo.not_undoable(migration))


def history(flow_label: str) -> list[Record]:
    return [record(m) for m in CaseMigration.objects.filter(flow_label=flow_label)
            .select_related("by", "undoes")[:HISTORY]]


def undo_all(migration: CaseMigration, by) -> tuple[int, int]:
    """Move back what can be; how many went back and how many did not. ValueError (its
    message for the supervisor) when a version is gone."""
    _, outcomes = undo.undo(migration, by=by)
    counted = Counter(outcome.undone for outcome in outcomes)
    return counted[True], counted[False]


@dataclass
class MoveRow:
    case: Case
    from_title: str
    to_title: str
    state: str  # "" while it can still be moved back


UNDONE = "بازگردانده شد."


def move_rows(migration: CaseMigration, stuck: list[tuple[int, str]]) -> list[MoveRow]:
    """The migration's cases (the first SHOWN_REFUSALS), each with whether it can still go
    back; an undo lists the cases it moved back."""
    why = dict(stuck)
    if migration.undoes_id:
        rows = migration.undid.select_related("case")
        flow_from, flow_to = migration.to_version, migration.from_version
    else:
        rows = migration.moves.select_related("case")
        flow_from, flow_to = migration.from_version, migration.to_version
    label = migration.flow_label
    return [MoveRow(move.case, step_title(label, flow_from, move.from_node),
                    step_title(label, flow_to, move.to_node),
                    "" if migration.undoes_id else
                    UNDONE if move.undone_by_id else why.get(move.case_id, ""))
            for move in rows.order_by("pk")[:SHOWN_REFUSALS]]
