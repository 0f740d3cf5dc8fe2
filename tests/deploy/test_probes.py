"""/healthz, /readyz and the error page of a database outage."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from ops import checks
from ops.views import server_error
from tests.support.stack import free_port


@pytest.fixture(autouse=True)
def filesystem_store(settings):
    # The private store on disk (PRIVATE_STORAGE_ROOT, a temporary folder per test), whatever
    # an earlier test left in STORAGES: the S3 case is tests/faults/test_object_store_down.py.
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "private"}


@pytest.fixture
def production(settings):
    # As deployed: HTTPS redirect on, only the public host allowed.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["eservices.example.ir"]


def test_healthz_answers_without_the_database_host_check_or_https(production):
    # No django_db mark: touching the database here would fail the test.
    response = Client(HTTP_HOST="web:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_same_host_check_still_refuses_other_pages(production):
    assert Client(HTTP_HOST="web:8000").get("/").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_every_check(production):
    response = Client(HTTP_HOST="web:8000").get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "broker", "cache", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_the_broker_is_unreachable(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_the_redis_cache_is_unreachable(settings, caplog):
    port = free_port()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    settings.METRICS_TOKEN = "probe-token"
    with caplog.at_level(logging.WARNING, logger="ops.views"):
        response = Client(REMOTE_ADDR="203.0.113.5").get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # The public answer names the failed check, never the exception (hosts, ports, users).
    assert "detail" not in body["checks"]["cache"]
    assert "ConnectionError" not in response.content.decode()
    assert str(port) not in response.content.decode()
    # The detail is in the log, for the operator.
    failed = [r for r in caplog.records if r.getMessage() == "readiness_check_failed"]
    assert [r.check for r in failed] == ["cache"]
    assert "ConnectionError" in failed[0].detail
    # And in the answer to a caller allowed to read /metrics.
    trusted = Client(HTTP_AUTHORIZATION="Bearer probe-token").get("/readyz").json()
    assert "ConnectionError" in trusted["checks"]["cache"]["detail"]


@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_the_file_store_is_unusable(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.PRIVATE_STORAGE_ROOT = blocker / "private"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


def test_a_hung_dependency_makes_readyz_answer_503_in_time(settings):
    import threading
    import time

    settings.READINESS_TIMEOUT_SECONDS = 0.3
    release = threading.Event()
    started = time.monotonic()
    results = checks.run_checks({"hung": lambda: release.wait(5) and "late", "fine": lambda: "ok"})
    release.set()
    assert time.monotonic() - started < 2
    assert results["hung"].ok is False and "no answer" in results["hung"].detail
    assert results["fine"].ok is True


def test_a_database_outage_gets_the_persian_503_page():
    request = RequestFactory().get("/services/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert 'dir="rtl"' in text and "سامانه موقتاً در دسترس نیست" in text


def test_any_other_error_gets_the_persian_500_page():
    request = RequestFactory().get("/services/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "خطای سامانه" in response.content.decode()


def test_an_unreachable_file_store_gets_the_persian_503_page():
    from botocore.exceptions import EndpointConnectionError

    request = RequestFactory().post("/flows/transfer/1/documents/")
    try:
        raise EndpointConnectionError(endpoint_url="http://minio:9000/eservices-private")
    except EndpointConnectionError:
        response = server_error(request)
    assert response.status_code == 503
    assert "فایلی که فرستادید ذخیره نشد" in response.content.decode()
