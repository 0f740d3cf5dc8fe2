"""Business gauges read from the database when Prometheus scrapes.

Counted at scrape time rather than kept in process memory, so every web worker reports
the same figures and nothing is lost when a worker restarts. Models are looked up by
label and their own status constants: an app that is missing or being changed drops its
gauges instead of breaking /metrics.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.apps import apps
from django.db.models import Count, Min, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)


def _model(label: str, name: str):
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


class OutboxCollector(Collector):
    """SMS outbox: messages by status (queued = backlog), failures, the oldest waiting."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        model = _model("sms", "OutboxMessage")
        if model is None:
            return
        from integrations.sms import models as sms

        statuses = getattr(sms, "MessageStatus", None)
        by_status = GaugeMetricFamily(
            "eservices_sms_outbox_messages", "SMS outbox messages by status", labels=["status"]
        )
        counts = dict(model.objects.values_list("status").annotate(n=Count("pk")))
        for value in [c.value for c in statuses] if statuses else counts:
            by_status.add_metric([value], counts.get(value, 0))
        yield by_status
        if statuses is None:
            return
        queued = model.objects.filter(status=statuses.QUEUED)
        oldest = queued.aggregate(at=Min("created_at"))["at"]
        yield GaugeMetricFamily(
            "eservices_sms_outbox_oldest_queued_age_seconds",
            "Age of the oldest message still waiting to be sent (0 when none)",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "eservices_sms_failed_messages",
            "SMS messages that failed for good",
            value=counts.get(statuses.FAILED, 0),
        )
        attempts = model.objects.aggregate(n=Sum("attempts"))["n"] or 0
        yield GaugeMetricFamily(
            "eservices_sms_failed_attempts",
            "Failed sending attempts recorded on outbox messages (retried or not)",
            value=attempts,
        )


class PaymentsCollector(Collector):
    """Payments by status, and those still pending (started, not yet back from the bank)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        model = _model("payments", "Payment")
        if model is None:
            return
        from cases.payments import models as payments

        statuses = getattr(payments, "PaymentStatus", None)
        counts = dict(model.objects.values_list("status").annotate(n=Count("pk")))
        by_status = GaugeMetricFamily(
            "eservices_payments", "Payments by status", labels=["status"]
        )
        for value in [c.value for c in statuses] if statuses else counts:
            by_status.add_metric([value], counts.get(value, 0))
        yield by_status
        pending = getattr(payments, "PENDING", None)
        if pending is not None:
            yield GaugeMetricFamily(
                "eservices_payments_pending",
                "Payments started and not yet settled, failed, cancelled or expired",
                value=sum(counts.get(str(s), 0) for s in pending),
            )



class IncidentsCollector(Collector):
    """Automatic steps that failed and wait for a supervisor (staff «رخدادها»), by kind."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        model = _model("incidents", "Incident")
        if model is None:
            return
        from cases.incidents.models import ACTIVE, IncidentKind

        counts = dict(model.objects.filter(status__in=ACTIVE).values_list("kind")
                      .annotate(n=Count("pk")))
        gauge = GaugeMetricFamily("eservices_incidents_open",
                                  "Open incidents (failed automatic steps) by kind", labels=["kind"])
        for kind in IncidentKind:
            gauge.add_metric([kind.value], counts.get(kind.value, 0))
        yield gauge


COLLECTORS: list[Collector] = [OutboxCollector(), PaymentsCollector(), IncidentsCollector()]
