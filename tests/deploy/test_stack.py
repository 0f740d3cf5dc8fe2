"""The deployed arrangement, as processes: gunicorn (2 workers) + a Celery worker +
the real PostgreSQL and Redis. A citizen's request enqueues a task (the SMS of a phone
code) that the worker runs, and the worker's log line carries the request's id."""

from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest
import requests

from tests.support.pages import Page
from tests.support.services import require_service
from tests.support.stack import (
    HttpClient,
    free_port,
    login,
    manage,
    port_open,
    production_env,
    start_gunicorn,
    start_worker,
    wait_until,
)
from tests.support.transfer_driver import PHONE, CitizenDriver, post_button

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
DB_NAME = "deployment_stack"
REDIS_DB = 4


def psql(sql: str, db: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-X", "-w", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_service("PostgreSQL", port_open(5432), "nothing answers on 127.0.0.1:5432")
    require_service("Redis", port_open(6379), "nothing answers on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("stack")
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True, check=True)
    worker_metrics = free_port()
    env = production_env(
        f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        f"redis://127.0.0.1:6379/{REDIS_DB}",
        tmp,
        METRICS_WORKER_PORT=str(worker_metrics),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--force")
    worker = start_worker(env, tmp)
    web, base = start_gunicorn(env, tmp, workers=2)
    yield {"base": base, "web": web, "worker": worker, "worker_metrics": worker_metrics}
    web.stop()
    worker.stop()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def test_health_and_readiness_of_the_real_arrangement(stack):
    assert requests.get(stack["base"] + "/healthz", timeout=5).json() == {"status": "ok"}
    # With the metrics token: the answer carries each check's detail.
    ready = requests.get(stack["base"] + "/readyz", timeout=10,
                         headers={"Authorization": "Bearer stack-metrics-token"})
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    print("readyz:", {name: check["ms"] for name, check in checks.items()}, "ms")
    assert checks["database"] == {**checks["database"], "ok": True, "detail": "postgresql"}
    assert checks["broker"]["ok"] and checks["broker"]["detail"] == "reachable"
    assert checks["storage"]["ok"]
    # Two workers answer, not one: gunicorn's master plus two children.
    children = subprocess.run(["pgrep", "-P", str(stack["web"].popen.pid)],
                              capture_output=True, text=True).stdout.split()
    assert len(children) == 2


def test_a_page_and_a_task_enqueued_by_a_request_and_run_by_the_worker(stack):
    home = requests.get(stack["base"] + "/", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert home.status_code == 200 and "خدمات" in home.text
    assert len(home.headers["X-Request-ID"]) == 32

    request_id = uuid.uuid4().hex
    driver = CitizenDriver(HttpClient(login(stack["base"]), request_id))
    response = driver.until_appointment()
    form = Page.of(response).form_with_button("دریافت کد تایید")
    slot = form.enabled_choices("starts_at")[0].attrs["value"]
    started = time.monotonic()
    sent = post_button(driver.client, response, "دریافت کد تایید",
                       {"شماره تماس مالک جهت هماهنگی کارشناس": PHONE}, files={"starts_at": slot})
    answered = time.monotonic() - started
    assert sent.status_code in (200, 302)
    assert sent["X-Request-ID"] == request_id

    def status() -> str:
        return psql(f"SELECT status FROM sms_outboxmessage WHERE \"to\"='{PHONE}' "
                    "AND kind='verification_code' ORDER BY id DESC LIMIT 1", DB_NAME)

    wait_until(lambda: status() == "sent", 30, "the worker to send the code's SMS")
    print(f"code request answered in {answered:.2f} s; SMS sent by the worker "
          f"{time.monotonic() - started:.2f} s after the request began")
    # The worker's JSON log has the task's lines under the citizen's request id. The SMS
    # backend's own line comes before Celery's line naming the task: wait for the latter.
    def lines() -> list[dict]:
        return [json.loads(line) for line in stack["worker"].output().splitlines()
                if line.startswith("{") and request_id in line]

    wait_until(lambda: any("send_outbox_message" in line["message"] for line in lines()), 10,
               "the worker's log line naming the task")
    assert all(line["request_id"] == request_id for line in lines())


def test_metrics_from_web_and_worker(stack):
    base = stack["base"]
    assert requests.get(base + "/metrics", timeout=10).status_code == 403
    scraped = requests.get(base + "/metrics", timeout=10,
                           headers={"Authorization": "Bearer stack-metrics-token"})
    assert scraped.status_code == 200
    text = scraped.text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'eservices_sms_outbox_messages{status="queued"}' in text
    assert "eservices_payments_pending" in text
    worker = requests.get(f"http://127.0.0.1:{stack['worker_metrics']}/metrics", timeout=10)
    assert 'eservices_celery_tasks_total{outcome="success"' in worker.text
