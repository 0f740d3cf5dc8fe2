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

from cases.incidents import services as incidents
from cases.incidents.models import IncidentKind
from integrations.payments.base import BankState

from .models import Payment, PaymentStatus
from .settlement import (
    NO_ANSWER,
    _changed,
    _locked,
    _settle,
    expire,
    inquire,
    is_stale,
    settle_if_paid,
    verify_and_settle,
)

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
        if payment.status == PaymentStatus.CREATED:
            if is_stale(payment):  # never reached the bank: nothing to ask it
                expire(payment, reason="abandoned")
                return payment.status
            return "unchanged"
        if is_stale(payment):
            # Past its lifetime, but the bank may have been paid: it is asked first.
            returned = payment.status == PaymentStatus.RETURNED
            answer = settle_if_paid(
                payment, debt, None, {}, reason="unverified" if returned else "abandoned"
            )
            return NO_ANSWER if answer is None else payment.status
        if payment.status == PaymentStatus.REDIRECTED:
            # The citizen may still be at the bank: ask where it stands before verify,
            # which would confirm (capture) a payment, or close it, under them.
            state = inquire(payment)
            if state == NO_ANSWER:
                return state
            if state == BankState.IN_BANK:
                return "in_bank"  # left alone; it expires if nobody finishes it
            if state == BankState.FAILED:
                payment.fail()
                _changed(payment, "payment_failed", None, reason="bank_failed")
                return payment.status
        # Returned (the bank sent the citizen back), paid, or a provider without an
        # inquiry: verify decides. A returned payment the provider calls unpaid has
        # failed; one still at the bank may yet be paid, so it waits for its expiry.
        before = payment.status
        answer = verify_and_settle(
            payment, debt, None, {}, unpaid_fails=before == PaymentStatus.RETURNED
        )
        if answer is None:
            return NO_ANSWER
        return payment.status if payment.status != before else "unchanged"


SETTLED_ONE_WAY = {PaymentStatus.SETTLED, PaymentStatus.FAILED, PaymentStatus.EXPIRED,
                   PaymentStatus.CANCELLED}


def reconcile_one(payment_id: int) -> str:
    """reconcile_payment, with an incident for supervisors when asking the bank fails in a
    way nobody foresaw (the next runs keep trying; «تلاش دوباره» asks again at once), closed
    once the payment is settled one way or the other."""
    subject = f"payment:{payment_id}"
    try:
        outcome = reconcile_payment(payment_id)
    except Exception as error:
        payment = Payment.objects.select_related("case").get(pk=payment_id)
        incidents.record_failure(IncidentKind.PAYMENT_MISMATCH, subject, case=payment.case,
                                 flow_label=payment.case.service,
                                 error=f"{type(error).__name__}: {error}")
        raise
    if outcome in SETTLED_ONE_WAY:
        incidents.resolve(subject)
    return outcome


def ask_the_bank_again(payment_id: int) -> None:
    """«تلاش دوباره» on a payment's incident: reconciled now. A failure stays on the
    incident (reconcile_one records it) and in the log, never the supervisor's error page."""
    try:
        reconcile_one(payment_id)
    except Exception:  # noqa: BLE001
        logger.exception("reconciling payment %s failed again", payment_id)


def reconcile() -> dict[str, int]:
    """Every payment due; one failing never stops the others."""
    outcomes: Counter = Counter()
    for payment_id in due_for_reconciliation():
        try:
            outcomes[reconcile_one(payment_id)] += 1
        except Exception:  # logged with its traceback; the next run tries again
            logger.exception("reconciling payment %s failed", payment_id)
            outcomes["error"] += 1
    if outcomes:
        logger.info("payment reconciliation: %s", dict(outcomes))
    return dict(outcomes)
