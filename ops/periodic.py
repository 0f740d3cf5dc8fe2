"""Celery beat's schedule, run in this process: the periodic work of `make run`.

Without a broker (`CELERY_BROKER_URL` empty) tasks run in-process and no beat runs, so
nothing would sweep the SMS outbox, remind visits, fire viewflow's timers, reconcile
payments or purge drafts. `manage.py run_periodic` walks settings.CELERY_BEAT_SCHEDULE
instead: every entry whose interval has passed runs, in the schedule's order, each in its
own try so one failing never stops the others. With a broker, run beat, not this.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings

from config.celery import app

logger = logging.getLogger(__name__)


def interval_seconds(schedule) -> float:
    """Seconds between runs of a schedule entry (a number, timedelta or celery schedule)."""
    if isinstance(schedule, int | float):
        return float(schedule)
    run_every = getattr(schedule, "run_every", schedule)
    return run_every.total_seconds()


class PeriodicRunner:
    """Runs each entry of a beat schedule when due; `clock` is injectable for tests."""

    def __init__(self, schedule: dict | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.schedule = dict(settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule)
        self.clock = clock
        self.last_run: dict[str, float] = {}
        # What a worker does at start: import every app's tasks module (autodiscovery
        # is lazy), so each scheduled task is registered before it is looked up.
        app.loader.import_default_modules()

    def due(self) -> list[str]:
        now = self.clock()
        return [name for name, entry in self.schedule.items()
                if name not in self.last_run
                or now - self.last_run[name] >= interval_seconds(entry["schedule"])]

    def run_due(self) -> dict[str, str]:
        """Run every due entry in-process; name → "ok" or the error's class name."""
        outcomes = {}
        for name in self.due():
            entry = self.schedule[name]
            self.last_run[name] = self.clock()
            try:
                task = app.tasks[entry["task"]]
                task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}),
                           throw=True)
                outcomes[name] = "ok"
            except Exception as error:  # one job failing never stops the others
                logger.exception("periodic_job_failed", extra={"job": name})
                outcomes[name] = type(error).__name__
        return outcomes
