from django.conf import settings
from django.core.management.base import BaseCommand

from cases.housekeeping import purge_drafts


class Command(BaseCommand):
    help = "Delete drafts never registered, older than DRAFT_RETENTION_DAYS (run periodically)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=settings.DRAFT_RETENTION_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        count = purge_drafts(days=days)
        self.stdout.write(f"{count} draft(s) purged.")
