"""Phone verification: send a 6-digit code by SMS, check it, tell which phone holds.

Codes are stored only as an HMAC keyed with SECRET_KEY, expire, allow a few wrong
tries, and sending is limited per case (or account), per phone and per client address
so the service cannot be used to flood someone's phone. The per-phone and per-address
caps count every purpose together: the appointment's codes and the accounts' alike.

Two callers: the appointment step (`send_code` / `check_code` for a case) and the
accounts (`send_account_code` / `check_account_code` for a purpose, and a person or,
for a password reset, the phone alone).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from cases.identity import normalize_mobile
from cases.models import Case
from cases.notifications import case_correlation, render_sms
from cases.persian import clean_number_input, to_persian_digits
from cases.prepared import PreparedRead
from integrations.sms.outbox import enqueue

from .models import PhoneVerification, Purpose

CODE_DIGITS = 6
HOUR = datetime.timedelta(hours=1)
_CODE_SPACING = re.compile(r"[\s\-\u2010-\u2015\u2212]")

MSG_SENT = "کد تایید به شماره {} فرستاده شد"
MSG_WAIT = "کد تایید به تازگی فرستاده شده است؛ برای دریافت دوباره {} ثانیه صبر کنید"
MSG_PHONE_LIMIT = "برای این شماره بیش از حد مجاز کد درخواست شده است؛ {} دقیقه دیگر تلاش کنید"
MSG_ADDRESS_LIMIT = "از این دستگاه بیش از حد مجاز کد درخواست شده است؛ {} دقیقه دیگر تلاش کنید"
MSG_NO_CODE = "برای این شماره کدی فرستاده نشده است؛ ابتدا «دریافت کد تایید» را بزنید"
MSG_CODE_FORMAT = "کد تاییدیه باید ۶ رقم باشد"
MSG_WRONG = "کد تاییدیه درست نیست"
MSG_TRIES_LEFT = "کد تاییدیه درست نیست؛ {} بار دیگر می‌توانید تلاش کنید"
MSG_EXPIRED = "کد تاییدیه منقضی شده است؛ دوباره دریافت کد تایید را بزنید"
MSG_LOCKED = "تعداد تلاش‌ها بیش از حد مجاز است؛ کد تازه بگیرید"
MSG_VERIFIED = "شماره تماس تایید شد"


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    message: str  # Persian, for the page
    retry_after: int | None = None  # seconds until a send may succeed


@dataclass(frozen=True)
class CheckOutcome:
    ok: bool
    message: str  # Persian, for the page
    remaining_attempts: int | None = None


@dataclass(frozen=True)
class Scope:
    """Whose codes these are: a case's (the appointment), a person's for one purpose, or
    for a password reset the phone's alone. A newer code supersedes the older ones of its
    scope, and the resend cooldown counts within it."""

    purpose: str
    case: Case | None = None
    user: Any = None
    phone: str = ""  # the scope itself when there is neither case nor person

    def codes(self) -> QuerySet:
        if self.case is not None:
            return PhoneVerification.objects.filter(case=self.case)
        rows = PhoneVerification.objects.filter(purpose=self.purpose, case__isnull=True)
        if self.user is not None:
            return rows.filter(user=self.user)
        return rows.filter(user__isnull=True, phone=self.phone)

    def lock(self, phone: str) -> None:
        """One send at a time per scope, so two quick presses cannot both pass the
        cooldown: the case row for the appointment; else the phone (a transaction-scoped
        advisory lock on PostgreSQL; SQLite serialises writers by itself)."""
        if self.case is not None:
            list(Case.objects.select_for_update().filter(pk=self.case.pk)
                 .values_list("pk", flat=True))
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               [f"phone_code:{phone}"])

    def correlation(self) -> str:
        if self.case is not None:
            return case_correlation(self.case)
        return f"account:{self.user.pk}" if self.user is not None else "account"


def code_hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(
    case: Case, phone: str, client_address: str | None, now: datetime.datetime | None = None
) -> SendOutcome:
    """Text a new code to `phone` (any digit set or spelling) for this case."""
    case.__dict__.pop(VERIFIED, None)
    return _send(Scope(Purpose.APPOINTMENT, case=case), phone, client_address, now)


def send_account_code(
    purpose: str, phone: str, client_address: str | None, user: Any = None,
    now: datetime.datetime | None = None,
) -> SendOutcome:
    """Text a new code for an account's `purpose` (Purpose.LOGIN, MOBILE, RESET); `user`
    None for a reset, whose code proves the phone before any account is named."""
    return _send(_account_scope(purpose, user, phone), phone, client_address, now)


def _send(
    scope: Scope, phone: str, client_address: str | None, now: datetime.datetime | None
) -> SendOutcome:
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        return SendOutcome(False, exc.messages[0])
    now = now or timezone.now()
    # No savepoint: every refusal is returned, not raised; a failure fails the request.
    with transaction.atomic(savepoint=False):
        scope.lock(phone)
        refusal = _refusal(scope, phone, client_address, now)
        if refusal is not None:
            return refusal
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        scope.codes().filter(superseded=False).update(superseded=True)
        verification = PhoneVerification.objects.create(
            purpose=scope.purpose,
            case=scope.case,
            user=scope.user,
            phone=phone,
            code_hash=code_hash(phone, code),
            client_address=client_address or None,
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=settings.PHONE_CODE_TTL_SECONDS),
        )
        enqueue(
            to=phone,
            body=_sms_text(code),
            kind="verification_code",
            correlation=scope.correlation(),
            idempotency_key=f"verification_code:{verification.pk}",
        )
    return SendOutcome(True, MSG_SENT.format(to_persian_digits(phone)))


def check_code(
    case: Case, phone: str, code: str, now: datetime.datetime | None = None
) -> CheckOutcome:
    """Check the latest code sent for this case to `phone`; codes in any digit set."""
    case.__dict__.pop(VERIFIED, None)
    return _check(Scope(Purpose.APPOINTMENT, case=case), phone, code, now)


def check_account_code(
    purpose: str, phone: str, code: str, user: Any = None,
    now: datetime.datetime | None = None,
) -> CheckOutcome:
    """Check the latest code of an account's `purpose` sent to `phone` (see
    `send_account_code`). A right code stays right until `consume` (or a newer code)."""
    return _check(_account_scope(purpose, user, phone), phone, code, now)


def consume(purpose: str, phone: str, user: Any = None) -> None:
    """The account's verified code has done its work: it opens nothing a second time."""
    scope = _account_scope(purpose, user, phone)
    scope.codes().filter(phone=scope.phone, superseded=False).update(superseded=True)


