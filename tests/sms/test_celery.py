"""The Celery wiring: the beat entries name real tasks; viewflow's timers fire."""

import pytest
from django.conf import settings

from config.celery import app

pytestmark = pytest.mark.django_db


def test_the_periodic_entries_name_registered_tasks():
    import cases.appointments.tasks  # noqa: F401 — the modules a worker autodiscovers
    import cases.tasks  # noqa: F401
    import integrations.sms.tasks  # noqa: F401
    import workflows.automation  # noqa: F401

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = {"sms.sweep_outbox", "workflows.fire_due_timers", "cases.send_visit_reminders",
            "cases.purge_drafts", "appointments.expire_holds", "workflows.sweep_automatic_steps"}
    assert ours <= names
    # Other areas' entries are checked by their own tests.
    assert ours <= set(app.tasks), ours - set(app.tasks)


def test_without_a_broker_tasks_run_in_process():
    # `make run` serves everything with one command: no broker, no worker needed.
    assert settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER


def test_the_timer_task_calls_viewflows_dispatcher(monkeypatch):
    import viewflow.workflow.timers as timers

    from cases.tasks import fire_due_timers

    calls = []
    monkeypatch.setattr(timers, "fire_due_timers", lambda: calls.append(1) or 3)
    assert fire_due_timers.delay().get() == 3
    assert calls == [1]


def test_the_timer_task_runs_against_the_real_dispatcher():
    from cases.tasks import fire_due_timers

    assert fire_due_timers.delay().get() == 0  # nothing due in an empty database
