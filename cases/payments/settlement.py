"""The bank's answer: callback or notice → verify server-to-server → settle the debt once.

Every path that changes a payment after it started runs `_locked` (the debt row, then
the payment row, FOR UPDATE) and re-reads the status under the lock, so a replayed
callback, the browser's return racing the bank's notice, and reconciliation all see
the first one's result and do nothing more. The partial unique index on settled
payments is the last line behind the locks.

There are no automatic refunds, so money is verified (captured) only where it settles
the debt: before giving up on a payment the bank may have been paid for, we ask the bank
(`settle_if_paid`); what we do not verify, the bank reverses by itself.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import CaseEvent, DebtStatus, RenovationDebt
from integrations.backends import load
from integrations.payments.base import BankState, CallbackData, CallbackStatus, GatewayError
from integrations.payments.loader import get_gateway

from .models import Payment, PaymentStatus
from .services import PaymentError, event
from .signals import payment_settled

logger = logging.getLogger(__name__)
BROWSER, NOTICE = "browser", "notice"
NO_ANSWER = "no_answer"
_UNASKED = object()
_DEFERRED = "_deferred_events"


def gateway_of(payment: Payment):
    """The gateway that started the payment: only its provider knows the answer, even
    after settings.PAYMENT_GATEWAY names another one."""
    return load(payment.gateway) if payment.gateway else get_gateway()


# What a callback needs of its payment before the lock: its gateway, its payer, its debt
# (the status too: the state machine reads it when the row is built).
FOUND_FIELDS = ("pk", "order_id", "gateway", "status", "payer_id", "debt_id")


def find_payment(order_id: str) -> Payment | None:
    """The payment of a callback or notice, with FOUND_FIELDS only (None: unknown)."""
    if not order_id:
        return None
    return Payment.objects.filter(order_id=order_id).only(*FOUND_FIELDS).first()


def gateway_for_order(order_id: str, found: Payment | None = None):
    """The gateway to read a callback or notice for `order_id` with: the one that started
    that payment (`found`, when the caller read it). An unknown order is read by the
    configured gateway (and then refused by handle_callback as not found)."""
    payment = found if found is not None else find_payment(order_id)
    return gateway_of(payment) if payment is not None else get_gateway()


def is_stale(payment: Payment) -> bool:
    limit = timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)
    return timezone.now() - payment.created_at > limit


@contextmanager
def _locked(payment_id: int, debt_id: int | None = None):
    """(debt, payment) locked in the one order every path uses, inside a transaction.
    `debt_id`: the payment's debt when the caller has read it (a payment's debt never
    changes, so it needs no lock to be read)."""
    with transaction.atomic():
        if debt_id is None:
            debt_id = Payment.objects.values_list("debt_id", flat=True).get(pk=payment_id)
        debt = RenovationDebt.objects.select_for_update().get(pk=debt_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        # A callback takes a payment through up to three states (returned, verified,
        # settled) in this one transaction: written once at the end, in one UPDATE and
        # one INSERT of their events, instead of an UPDATE and an INSERT per state.
        payment.__dict__[_DEFERRED] = []
        try:
            yield debt, payment
        except BaseException:
            payment.__dict__.pop(_DEFERRED, None)
            raise
        events = payment.__dict__.pop(_DEFERRED)
        if events:
            payment.save()
            CaseEvent.objects.bulk_create(events)


def _changed(payment: Payment, name: str, actor, **extra) -> None:
    """The payment's new state and its event: kept until `_locked`'s block is over when
    inside one, else written now."""
    deferred = payment.__dict__.get(_DEFERRED)
    if deferred is None:
        payment.save()
        event(payment, name, actor, **extra).save()
    else:
        deferred.append(event(payment, name, actor, **extra))


def inquire(payment: Payment) -> str | None:
    """The provider's BankState for the payment (asking confirms nothing), None when it
    has no inquiry, or NO_ANSWER when it could not be asked (the next look asks again)."""
    try:
        return gateway_of(payment).inquire(payment.order_id, payment.gateway_token)
    except GatewayError as error:
        logger.warning("payment inquiry failed for %s: %s", payment.order_id, error)
        return NO_ANSWER


def handle_callback(callback: CallbackData, user=None, *, via: str = BROWSER,
                    found: Payment | None = None) -> Payment:
    """Apply the bank's answer to its payment once, however often and by whichever way it
    arrives. A browser's callback counts only from the payer's own session; a notice
    (no session) only with the provider's signature, checked by the gateway. A "paid"
    arriving after we gave up on the payment is put to the bank before it is refused."""
    if found is None or found.order_id != callback.order_id:
        found = find_payment(callback.order_id)
    if found is None or (via == BROWSER and (user is None or found.payer_id != user.pk)):
        logger.warning(
            "payment callback refused: order %r via %s, user %s",
            callback.order_id, via, getattr(user, "pk", None),
        )
        raise PaymentError("پرداخت یافت نشد", "not_found")
    actor = user if via == BROWSER else None
    paid = callback.status == CallbackStatus.PAID
    with _locked(found.pk, found.debt_id) as (debt, payment):
        if payment.status == PaymentStatus.VERIFIED:
            _settle(payment, debt, actor)
            return payment
        given_up = payment.status == PaymentStatus.EXPIRED
        if payment.is_final and not (given_up and paid):
            return payment  # a replayed or concurrent callback: already decided
        if callback.token != payment.gateway_token:
            logger.error("payment %s: callback token does not match", payment.order_id)
            raise PaymentError("پاسخ بانک با این پرداخت نمی‌خواند.", "token_mismatch")
        if given_up:
            settle_if_paid(payment, debt, actor, callback.params)
            return payment
        if is_stale(payment) and not paid:
            expire(payment, reason="too_late")
            return payment
        if payment.status == PaymentStatus.REDIRECTED:
            payment.mark_returned(at=timezone.now())
            _changed(payment, "payment_returned", actor, via=via, bank_status=callback.status)
        if not paid:
            _close_unpaid(payment, actor, callback.status)
        elif is_stale(payment):
            settle_if_paid(payment, debt, actor, callback.params, reason="too_late")
        else:
            verify_and_settle(payment, debt, actor, callback.params)
    return payment


def _close_unpaid(payment: Payment, actor, bank_status: str) -> None:
    if bank_status == CallbackStatus.CANCELLED:
        payment.cancel()
        _changed(payment, "payment_cancelled", actor)
    else:
        payment.fail()
        _changed(payment, "payment_failed", actor, reason="bank_failed")


def expire(payment: Payment, reason: str) -> None:
    # Never verified, so never captured: Shaparak returns unverified money by itself.
    payment.expire()
    _changed(payment, "payment_expired", None, reason=reason)


def settle_if_paid(
    payment: Payment, debt: RenovationDebt, actor, params: dict, *,
    reason: str = "too_late", state=_UNASKED,
) -> bool | None:
    """Before giving up on a payment — past its lifetime, replaced by a newer attempt, or
    answered after we gave up — ask the bank (its inquiry; `state` if already asked).
    Paid, and the debt still open: verified and settled (True). Otherwise it is expired
    unverified and the bank reverses whatever it took (False). None: the bank could not
    be asked or verify had no answer; the payment is left for the next look."""
    if debt.status != DebtStatus.OPEN:
        _give_up(payment, "debt_settled")
        return False
    state = inquire(payment) if state is _UNASKED else state
    if state == NO_ANSWER:
        return None
    # None: a provider without an inquiry, where verify is the only way to ask.
    if state in (BankState.PAID, BankState.VERIFIED, None):
        if payment.status == PaymentStatus.EXPIRED:
            payment.reopen(at=timezone.now())
            _changed(payment, "payment_returned", actor, late=True)
        answer = verify_and_settle(payment, debt, actor, params, unpaid_fails=False)
        if answer is None or answer:
            return answer
    _give_up(payment, reason)
    return False


def _give_up(payment: Payment, reason: str) -> None:
    if not payment.is_final:
        expire(payment, reason)


def verify_and_settle(
    payment: Payment, debt: RenovationDebt, actor, params: dict, *, unpaid_fails: bool = True
) -> bool | None:
    """Ask the provider; settle when it says paid for our amount. Returns True (paid),
    False (not paid) or None (no answer: the payment stays pending for reconciliation).
    `unpaid_fails=False` leaves a not-yet-paid payment pending (the citizen may still be
    at the bank)."""
    if debt.status != DebtStatus.OPEN:
        # Settled meanwhile (another payment, an office): verifying would capture money
        # nothing could settle or refund, so it is left unverified for the bank to reverse.
        payment.fail()
        _changed(payment, "payment_failed", actor, reason="debt_settled")
        return False
    try:
        result = gateway_of(payment).verify(
            payment.order_id, payment.gateway_token, payment.amount_rials, params
        )
    except GatewayError as error:
        logger.warning("payment verify failed for %s: %s", payment.order_id, error)
        return None
    if result.amount_rials is not None and result.amount_rials != payment.amount_rials:
        logger.error(
            "payment %s: bank reports %s rials, expected %s",
            payment.order_id, result.amount_rials, payment.amount_rials,
        )
        payment.fail()
        _changed(payment, "payment_failed", actor, reason="amount_mismatch",
               reported_amount_rials=result.amount_rials)
        return False
    if not result.paid:
        if unpaid_fails:
            payment.fail()
            _changed(payment, "payment_failed", actor, reason="not_paid")
        return False
    payment.mark_verified(reference=result.reference, card_mask=result.card_mask)
    _changed(payment, "payment_verified", actor, reference=payment.reference)
    _settle(payment, debt, actor)
    return True


def _settle(payment: Payment, debt: RenovationDebt, actor) -> None:
    if debt.status != DebtStatus.OPEN:
        # Verified before the debt was settled another way (the provider had already
        # captured it): the money is kept on record for finance to pay back by hand.
        payment.refuse_settlement()
        _changed(payment, "payment_refund_due", actor, reference=payment.reference)
        logger.error("payment %s verified for a settled debt %s", payment.order_id, debt.pk)
        return
    now = timezone.now()
    debt.settle(reference=payment.reference, at=now)
    debt.save()
    payment.mark_settled(at=now)
    _changed(payment, "payment_settled", actor, reference=payment.reference, debt_id=debt.pk)
    transaction.on_commit(partial(payment_settled.send, sender=Payment, payment=payment))

