from django.core.management.base import BaseCommand

from cases.housekeeping import send_visit_reminders


class Command(BaseCommand):
    help = "Text tomorrow's visits a reminder (safe to run often: one SMS per visit)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_visit_reminders()} reminder(s) queued.")
