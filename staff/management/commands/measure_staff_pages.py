"""python manage.py measure_staff_pages --runs 20: p50/p95 server time of each staff page.

Runs the pages through Django's test client in-process against the configured
database (run it after generate_city), so the figure is server time without network.
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client, override_settings
from viewflow.workflow.models import Task

from cases.models import Case


class Command(BaseCommand):
    help = "Measure the staff pages' server time (p50, p95) on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, **options):
        # Server time, not the abuse limits: twenty searches a minute would be refused.
        with override_settings(RATE_LIMITS={}):
            self.measure(options["runs"])

    def measure(self, runs: int) -> None:
        User = get_user_model()
        inspector = User.objects.filter(username__startswith="gen-inspector-").order_by("pk").first()
        case = Case.objects.filter(status="registered").order_by("-pk").first()
        task = Task.objects.filter(status="ASSIGNED", owner=inspector).first()
        pages = [
            (inspector, "/staff/visits/"),
            (inspector, "/staff/queue/"),
            (inspector, "/staff/search/"),
            (inspector, f"/staff/search/?q={case.tracking_number}"),
            (inspector, f"/staff/search/?q={case.contact_phone}"),
            (inspector, "/staff/search/?status=cancelled&district=5&page=3"),
            (inspector, task.reverse("execute") if task else "/staff/visits/"),
            ("supervisor", "/staff/tasks/"),
            ("supervisor", "/staff/tasks/?flow=transfer&district=3"),
            ("supervisor", f"/staff/cases/{case.pk}/"),
            ("supervisor", "/staff/dashboard/transfer/"),
            ("supervisor", "/staff/dashboard/inquiry/"),
        ]
        self.stdout.write("| page | p50 ms | p95 ms |\n|---|---|---|")
        for user, path in pages:
            client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
            client.force_login(user if not isinstance(user, str) else User.objects.get(username=user))
            client.get(path)  # warm-up
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
            self.stdout.write(f"| `{path}` | {statistics.median(times):.0f} | {p95:.0f} |")
