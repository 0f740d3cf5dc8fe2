"""Paying renovation-fee debts: who may pay what, and starting a payment at the bank.

The callback, verification and settlement are in settlement.py; reconciliation in
reconciliation.py; what a start does to earlier attempts still at the bank in at_bank.py.
Locks are always taken in one order — the debt row, then payment rows — so a start, a
callback and reconciliation for one debt wait for each other instead of deadlocking, and
the debt's lock makes "is it still open?" a fact.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cases.models import Case, CaseEvent, CaseStatus, DebtStatus, RenovationDebt, ServiceKind
from cases.prepared import PreparedInstances
from integrations.payments.base import GatewayError
from integrations.payments.loader import get_gateway

from .models import Payment, PaymentStatus

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


# Where a case object keeps its property's open debts as read in this request.
OPEN_DEBTS_READ = "_open_debts"


def open_debt_summary(case: Case) -> list[RenovationDebt]:
    """The open debts of the case's property, oldest first (the order they are paid in);
    the case object keeps them for `has_open_debt` (the fees page, its checks and the
    flow's check ask in one request). A refresh from the registry forgets them."""
    if case.property_id is None:
        return []
    debts = _OPEN_DEBTS.objects(case.property_id)
    case.__dict__[OPEN_DEBTS_READ] = (case.property_id, debts)
    return debts


# The fees pages read it on every visit: compiled once per process (cases/prepared.py).
_OPEN_DEBTS = PreparedInstances(
    lambda property_pk: RenovationDebt.objects.filter(property_id=property_pk,
                                                      status=DebtStatus.OPEN).order_by("pk"),
    -7_000_041)


def has_open_debt(case: Case) -> bool:
    if case.property_id is None:
        return False
    read = case.__dict__.get(OPEN_DEBTS_READ)
    if read is not None and read[0] == case.property_id:
        return bool(read[1])
    return RenovationDebt.objects.filter(
        property_id=case.property_id, status=DebtStatus.OPEN
    ).exists()


def forget_open_debts(case: Case) -> None:
    case.__dict__.pop(OPEN_DEBTS_READ, None)


def event(payment: Payment, name: str, actor, **extra) -> CaseEvent:
    """The payment's state change as an event of its case's timeline, not yet written."""
    data = {"order_id": payment.order_id, "amount_rials": payment.amount_rials, **extra}
    return CaseEvent(case_id=payment.case_id, actor=actor, name=name, data=data)


def record(payment: Payment, name: str, actor, **extra) -> None:
    """The payment's state change on its case's timeline, in the same transaction."""
    event(payment, name, actor, **extra).save()


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


def _site_url(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


def start_payment(
    case: Case,
    user,
    return_url: str,
    *,
    callback_url: str | None = None,
    notify_url: str | None = None,
) -> Payment:
    """Start paying the first open debt of the case's property; the caller redirects the
    browser to `payment.redirect_url`. The amount is the debt's, read under its lock.
    `callback_url` and `notify_url` default to SITE_URL's."""
    _check_can_pay(case, user, return_url)
    callback_url = callback_url or _site_url("payments:callback")
    notify_url = notify_url or _site_url("payments:notify")
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
        refusal = _make_way(debt, user)
        if refusal is None:
            payment = _start_at_bank(case, user, debt, return_url, callback_url, notify_url)
    # Raised after the commit: what the bank told us about earlier attempts (one settled,
    # one expired) stands even though this citizen does not go to the bank.
    if refusal is not None:
        raise refusal
    return payment


def _make_way(debt: RenovationDebt, user) -> PaymentError | None:
    # The debt's unfinished attempts, read (and locked) once for both questions below.
    unfinished = list(Payment.objects.select_for_update().filter(
        debt=debt, status__in=[PaymentStatus.CREATED, PaymentStatus.REDIRECTED,
                               PaymentStatus.RETURNED, PaymentStatus.VERIFIED],
    ).order_by("pk"))
    # Back from the bank but not yet verified: it may be paid, so it is not replaced.
    if any(p.status in (PaymentStatus.RETURNED, PaymentStatus.VERIFIED) for p in unfinished):
        return PaymentError(
            "پرداخت دیگری برای این بدهی در حال تأیید است؛ چند دقیقه بعد دوباره نگاه کنید.",
            "settling",
        )
    from .at_bank import make_way  # at_bank uses settlement, which imports this module

    return make_way(debt, user, earlier=unfinished)


def _start_at_bank(
    case: Case, user, debt: RenovationDebt, return_url: str, callback_url: str, notify_url: str
) -> Payment:
    """A new attempt for `debt` (locked by the caller), registered with the gateway."""
    gateway = get_gateway()
    payment = Payment.objects.create(
        case=case,
        debt=debt,
        payer=user,
        amount_rials=debt.amount_rials,
        return_url=return_url,
        gateway=settings.PAYMENT_GATEWAY,
    )
    description = f"{debt.title} — کدنوسازی {case.property.renovation_code}"
    try:
        started = gateway.start(
            payment.order_id, payment.amount_rials, callback_url, description, notify_url
        )
    except GatewayError as error:
        logger.warning("payment gateway refused to start %s: %s", payment.order_id, error)
        raise PaymentError(
            "اتصال به درگاه پرداخت برقرار نشد؛ لطفاً دوباره تلاش کنید.", "gateway"
        ) from error
    payment.mark_redirected(token=started.token, redirect_url=started.redirect_url)
    payment.save()
    record(payment, "payment_started", user, debt_id=debt.pk)
    return payment
