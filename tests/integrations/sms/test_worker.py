"""A real Celery worker process, the real Redis and PostgreSQL, the real twilio client.

The outage this service must survive: the provider fails for a while; after it recovers every
due message is delivered once, none twice, and the case timelines show it.
Needs Redis (CELERY_TEST_BROKER_URL, default redis://127.0.0.1:6379/1) and a
PostgreSQL test database the worker can open too (SQLite's is in memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from twilio.request_validator import RequestValidator

from cases.notifications import notify
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.sms.outbox import send_later
from tests.support.factories import CaseFactory
from tests.support.services import require_service

from .broker import using_broker
from .fake_twilio import AUTH_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/1")


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log else ""
    pytest.fail(f"timed out waiting for {what}\n{tail}")


@pytest.fixture
def worker(postgres, twilio, tmp_path):
    require_service("Redis", redis_answers(BROKER), f"nothing answers at {BROKER}")
    queue = f"sms-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": database_url(), "CELERY_BROKER_URL": BROKER,
        "SECRET_KEY": "worker-test-key", "SITE_URL": django_settings.SITE_URL,
        "SMS_BACKEND": django_settings.SMS_BACKEND,
        "TWILIO_ACCOUNT_SID": django_settings.TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": django_settings.TWILIO_AUTH_TOKEN,
        "TWILIO_FROM": django_settings.TWILIO_FROM,
        "TWILIO_API_BASE_URL": twilio.url, "SMS_RETRY_BASE_SECONDS": "0.2",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
             "-Q", queue, "-n", f"{queue}@%h", "--without-mingle", "--without-gossip",
             "--without-heartbeat", "-l", "info"],
            cwd=django_settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None,
                 90, "the worker to start", log)
        assert process.poll() is None, log.read_text()[-3000:]
        with using_broker(BROKER, queue):
            yield log
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def registered_case(phone: str):
    case = CaseFactory(contact_phone=phone)
    case.register()
    case.save_registration()
    return case


def test_a_worker_sends_every_message_once_through_a_provider_outage(worker, twilio, client):
    twilio.fail_next = 4  # Twilio answers 500 for a while
    phones = ["09120000001", "09120000002", "09120000003"]
    cases = [registered_case(phone) for phone in phones]
    messages = [notify(case, "inspection_approved") for case in cases]  # each commits

    def all_sent_and_on_the_timelines():
        # The timeline event is written just after the status commits (on_commit, so a
        # failing listener cannot undo a send): wait for both, not the status alone.
        return all(m.status == MessageStatus.SENT
                   for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
                   ) and all(case.events.filter(name="sms_sent").exists() for case in cases)

    wait_for(all_sent_and_on_the_timelines, 90, "every message to be sent and noted", worker)
    assert twilio.fail_next == 0
    for phone, message in zip(phones, messages):
        assert twilio.bodies_to("+98" + phone[1:]) == [message.body]  # once, none twice
    assert sum(m.attempts for m in OutboxMessage.objects.all()) == 4
    for case in cases:
        assert case.events.filter(name="sms_sent").count() == 1

    # A redelivered task (a broker's second delivery) sends nothing more: the worker
    # runs tasks in order, so once a fresh message is sent the duplicate was handled.
    send_later(messages[0].pk)
    fresh = notify(cases[1], "certificate_issued")
    wait_for(lambda: OutboxMessage.objects.get(pk=fresh.pk).status == MessageStatus.SENT,
             60, "the fresh message", worker)
    assert len(twilio.messages) == 4

    # Twilio's signed receipt lands on the timeline.
    message = OutboxMessage.objects.get(pk=messages[0].pk)
    path = f"/sms/twilio/{message.pk}/status/"
    params = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        django_settings.SITE_URL + path, params)
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 204
    assert cases[0].events.filter(name="sms_delivered").count() == 1
