from django.core.management.base import BaseCommand

from cases.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the data-retention rules: purge old drafts, delete the files of documents "
        "of long-closed cases, remove old SMS bodies (run daily; Celery beat does)."
    )

    def handle(self, *args, **options) -> None:
        report = apply_retention()
        for name, count in report.as_dict().items():
            self.stdout.write(f"{name}: {count}")
