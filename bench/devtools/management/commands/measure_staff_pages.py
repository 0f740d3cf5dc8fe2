"""python manage.py measure_staff_pages --runs 20: p50/p95 server time of each staff page.

Runs the pages through Django's test client in-process against the configured
database (run it after generate_city), so the figure is server time without network.
"""

from django.core.management.base import BaseCommand, CommandError

from bench.measure import measure


class Command(BaseCommand):
    help = "Measure the staff pages' server time (p50, p95) and SQL queries on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, **options):
        results = measure(options["runs"])
        self.stdout.write("| page | p50 ms | p95 ms | queries |\n|---|---|---|---|")
        for page in results:
            self.stdout.write(f"| `{page.path}` | {page.p50_ms:.0f} | {page.p95_ms:.0f} | "
                              f"{page.queries} |")
        failed = [p.path for p in results if p.status != 200]
        if failed:
            raise CommandError(f"not answered with 200: {', '.join(failed)}")
