"""Paying renovation-fee debts: start at the bank, handle its callback, settle once.

Locks are always taken in one order — the debt row, then payment rows — so a start
and a callback for the same debt wait for each other instead of deadlocking.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from cases.models import Case, CaseEvent, CaseStatus, DebtStatus, RenovationDebt, ServiceKind
from integrations.payments.base import CallbackData, CallbackStatus, GatewayError
from integrations.payments.registry import get_gateway

from .models import PENDING, Payment, PaymentStatus
from .signals import payment_settled

logger = logging.getLogger(__name__)

CLOSED_CASE_STATUSES = [CaseStatus.ISSUED, CaseStatus.ARCHIVED, CaseStatus.CANCELLED]
# When each service lets a citizen pay: a transfer only after the inspector approved
# (MANUAL.md step 8), an inquiry before it is registered (its step 5).
PAYABLE = {
    ServiceKind.TRANSFER: {CaseStatus.INSPECTION_APPROVED},
    ServiceKind.INQUIRY: {CaseStatus.DRAFT},
}


class PaymentError(Exception):
    """A payment the citizen cannot make or complete; `message` is for the citizen."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def is_safe_return_url(url: str) -> bool:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def open_debt_summary(case: Case) -> list[RenovationDebt]:
    """The open debts of the case's property, oldest first (the order they are paid in)."""
    if case.property_id is None:
        return []
    return list(
        RenovationDebt.objects.filter(property_id=case.property_id, status=DebtStatus.OPEN)
        .order_by("pk")
    )


def has_open_debt(case: Case) -> bool:
    return case.property_id is not None and RenovationDebt.objects.filter(
        property_id=case.property_id, status=DebtStatus.OPEN
    ).exists()


def _record(payment: Payment, name: str, actor, **extra) -> None:
    data = {"order_id": payment.order_id, "amount_rials": payment.amount_rials, **extra}
    CaseEvent.objects.create(case_id=payment.case_id, actor=actor, name=name, data=data)


def _check_can_pay(case: Case, user, return_url: str) -> None:
    if case.citizen_id != user.pk:
        raise PaymentError("پرداخت یافت نشد", "not_found")
    if case.status in CLOSED_CASE_STATUSES:
        raise PaymentError("این درخواست بسته شده است و پرداختی برای آن ممکن نیست.", "closed")
    if case.status not in PAYABLE[case.service]:
        raise PaymentError(
            "پرداخت عوارض پس از تأیید بازدید کارشناس و پیامک «به سایت مراجعه کنید» ممکن است.",
            "too_early",
        )
    if return_url and not is_safe_return_url(return_url):
        raise PaymentError("نشانی بازگشت معتبر نیست.", "bad_return_url")


def start_payment(
    case: Case, user, return_url: str, *, callback_url: str | None = None
) -> Payment:
    """Start paying the first open debt of the case's property; the caller redirects the
    browser to `payment.redirect_url`. `callback_url` defaults to SITE_URL's callback."""
    _check_can_pay(case, user, return_url)
    callback_url = callback_url or settings.SITE_URL.rstrip("/") + reverse("payments:callback")
    gateway = get_gateway()
    with transaction.atomic():
        debt = (
            RenovationDebt.objects.select_for_update()
            .filter(property_id=case.property_id, status=DebtStatus.OPEN)
            .order_by("pk")
            .first()
        )
        if case.property_id is None or debt is None:
            raise PaymentError("این کدنوسازی فاقد بدهی می باشد", "no_debt")
        # Every change to this debt's payments happens under the debt's lock, held here.
        attempts = Payment.objects.filter(debt=debt)
        if attempts.filter(status=PaymentStatus.VERIFIED).exists():
            raise PaymentError(
                "پرداخت دیگری برای این بدهی در حال تأیید است؛ چند دقیقه بعد دوباره نگاه کنید.",
                "settling",
            )
        # Only the newest attempt may settle: an older one left at the bank is never
        # verified, so the bank returns any money it took.
        for older in attempts.select_for_update().filter(status__in=PENDING):
            older.expire()
            older.save()
            _record(older, "payment_expired", None, reason="newer_attempt")  # the system's doing
        payment = Payment.objects.create(
            case=case, debt=debt, payer=user, amount_rials=debt.amount_rials, return_url=return_url
        )
        description = f"{debt.title} — کدنوسازی {case.property.renovation_code}"
        try:
            started = gateway.start(
                payment.order_id, payment.amount_rials, callback_url, description
            )
        except GatewayError as error:
            logger.warning("payment gateway refused to start %s: %s", payment.order_id, error)
            raise PaymentError(
                "اتصال به درگاه پرداخت برقرار نشد؛ لطفاً دوباره تلاش کنید.", "gateway"
            ) from error
        payment.mark_redirected(token=started.token, redirect_url=started.redirect_url)
        payment.save()
        _record(payment, "payment_started", user, debt_id=debt.pk)
    return payment


