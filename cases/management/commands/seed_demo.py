from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo.seed import seed


class Command(BaseCommand):
    help = "Load the demo accounts, properties, holidays and inspection slots (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Put the demo rows back to their first state."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, reset: bool, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password: it refuses to run "
                "with DEBUG off. Pass --force only on a demo server."
            )
        seed(reset=reset)
        self.stdout.write(self.style.SUCCESS("Demo data ready." + (" (reset)" if reset else "")))