def _account_scope(purpose: str, user: Any, phone: str) -> Scope:
    try:
        phone = normalize_mobile(phone)
    except ValidationError:
        pass  # refused by _send / _check before the scope is read
    return Scope(purpose, user=user, phone=phone)


def _check(
    scope: Scope, phone: str, code: str, now: datetime.datetime | None
) -> CheckOutcome:
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        return CheckOutcome(False, exc.messages[0])
    code = _CODE_SPACING.sub("", clean_number_input(code or ""))
    if not re.fullmatch(rf"[0-9]{{{CODE_DIGITS}}}", code):
        return CheckOutcome(False, MSG_CODE_FORMAT)
    now = now or timezone.now()
    limit = settings.PHONE_CODE_MAX_ATTEMPTS
    with transaction.atomic(savepoint=False):  # outcomes are returned, never raised
        # The row lock serialises concurrent tries, so no more than `limit` are judged.
        verification = (
            scope.codes().select_for_update()
            .filter(phone=phone, superseded=False)
            .order_by("-created_at", "-id")
            .first()
        )
        if verification is None:
            return CheckOutcome(False, MSG_NO_CODE)
        if verification.attempts >= limit:
            return CheckOutcome(False, MSG_LOCKED, 0)
        if verification.verified_at is None and now >= verification.expires_at:
            return CheckOutcome(False, MSG_EXPIRED)
        if not hmac.compare_digest(verification.code_hash, code_hash(phone, code)):
            PhoneVerification.objects.filter(pk=verification.pk).update(
                attempts=F("attempts") + 1
            )
            remaining = max(limit - verification.attempts - 1, 0)
            if remaining == 0:
                return CheckOutcome(False, f"{MSG_WRONG}. {MSG_LOCKED}", 0)
            message = MSG_TRIES_LEFT.format(to_persian_digits(remaining))
            return CheckOutcome(False, message, remaining)
        if verification.verified_at is None:
            verification.verified_at = now
            verification.save(update_fields=["verified_at"])
    return CheckOutcome(True, MSG_VERIFIED)


VERIFIED = "_verified_phone"


def verified_phone(case: Case) -> str | None:
    """The phone verified for this case, unless a newer code was sent since: read once
    per case object (sending and checking a code forget it)."""
    if VERIFIED not in case.__dict__:
        rows = _VERIFIED.rows(case.pk)
        case.__dict__[VERIFIED] = rows[0][0] if rows else None
    return case.__dict__[VERIFIED]


def _verified_of(case_id: int):
    return (PhoneVerification.objects.filter(case_id=case_id, superseded=False,
                                             verified_at__isnull=False)
            .order_by("-verified_at").values_list("phone")[:1])


# Every appointment page asks: compiled once per process (cases/prepared.py).
_VERIFIED = PreparedRead(_verified_of, -7_000_004)


def _refusal(
    scope: Scope, phone: str, client_address: str | None, now: datetime.datetime
) -> SendOutcome | None:
    cooldown = datetime.timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
    last = (
        scope.codes().filter(phone=phone, created_at__gt=now - cooldown)
        .order_by("-created_at")
        .first()
    )
    if last is not None:
        wait = _seconds_until(last.created_at + cooldown, now)
        return SendOutcome(False, MSG_WAIT.format(to_persian_digits(wait)), wait)
    checks = [(PhoneVerification.objects.filter(phone=phone),
               settings.PHONE_CODE_SENDS_PER_PHONE_PER_HOUR, MSG_PHONE_LIMIT)]
    if client_address:
        checks.append((PhoneVerification.objects.filter(client_address=client_address),
                       settings.PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR, MSG_ADDRESS_LIMIT))
    for sends, limit, message in checks:
        wait = _hourly_wait(sends, limit, now)
        if wait is not None:
            minutes = math.ceil(wait / 60)
            return SendOutcome(False, message.format(to_persian_digits(minutes)), wait)
    return None


def _hourly_wait(sends: QuerySet, limit: int, now: datetime.datetime) -> int | None:
    """Seconds until fewer than `limit` of `sends` fall in the last hour; None if already."""
    recent = list(
        sends.filter(created_at__gt=now - HOUR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return _seconds_until(recent[-1] + HOUR, now)


def _seconds_until(moment: datetime.datetime, now: datetime.datetime) -> int:
    return max(math.ceil((moment - now).total_seconds()), 1)


def _sms_text(code: str) -> str:
    ttl = settings.PHONE_CODE_TTL_SECONDS
    validity = f"{ttl // 60} دقیقه" if ttl % 60 == 0 else f"{ttl} ثانیه"
    return render_sms("verification_code", {
        "code": code,
        "code_fa": to_persian_digits(code),
        "validity": to_persian_digits(validity),
        "site_host": urlsplit(settings.SITE_URL).hostname or "localhost",
    })
