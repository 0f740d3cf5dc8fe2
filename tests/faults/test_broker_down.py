"""The broker is down when a citizen asks for a code: the request still succeeds, the
SMS waits in the outbox (the database), and the sweep sends it once Redis is back."""

from __future__ import annotations

import time
import uuid

import requests

from tests.deploy.stack import (
    HttpClient,
    ask_for_code,
    login,
    manage,
    production_env,
    start_gunicorn,
    start_worker,
    wait_until,
)
from tests.faults.conftest import psql
from tests.transfer_driver import CitizenDriver

PHONE = "09125550001"


def test_broker_down_keeps_the_sms_and_the_sweep_sends_it(servers):
    postgres, redis = servers["postgres"], servers["redis"]
    tmp = servers["tmp"] / "broker-down"
    tmp.mkdir()
    env = production_env(postgres.url, redis.url, tmp, SMS_STUCK_AFTER_SECONDS="1")
    worker = start_worker(env, tmp)
    web, base = start_gunicorn(env, tmp, workers=2)
    driver = CitizenDriver(HttpClient(login(base), uuid.uuid4().hex))

    def messages() -> list[str]:
        rows = psql(postgres, "SELECT status FROM sms_outboxmessage WHERE \"to\"="
                              f"'{PHONE}' AND kind='verification_code'")
        return rows.split()

    try:
        redis.stop()
        started = time.monotonic()
        response = ask_for_code(driver, PHONE)
        seconds = time.monotonic() - started
        assert response.status_code == 200, response.content[:500]
        assert messages() == ["queued"]
        ready = requests.get(base + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["checks"]["broker"]["ok"] is False

        redis.start()  # empty: whatever the broker held is gone; the outbox is not
        time.sleep(1.5)  # older than SMS_STUCK_AFTER_SECONDS
        swept = manage(env, "shell", "-c",
                       "from integrations.sms.tasks import sweep_outbox; print(sweep_outbox())")
        assert int(swept.stdout.strip().splitlines()[-1]) >= 1
        wait_until(lambda: messages() == ["sent"], 60, "the worker to send the swept SMS")
        assert messages() == ["sent"]  # one message, sent once: nothing lost, nothing doubled
        print(f"code request with the broker down answered in {seconds:.1f} s")
    finally:
        web.stop()
        worker.stop()
        if redis.proc is None:
            redis.start()
