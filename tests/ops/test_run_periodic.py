"""`manage.py run_periodic`: beat's schedule run in-process, for `make run` (no broker)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from integrations.sms.models import MessageStatus, OutboxMessage
from ops.periodic import PeriodicRunner, interval_seconds

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lost_message() -> OutboxMessage:
    return OutboxMessage.objects.create(to="09121234567", body="متن", kind="case_registered",
                                        idempotency_key="lost-in-make-run")


def test_every_entry_runs_once_then_each_when_its_interval_has_passed(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    clock = Clock()
    runner = PeriodicRunner(clock=clock)
    first = runner.run_due()
    assert set(first) == set(settings.CELERY_BEAT_SCHEDULE)
    assert set(first.values()) == {"ok"}, first
    assert runner.run_due() == {}  # nothing is due again at once

    clock.now += 60
    every_minute = {name for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
                    if interval_seconds(entry["schedule"]) <= 60}
    assert "sms-sweep-outbox" in every_minute
    assert set(runner.run_due()) == every_minute


def test_the_sweep_it_runs_sends_a_message_no_worker_took(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = lost_message()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        out = StringIO()
        call_command("run_periodic", "--once", stdout=out)
    assert "sms-sweep-outbox: ok" in out.getvalue()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_one_failing_job_never_stops_the_others():
    schedule = {
        "broken": {"task": "no.such.task", "schedule": 60.0},
        "sweep": {"task": "sms.sweep_outbox", "schedule": datetime.timedelta(minutes=1)},
    }
    outcomes = PeriodicRunner(schedule, clock=Clock()).run_due()
    assert outcomes == {"broken": "NotRegistered", "sweep": "ok"}
