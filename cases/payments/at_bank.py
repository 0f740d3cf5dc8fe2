"""When a citizen starts paying a debt that already has attempts: one citizen's payment
never cancels another's.

"At the bank" is an attempt sent to the bank (redirected), not yet back, and younger than
PAYMENT_AT_BANK_MINUTES (never longer than PAYMENT_EXPIRY_MINUTES): while another
citizen's attempt is there, a new one is refused with «در حال پرداخت است». Past that
window the attempt counts as abandoned (the citizen closed the tab), so the debt is not
blocked for good; the citizen's own earlier attempt is always replaceable (pressing
پرداخت آنلاین again). Either way the bank is asked first: an attempt it says was paid is
verified and settled instead of replaced, and one it says was not is expired unverified.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cases.models import RenovationDebt
from cases.persian import to_persian_digits
from integrations.payments.base import BankState

from .models import Payment, PaymentStatus
from .services import PaymentError
from .settlement import expire, inquire, settle_if_paid

# settings.PAYMENT_AT_BANK_MINUTES (15): long enough for a card holder on a bank's payment
# page (those time out in minutes), short enough that a closed tab blocks the debt only
# briefly. A provider whose session lasts longer needs it raised to match.
GATEWAY_DOWN = "اتصال به درگاه پرداخت برقرار نشد؛ لطفاً دوباره تلاش کنید."
# Said to whoever started: the earlier attempt may be theirs (another tab) or another's.
JUST_PAID = (
    "پرداختی که پیش‌تر برای این بدهی در بانک انجام شده بود تأیید و بدهی تسویه شد؛ "
    "نیازی به پرداخت دوباره نیست."
)
BEING_PAID = (
    "این بدهی هم‌اکنون در حال پرداخت است: پرداخت دیگری برای آن در درگاه بانک در جریان "
    "است. لطفاً {minutes} دقیقه دیگر دوباره مراجعه کنید."
)


def at_bank_window() -> timedelta:
    minutes = settings.PAYMENT_AT_BANK_MINUTES
    return timedelta(minutes=min(minutes, settings.PAYMENT_EXPIRY_MINUTES))


def is_at_bank(payment: Payment) -> bool:
    """Sent to the bank, not back yet, and within the bank's session."""
    return (
        payment.status == PaymentStatus.REDIRECTED
        and timezone.now() - payment.created_at < at_bank_window()
    )


def being_paid_message(payment: Payment) -> str:
    left = payment.created_at + at_bank_window() - timezone.now()
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return BEING_PAID.format(minutes=to_persian_digits(minutes))


def make_way(debt: RenovationDebt, user, earlier: list[Payment]) -> PaymentError | None:
    """Under the debt's lock, before `user` starts a new attempt: settle, expire or leave
    each earlier attempt still waiting for the bank. Returns what to tell the citizen
    instead of starting, or None when the new attempt may start. `earlier`: the debt's
    attempts as the caller read them under the lock (those not created or at the bank are
    passed over)."""
    waiting = (PaymentStatus.CREATED, PaymentStatus.REDIRECTED)
    for older in [p for p in earlier if p.status in waiting]:
        mine = older.payer_id == user.pk
        if older.status == PaymentStatus.CREATED:  # never reached the bank
            expire(older, reason="newer_attempt")
            continue
        state = inquire(older)
        paid = state in (BankState.PAID, BankState.VERIFIED)
        if not paid and state != BankState.FAILED and not mine and is_at_bank(older):
            return PaymentError(being_paid_message(older), "at_bank")
        reason = "bank_failed" if state == BankState.FAILED else (
            "newer_attempt" if mine else "abandoned"
        )
        answer = settle_if_paid(older, debt, None, {}, reason=reason, state=state)
        if answer is None:  # the bank could not be asked: nothing is replaced unasked
            return PaymentError(GATEWAY_DOWN, "gateway")
        if answer:
            return PaymentError(JUST_PAID, "just_settled")
    return None
