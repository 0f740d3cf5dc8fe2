"""Redis (the broker) goes away during a run: the outbox (PostgreSQL) keeps every SMS.

What must hold: after recovery every message that was due reaches the provider
once, none twice, and the case timelines show it. The provider here is the counting
stand-in of tests/faults/provider.py, so "once" is counted where the SMS would leave.
Redis comes back empty (no persistence): whatever the broker held is gone.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter

import requests

from tests.faults import provider
from tests.faults.conftest import psql
from tests.support.stack import (
    HttpClient,
    ask_for_code,
    login,
    manage,
    production_env,
    start_gunicorn,
    start_worker,
    wait_until,
)
from tests.support.transfer_driver import CitizenDriver

CODE_PHONE = "09125550001"
SWEEP = "from integrations.sms.tasks import sweep_outbox; print(sweep_outbox())"


def notify_new_cases(phones: list[str]) -> str:
    """Shell code: a registered case per phone, each texted «inspection_approved»."""
    return (
        "import json\n"
        "from cases.notifications import notify\n"
        "import random\n"
        "from tests.support.factories import CaseFactory, PropertyFactory, UserFactory\n"
        "# Each shell starts the factories' counters afresh: move them past earlier rows.\n"
        "for factory in (CaseFactory, PropertyFactory, UserFactory):\n"
        "    factory.reset_sequence(random.randrange(10**6, 9 * 10**6))\n"
        "ids = []\n"
        f"for phone in {phones!r}:\n"
        "    case = CaseFactory(contact_phone=phone, advanced_to='registered')\n"
        "    notify(case, 'inspection_approved')\n"
        "    ids.append(case.pk)\n"
        "print(json.dumps(ids))\n"
    )


def make_cases(env: dict, phones: list[str]) -> list[int]:
    output = manage(env, "shell", "-c", notify_new_cases(phones)).stdout
    return json.loads(output.strip().splitlines()[-1])


def case_messages(postgres, case_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """message id → (status, idempotency key, correlation) of the cases' SMS."""
    correlations = ",".join(f"'case:{pk}'" for pk in case_ids)
    rows = psql(postgres, "SELECT id, status, idempotency_key, correlation FROM "
                          f"sms_outboxmessage WHERE correlation IN ({correlations})")
    return {int(r.split("|")[0]): tuple(r.split("|")[1:]) for r in rows.splitlines()}


def sent_events(postgres, case_ids: list[int]) -> Counter:
    """(case id, message id) → how many sms_sent events the timelines hold."""
    ids = ",".join(map(str, case_ids))
    rows = psql(postgres, "SELECT case_id, data->>'message_id' FROM cases_caseevent "
                          f"WHERE name='sms_sent' AND case_id IN ({ids})")
    return Counter((int(c), int(m)) for c, m in (r.split("|") for r in rows.splitlines()))


class Supervised:
    """The worker as compose runs it (`restart: unless-stopped`): started again if it
    exits. kombu 5.x can end a worker that held ETA tasks (retries waiting for their
    countdown) when Redis vanishes under it, while it closes the lost connection."""

    def __init__(self, env: dict, tmp) -> None:
        self.env, self.tmp, self.restarts = env, tmp, 0
        self.current = start_worker(env, tmp)

    def keep_running(self) -> None:
        if self.current.popen.poll() is not None:
            self.restarts += 1
            self.current = start_worker(self.env, self.tmp, name=f"worker-{self.restarts}")

    def output(self) -> str:
        return self.current.output()

    def stop(self) -> None:
        self.current.stop()


def sweep_until_sent(env: dict, postgres, case_ids: list[int], timeout: float,
                     worker: Supervised) -> None:
    """Run the periodic sweep (as beat would) until every message of the cases is sent."""
    def all_sent() -> bool:
        if all(s == "sent" for s, _, _ in case_messages(postgres, case_ids).values()):
            return True
        worker.keep_running()
        manage(env, "shell", "-c", SWEEP)
        return False

    try:
        wait_until(all_sent, timeout, "every due message to be sent after the outage")
    except AssertionError as error:
        correlations = ",".join(f"'case:{pk}'" for pk in case_ids)
        rows = psql(postgres, "SELECT id, status, attempts, next_attempt_at, last_error FROM "
                              f"sms_outboxmessage WHERE correlation IN ({correlations})")
        raise AssertionError(f"{error}\noutbox:\n{rows}\naccepted: {provider.accepted()}\n"
                             f"worker:\n{worker.output()[-6000:]}") from None


