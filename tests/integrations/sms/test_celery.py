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


# Run in a fresh process: CELERY_TASK_ALWAYS_EAGER is decided when settings are read.
IN_PROCESS_PROBE = """
import os
from config.celery import app

@app.task(name="probe.where")
def where():
    return os.getpid()

if app.conf.task_always_eager:
    result = where.delay()
    print("in-process", type(result).__name__, result.get(timeout=5) == os.getpid())
else:
    print("sent to", app.conf.broker_url)
"""


def fresh_process_with_broker(broker_url: str) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "1", "CELERY_BROKER_URL": broker_url,
           "DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", IN_PROCESS_PROBE],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_without_a_broker_tasks_run_in_process():
    # `make run` serves everything with one command: no broker, no worker needed — a
    # task sent with .delay() runs at once, in the process that sent it.
    assert fresh_process_with_broker("") == "in-process EagerResult True"


def test_with_a_broker_tasks_go_to_it():
    # Only the configuration is read: nothing is sent to this (unused) address.
    assert fresh_process_with_broker("redis://127.0.0.1:1/0") == "sent to redis://127.0.0.1:1/0"


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
