"""python manage.py generate_city --cases 1000000 --open-tasks 100000 --full-history 100000"""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.generate import Plan, generate, give_todays_visits


class Command(BaseCommand):
    help = "Generate a city's case history at scale (never in CI: tests use --cases 10000)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--open-tasks", type=int, default=100_000)
        parser.add_argument("--full-history", type=int, default=100_000)
        parser.add_argument("--inspectors", type=int, default=40)
        parser.add_argument("--force", action="store_true", help="run with DEBUG off")
        parser.add_argument("--todays-visits-for", default="",
                            help="username that gets five of the visits, booked today (demo)")

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG and not options["force"]:
            raise CommandError("This fills the database with made-up cases; add --force "
                               "if you really mean it with DEBUG off.")
        began = time.monotonic()
        counts = generate(Plan(cases=options["cases"], open_tasks=options["open_tasks"],
                               full_history=options["full_history"],
                               inspectors=options["inspectors"]), stdout=self.stdout)
        took = time.monotonic() - began
        if options["todays_visits_for"]:
            moved = give_todays_visits(options["todays_visits_for"])
            self.stdout.write(f"{moved} visits today for {options['todays_visits_for']}")
        self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()) + f" in {took:.0f} s")
