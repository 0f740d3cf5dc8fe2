"""/metrics: not public; request metrics plus the business gauges."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from integrations.sms.models import MessageStatus, OutboxMessage

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = ["10.1.0.0/16"]


def scrape(**extra) -> tuple[int, str]:
    response = Client().get("/metrics", **extra)
    return response.status_code, response.content.decode()


def sample(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name + (f"{{{labels}}}" if labels else "")) + r" ([0-9.e+-]+)"
    match = re.search(pattern, text)
    assert match, f"{name}{{{labels}}} not in /metrics"
    return float(match.group(1))


@pytest.mark.django_db
def test_metrics_are_refused_to_the_public(metrics_settings):
    assert scrape()[0] == 403
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong")[0] == 403
    assert scrape(REMOTE_ADDR="203.0.113.9")[0] == 403


@pytest.mark.django_db
def test_metrics_with_the_token_or_from_an_allowed_address(metrics_settings):
    assert scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")[0] == 200
    assert scrape(REMOTE_ADDR="10.1.4.5")[0] == 200
    # Through a proxy REMOTE_ADDR is the proxy's own: the address rule no longer counts.
    assert scrape(REMOTE_ADDR="10.1.4.5", HTTP_X_FORWARDED_FOR="203.0.113.9")[0] == 403


@pytest.mark.django_db
def test_no_token_configured_means_no_token_accepted(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = []
    assert scrape(HTTP_AUTHORIZATION="Bearer ")[0] == 403


@pytest.mark.django_db
def test_outbox_backlog_and_failures(metrics_settings):
    for i in range(3):
        OutboxMessage.objects.create(to="09121112233", body="x", kind="test",
                                     idempotency_key=f"k{i}")
    failed = OutboxMessage.objects.create(to="09121112233", body="x", kind="test",
                                          idempotency_key="failed", attempts=4)
    OutboxMessage.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED)
    status, text = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert status == 200
    assert sample(text, "eservices_sms_outbox_messages", 'status="queued"') == 3
    assert sample(text, "eservices_sms_outbox_messages", 'status="sent"') == 0
    assert sample(text, "eservices_sms_failed_messages") == 1
    assert sample(text, "eservices_sms_failed_attempts") == 4
    assert sample(text, "eservices_sms_outbox_oldest_queued_age_seconds") >= 0


@pytest.mark.django_db
def test_payments_pending_and_request_metrics(metrics_settings):
    Client().get("/")
    status, text = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert sample(text, "eservices_payments_pending") == 0
    assert sample(text, "eservices_payments", 'status="settled"') == 0
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "django_http_responses_total_by_status_total" in text


@pytest.mark.django_db
def test_payments_pending_counts_started_payments(metrics_settings):
    from cases.payments.models import PENDING, Payment, PaymentStatus

    from tests.support.factories import CaseFactory, RenovationDebtFactory

    case = CaseFactory()
    debt = RenovationDebtFactory()
    for order in ("P1", "P2"):
        Payment.objects.create(case=case, debt=debt, payer=case.citizen, order_id=order,
                               amount_rials=1000)
    assert PaymentStatus.CREATED in PENDING
    _, text = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert sample(text, "eservices_payments_pending") == 2
    assert sample(text, "eservices_payments", 'status="created"') == 2


def test_published_tasks_are_counted():
    from ops.celery_metrics import PUBLISHED, count_published

    before = PUBLISHED.labels(task="sms.example")._value.get()
    count_published(sender="sms.example")
    assert PUBLISHED.labels(task="sms.example")._value.get() == before + 1
