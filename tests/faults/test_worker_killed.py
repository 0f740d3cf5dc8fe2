"""A worker is killed (SIGKILL, the whole worker) while the provider is answering.

acks_late: the broker hands the task out again and it runs again on another worker; the
outbox's claim makes that second run do nothing, and the sweep settles the message by
asking the provider (find_sent) instead of sending a second SMS.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess

from tests.faults import provider
from tests.faults.conftest import psql
from tests.support.stack import manage, production_env, start_worker, wait_until

KEY = "fault-worker-killed-1"
ENQUEUE = (
    "from django.db import transaction\n"
    "from integrations.sms.outbox import enqueue\n"
    "with transaction.atomic():\n"
    f"    m = enqueue('09125550002', 'آزمون', 'fault_test', idempotency_key='{KEY}')\n"
    "print(m.pk)\n"
)
SWEEP = "from integrations.sms.tasks import sweep_outbox; print(sweep_outbox())"


def task_ids(log: str) -> list[str]:
    return re.findall(r"sms\.send_outbox_message\[([0-9a-f-]{36})\] received", log)


def test_worker_killed_mid_task_runs_again_without_sending_twice(servers, monkeypatch):
    postgres, redis = servers["postgres"], servers["redis"]
    tmp = servers["tmp"] / "worker-killed"
    tmp.mkdir()
    provider_log = tmp / "provider.jsonl"
    monkeypatch.setenv("FAULT_PROVIDER_LOG", str(provider_log))
    env = production_env(
        postgres.url, redis.url, tmp,
        SMS_BACKEND="tests.faults.provider.SlowProvider",
        FAULT_PROVIDER_LOG=str(provider_log),
        FAULT_PROVIDER_DELAY="60",
        CELERY_VISIBILITY_TIMEOUT_SECONDS="5",
        SMS_SENDING_TIMEOUT_SECONDS="3",
        SMS_STUCK_AFTER_SECONDS="1",
    )

    def status() -> str:
        return psql(postgres, f"SELECT status FROM sms_outboxmessage WHERE idempotency_key='{KEY}'")

    doomed = start_worker(env, tmp, name="doomed")
    survivor = None
    try:
        manage(env, "shell", "-c", ENQUEUE)
        wait_until(lambda: provider.accepted() == [KEY], 60, "the provider to get the SMS")
        [first_task] = task_ids(doomed.output())
        doomed.stop(signal.SIGKILL)  # mid-call: the provider has it, nobody recorded it
        assert status() == "sending"

        survivor = start_worker({**env, "FAULT_PROVIDER_DELAY": "0"}, tmp, name="survivor")
        # The unacknowledged task comes back after the visibility timeout and runs again.
        wait_until(lambda: first_task in task_ids(survivor.output()), 60,
                   "the killed task to be delivered again")
        wait_until(lambda: f"{first_task}] succeeded" in survivor.output(), 30,
                   "the second run to finish")
        assert status() == "sending"  # the second run saw the claim and left it alone

        wait_until(lambda: int(manage(env, "shell", "-c", SWEEP).stdout.split()[-1]) >= 1,
                   30, "the sweep to take the lost send")
        wait_until(lambda: status() == "sent", 60, "the message to be settled")
        assert provider.accepted() == [KEY]  # one SMS reached the provider, never two
    finally:
        doomed.stop(signal.SIGKILL)
        if survivor is not None:
            survivor.stop()


def test_a_killed_pool_process_gives_its_task_back_at_once(servers, monkeypatch):
    """Only the prefork child dies (the OOM killer's usual victim): the worker itself
    rejects the task back to the queue (reject_on_worker_lost), no visibility timeout."""
    postgres, redis = servers["postgres"], servers["redis"]
    tmp = servers["tmp"] / "child-killed"
    tmp.mkdir()
    provider_log = tmp / "provider.jsonl"
    monkeypatch.setenv("FAULT_PROVIDER_LOG", str(provider_log))
    key = "fault-child-killed-1"
    env = production_env(
        postgres.url, redis.url, tmp,
        SMS_BACKEND="tests.faults.provider.SlowProvider",
        FAULT_PROVIDER_LOG=str(provider_log),
        FAULT_PROVIDER_DELAY="60",
        SMS_SENDING_TIMEOUT_SECONDS="3",
    )
    worker = start_worker(env, tmp, name="parent")
    try:
        manage(env, "shell", "-c", ENQUEUE.replace(KEY, key))
        wait_until(lambda: provider.accepted() == [key], 60, "the provider to get the SMS")
        [task] = task_ids(worker.output())
        [child] = subprocess.run(["pgrep", "-P", str(worker.popen.pid)],
                                 capture_output=True, text=True).stdout.split()
        os.kill(int(child), signal.SIGKILL)
        wait_until(lambda: task_ids(worker.output()).count(task) == 2, 60,
                   "the task to be delivered again")
        wait_until(lambda: f"{task}] succeeded" in worker.output(), 30, "the second run")
        wait_until(lambda: int(manage(env, "shell", "-c", SWEEP).stdout.split()[-1]) >= 1,
                   30, "the sweep to take the lost send")
        status = f"SELECT status FROM sms_outboxmessage WHERE idempotency_key='{key}'"
        wait_until(lambda: psql(postgres, status) == "sent", 60, "the message to be settled")
        assert provider.accepted().count(key) == 1
    finally:
        worker.stop()
