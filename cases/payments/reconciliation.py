"""Payments nobody finished: ask their provider, then settle, fail or expire them.

Run by Celery beat (`payments.reconcile`). Each payment is handled under the same locks
as a callback, so a callback arriving meanwhile and this job settle it once between them.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Payment, PaymentStatus
from .settlement import _expire, _locked, _settle, is_stale, verify_and_settle

logger = logging.getLogger(__name__)


def due_for_reconciliation() -> list[int]:
    """Returned but unverified (any age), verified but unsettled, and payments still at
    the bank after PAYMENT_RECONCILE_AFTER_MINUTES: the citizen may have paid and never
    come back, or gone for good."""
    quiet_since = timezone.now() - timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    due = Payment.objects.filter(
        Q(status__in=[PaymentStatus.RETURNED, PaymentStatus.VERIFIED])
        | Q(
            status__in=[PaymentStatus.CREATED, PaymentStatus.REDIRECTED],
            created_at__lt=quiet_since,
        )
    )
    return list(due.order_by("created_at").values_list("pk", flat=True)[:500])


def reconcile_payment(payment_id: int) -> str:
    """One payment: returns what became of it (for logs and tests)."""
    with _locked(payment_id) as (debt, payment):
        if payment.status == PaymentStatus.VERIFIED:
            _settle(payment, debt, None)
            return payment.status
        if payment.is_final:
            return "unchanged"  # a callback got there first
        if is_stale(payment):
            returned = payment.status == PaymentStatus.RETURNED
            _expire(payment, reason="unverified" if returned else "abandoned")
            return payment.status
        if payment.status == PaymentStatus.CREATED:
            return "unchanged"  # never reached the bank; expires when stale
        # A returned payment the provider calls unpaid has failed; one still at the
        # bank may yet be paid, so it waits for its expiry.
        before = payment.status
        answer = verify_and_settle(
            payment, debt, None, {}, unpaid_fails=before == PaymentStatus.RETURNED
        )
        if answer is None:
            return "no_answer"
        return payment.status if payment.status != before else "unchanged"


def reconcile() -> dict[str, int]:
    """Every payment due; one failing never stops the others."""
    outcomes: Counter = Counter()
    for payment_id in due_for_reconciliation():
        try:
            outcomes[reconcile_payment(payment_id)] += 1
        except Exception:  # logged with its traceback; the next run tries again
            logger.exception("reconciling payment %s failed", payment_id)
            outcomes["error"] += 1
    if outcomes:
        logger.info("payment reconciliation: %s", dict(outcomes))
    return dict(outcomes)
