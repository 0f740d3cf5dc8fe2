from django.core.management.base import BaseCommand, CommandError

from ops.consistency.report import Share
from ops.consistency.run import check_consistency


class Command(BaseCommand):
    help = ("Check that rows and stored files agree: documents' files and hashes, "
            "certificates' PDFs (hash, /verify/), settled payments, open tasks' steps, "
            "stuck SMS. Prints every mismatch and the counts; exits 1 on any mismatch.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--share", default="0/1", metavar="PART/OF",
                            help="re-hash only rows with pk %% OF == PART (default: all)")

    def handle(self, *args, share: str, **options) -> None:
        try:
            part, of = (int(n) for n in share.split("/"))
            assert 0 <= part < of
        except (ValueError, AssertionError):
            raise CommandError("--share is PART/OF, e.g. 3/30") from None
        report = check_consistency(Share(part, of))
        for what, message in report.mismatches:
            self.stdout.write(f"MISMATCH {what}: {message}")
        for what, number in sorted(report.checked.items()):
            self.stdout.write(f"checked {what}: {number}")
        for what, seconds in report.seconds.items():
            self.stdout.write(f"time {what}: {seconds:.1f} s")
        for what, number in sorted(report.by_kind().items()):
            self.stdout.write(f"mismatches {what}: {number}")
        self.stdout.write(f"mismatches: {len(report.mismatches)}")
        if not report.ok:
            raise SystemExit(1)