def assert_delivered_once_and_on_the_timelines(postgres, case_ids: list[int]) -> None:
    messages = case_messages(postgres, case_ids)
    assert len(messages) == len(case_ids), messages  # one notice per case
    accepted = Counter(provider.accepted())
    for pk, (status, key, correlation) in messages.items():
        assert status == "sent", (pk, status)
        assert accepted[key] == 1, (key, accepted[key])  # delivered once, none twice
    # The event follows the status's commit (on_commit): give the worker a moment.
    wait_until(lambda: sum(sent_events(postgres, case_ids).values()) >= len(messages), 15,
               "the sms_sent events on the timelines")
    events = sent_events(postgres, case_ids)
    assert events == Counter(
        {(int(corr.split(":")[1]), pk): 1 for pk, (_, _, corr) in messages.items()})


def fault_env(servers, name: str, monkeypatch, **extra: str) -> tuple[dict, object]:
    tmp = servers["tmp"] / name
    tmp.mkdir()
    log = tmp / "provider.jsonl"
    monkeypatch.setenv("FAULT_PROVIDER_LOG", str(log))  # provider.accepted() reads it here
    env = production_env(
        servers["postgres"].url, servers["redis"].url, tmp,
        SMS_BACKEND="tests.faults.provider.SlowProvider",
        FAULT_PROVIDER_LOG=str(log), SMS_STUCK_AFTER_SECONDS="1", **extra)
    return env, tmp


def test_broker_down_keeps_the_sms_and_the_sweep_sends_each_once(servers, monkeypatch):
    postgres, redis = servers["postgres"], servers["redis"]
    env, tmp = fault_env(servers, "broker-down", monkeypatch)
    worker = Supervised(env, tmp)
    web, base = start_gunicorn(env, tmp, workers=2)
    driver = CitizenDriver(HttpClient(login(base), uuid.uuid4().hex))

    def code_messages() -> list[str]:
        return psql(postgres, "SELECT status FROM sms_outboxmessage WHERE \"to\"="
                              f"'{CODE_PHONE}' AND kind='verification_code'").split()

    try:
        redis.stop()
        started = time.monotonic()
        response = ask_for_code(driver, CODE_PHONE)
        seconds = time.monotonic() - started
        assert response.status_code == 200, response.content[:500]
        assert code_messages() == ["queued"]
        ready = requests.get(base + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["checks"]["broker"]["ok"] is False
        # Case notices written while the broker is down: committed, never handed over.
        case_ids = make_cases(env, ["09125550011", "09125550012", "09125550013"])
        assert {s for s, _, _ in case_messages(postgres, case_ids).values()} == {"queued"}
        assert provider.accepted() == []

        redis.start()  # empty: whatever the broker held is gone; the outbox is not
        time.sleep(1.5)  # older than SMS_STUCK_AFTER_SECONDS
        sweep_until_sent(env, postgres, case_ids, 90, worker)
        wait_until(lambda: code_messages() == ["sent"], 60, "the swept code SMS")
        assert_delivered_once_and_on_the_timelines(postgres, case_ids)
        assert len(provider.accepted()) == len(case_ids) + 1  # and the code, once
        print(f"code request with the broker down answered in {seconds:.1f} s")
    finally:
        web.stop()
        worker.stop()
        if redis.proc is None:
            redis.start()


def test_broker_lost_while_retries_wait_still_sends_each_once(servers, monkeypatch):
    """The provider fails, the worker schedules retries (countdowns held by the broker
    and the worker), then Redis dies and comes back empty: the retries are gone; the
    outbox still knows each message is due and the sweep hands it over again."""
    postgres, redis = servers["postgres"], servers["redis"]
    env, tmp = fault_env(servers, "retries-lost", monkeypatch,
                         FAULT_PROVIDER_DOWN=str(servers["tmp"] / "retries-lost.down"),
                         SMS_RETRY_BASE_SECONDS="4")
    down = servers["tmp"] / "retries-lost.down"
    down.touch()
    worker = Supervised(env, tmp)
    try:
        case_ids = make_cases(env, ["09125550021", "09125550022", "09125550023"])
        keys = {key for _, key, _ in case_messages(postgres, case_ids).values()}
        wait_until(lambda: keys <= set(provider.refused()), 60, "the provider to refuse each")
        wait_until(lambda: "retry in" in worker.output().lower(), 30,
                   "the worker to schedule its retries")
        wait_until(lambda: {s for s, _, _ in case_messages(postgres, case_ids).values()}
                   == {"queued"}, 30, "every message to wait, queued, for its retry")

        redis.stop()
        down.unlink()  # the provider recovers while the broker is away
        redis.start()  # empty: the scheduled retries are lost with it
        sweep_until_sent(env, postgres, case_ids, 120, worker)
        assert_delivered_once_and_on_the_timelines(postgres, case_ids)
        assert not psql(postgres, "SELECT 1 FROM cases_caseevent WHERE name='sms_failed' "
                                  f"AND case_id IN ({','.join(map(str, case_ids))})")
        print(f"worker restarts after the broker loss: {worker.restarts}")
    finally:
        worker.stop()
        down.unlink(missing_ok=True)
        if redis.proc is None:
            redis.start()
