from django.core.management.base import BaseCommand

from ops.periodic import PeriodicRunner


class Command(BaseCommand):
    help = ("Run Celery beat's schedule in this process (make run has no broker and no beat): "
            "every entry when its interval has passed.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=float, default=30.0,
                            help="seconds between looks at the schedule (default 30)")
        parser.add_argument("--once", action="store_true",
                            help="run every entry once and stop")

    def handle(self, *args, every: float, once: bool, **options) -> None:
        import time

        runner = PeriodicRunner()
        while True:
            for name, outcome in runner.run_due().items():
                self.stdout.write(f"{name}: {outcome}")
            if once:
                return
            time.sleep(every)
