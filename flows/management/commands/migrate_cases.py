"""Move a flow's open cases from one version to another, or undo such a move.

    manage.py migrate_cases transfer --from 1 --to 2 --map fees=legal_review --dry-run
    manage.py migrate_cases transfer --from 1 --to 2 --map fees=legal_review
    manage.py migrate_cases --undo 7 [--dry-run]

Every run prints the plan first: the cases at each step, where they go, which cannot move
and why. See docs/developers/changing-a-procedure.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workflows.case_migration import moves, undo
from workflows.case_migration.plan import MappingError, Plan, Request, plan
from workflows.models import CaseMigration


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in (part for given in pairs for part in given.split(",") if part.strip()):
        old, sep, new = pair.strip().partition("=")
        if not sep or not old or not new:
            raise CommandError(f"--map {pair!r}: write old_step=new_step")
        mapping[old.strip()] = new.strip()
    return mapping


class Command(BaseCommand):
    help = "Move open cases of a flow from one version to another by a step mapping, or undo a move."

    def add_arguments(self, parser):
        parser.add_argument("flow", nargs="?", help="the flow's label: transfer, inquiry")
        parser.add_argument("--from", dest="from_version", type=int)
        parser.add_argument("--to", dest="to_version", type=int)
        parser.add_argument("--map", dest="mapping", action="append", default=[],
                            help="old_step=new_step (repeat, or separate with commas)")
        parser.add_argument("--case", dest="cases", action="append", type=int,
                            help="only this case id (repeat for more)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan, move nothing")
        parser.add_argument("--undo", type=int, metavar="MIGRATION",
                            help="move the cases of this migration back")

    def handle(self, *args, flow=None, from_version=None, to_version=None, mapping=(),
               cases=None, dry_run=False, undo: int | None = None, **options):
        if undo is not None:
            return self._undo(undo, dry_run)
        if not flow or from_version is None or to_version is None:
            raise CommandError("give the flow, --from and --to (or --undo MIGRATION)")
        try:
            request = Request.of(flow, from_version, to_version, parse_mapping(list(mapping)))
        except MappingError as error:
            raise CommandError(str(error)) from error
        report = plan(request, cases)
        self._print_plan(report)
        if dry_run or not report.movable:
            return
        migration = moves.start(request)
        moved = refused = 0
        for verdict in moves.run(migration, request, cases):
            if verdict.movable:
                moved += 1
            else:
                refused += 1
                self.stdout.write(f"  not moved: case {verdict.case_id}: {verdict.refusal}")
        self.stdout.write(self.style.SUCCESS(
            f"migration {migration.pk}: moved {moved}, not moved {refused}. "
            f"Undo (while nothing has happened on them): manage.py migrate_cases --undo {migration.pk}"))

    def _print_plan(self, report: Plan) -> None:
        request = report.request
        mapping = ", ".join(f"{a}={b}" for a, b in request.mapping.items()) or "none"
        self.stdout.write(f"{request.flow_label}: version {request.source.version} → "
                          f"{request.target.version}; mapping: {mapping}")
        self.stdout.write(f"open cases on version {request.source.version}: "
                          f"{report.movable + len(report.refused)} "
                          f"(can move {report.movable}, cannot {len(report.refused)})")
        for row in report.rows():
            target = f"{row['to_node']} ({row['to_title']})" if row["to_node"] else "—"
            self.stdout.write(f"  {row['from_node']} ({row['title']}): {row['moving']} → {target}"
                              + (f"; cannot move: {row['refused']}" if row["refused"] else ""))
        for verdict in report.refused:
            self.stdout.write(f"  cannot move case {verdict.case_id}: {verdict.refusal}")

    def _undo(self, migration_id: int, dry_run: bool) -> None:
        migration = CaseMigration.objects.filter(pk=migration_id).first()
        if migration is None:
            raise CommandError(f"no migration {migration_id}")
        stuck = undo.not_undoable(migration)
        total = migration.moves.filter(undone_by__isnull=True).count()
        self.stdout.write(f"migration {migration.pk}: {total} case(s) not yet moved back; "
                          f"{len(stuck)} can no longer be")
        for case_id, reason in stuck:
            self.stdout.write(f"  case {case_id}: {reason}")
        if dry_run or total == len(stuck):
            return
        try:
            record, outcomes = undo.undo(migration)
        except ValueError as error:
            raise CommandError(str(error)) from error
        back = sum(1 for outcome in outcomes if outcome.undone)
        self.stdout.write(self.style.SUCCESS(f"migration {record.pk} moved {back} case(s) back"))