def _is_stale(payment: Payment) -> bool:
    limit = timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)
    return timezone.now() - payment.created_at > limit


def handle_callback(callback: CallbackData, user) -> Payment:
    """Apply the bank's answer to its payment once, however often the browser returns."""
    found = Payment.objects.filter(order_id=callback.order_id).first()
    if found is None or found.payer_id != user.pk:
        logger.warning("payment callback refused: order %s, user %s", callback.order_id, user.pk)
        raise PaymentError("پرداخت یافت نشد", "not_found")
    with transaction.atomic():
        debt = RenovationDebt.objects.select_for_update().get(pk=found.debt_id)
        payment = Payment.objects.select_for_update().get(pk=found.pk)
        if payment.is_final:
            return payment  # a replayed or concurrent callback: already decided
        if callback.token != payment.gateway_token:
            raise PaymentError("پاسخ بانک با این پرداخت نمی‌خواند.", "token_mismatch")
        if payment.status in PENDING and _is_stale(payment):
            payment.expire()
            payment.save()
            _record(payment, "payment_expired", None, reason="too_late")
        elif callback.status == CallbackStatus.CANCELLED and payment.status in PENDING:
            payment.cancel()
            payment.save()
            _record(payment, "payment_cancelled", user)
        else:
            _verify_and_settle(payment, debt, callback, user)
    return payment


def _verify_and_settle(payment: Payment, debt: RenovationDebt, callback, user) -> None:
    if payment.status != PaymentStatus.VERIFIED:
        try:
            result = get_gateway().verify(
                payment.order_id, payment.gateway_token, payment.amount_rials, callback.params
            )
        except GatewayError as error:
            # Left pending: the citizen may come back, and reconciliation will ask again.
            logger.warning("payment verify failed for %s: %s", payment.order_id, error)
            raise PaymentError(
                "تأیید پرداخت با بانک ممکن نشد؛ لطفاً چند دقیقه بعد دوباره تلاش کنید.", "gateway"
            ) from error
        if result.amount_rials is not None and result.amount_rials != payment.amount_rials:
            logger.error(
                "payment %s: bank reports %s rials, expected %s",
                payment.order_id, result.amount_rials, payment.amount_rials,
            )
            payment.fail()
            payment.save()
            _record(payment, "payment_failed", user, reason="amount_mismatch",
                    reported_amount_rials=result.amount_rials)
            return
        if not result.paid:
            payment.fail()
            payment.save()
            _record(payment, "payment_failed", user, reason="not_paid")
            return
        payment.mark_verified(reference=result.reference, card_mask=result.card_mask)
        payment.save()
        _record(payment, "payment_verified", user, reference=payment.reference)
    if debt.status != DebtStatus.OPEN:
        # Settled meanwhile by another payment or at an office: the money goes back.
        payment.refuse_settlement()
        payment.save()
        _record(payment, "payment_refund_due", user, reference=payment.reference)
        logger.error("payment %s verified for a settled debt %s", payment.order_id, debt.pk)
        return
    now = timezone.now()
    debt.settle(reference=payment.reference, at=now)
    debt.save()
    payment.mark_settled(at=now)
    payment.save()
    _record(payment, "payment_settled", user, reference=payment.reference, debt_id=debt.pk)
    transaction.on_commit(partial(payment_settled.send, sender=Payment, payment=payment))
