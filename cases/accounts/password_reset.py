"""«فراموشی رمز عبور»: a code to a verified mobile, then a new password.

A stranger must learn nothing of who has an account. Whatever is typed — a mobile or a
username, known or not, with a verified mobile or not, within the SMS limits or past
them — the request gets the same answer, and the code page behaves the same: for an
unknown account the session holds an empty reset whose "code" is checked like a real
one (the same messages, tries and expiry, kept in the session) and always refused.

The code proves the phone, not an account: a phone may be the verified mobile of
several (a family's), and the person who holds it picks which password to set. Setting it
changes the account's session hash, which signs out its other sessions and voids its
known-device cookies (devices.py); this browser is then signed in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from cases.identity import normalize_mobile
from cases.persian import to_persian_digits
from cases.phone_codes.models import Purpose
from cases.phone_codes.services import (
    MSG_EXPIRED, MSG_LOCKED, MSG_TRIES_LEFT, MSG_WRONG, CheckOutcome, check_account_code,
    code_hash, consume, send_account_code,
)
from ops.client_address import client_address

SESSION_KEY = "accounts_password_reset"
# Long enough to read the SMS and choose a password; the code itself expires sooner.
RESET_SECONDS = 15 * 60
MSG_REQUESTED = (
    "اگر حسابی با این مشخصات و شماره همراه تاییدشده وجود داشته باشد، کد تایید به آن شماره "
    "پیامک شد. کد را در این صفحه وارد کنید."
)


@dataclass
class Reset:
    phone: str = ""  # "" when nothing matched: the reset can never succeed
    user_ids: list[int] = field(default_factory=list)
    since: float = 0.0
    sent_at: float = 0.0
    verified: bool = False
    tries: int = 0  # an empty reset's wrong tries, counted as the machinery counts


def accounts_for(identifier: str) -> tuple[str, list]:
    """The verified mobile and its accounts that `identifier` (a mobile or a username)
    names; ("", []) when none. Only a verified mobile ever receives a reset code."""
    users = get_user_model().objects.filter(is_active=True).exclude(verified_mobile="")
    try:
        phone = normalize_mobile(identifier)
    except ValidationError:
        user = users.filter(username=identifier).first()
        if user is None or not user.mobile_is_verified:
            return "", []
        return user.mobile, [user]
    matched = list(users.filter(mobile=phone, verified_mobile=phone).order_by("username"))
    return (phone, matched) if matched else ("", [])


def request_code(request: HttpRequest, identifier: str) -> None:
    """Start a reset in this session and text a code if an account matched; the caller
    says MSG_REQUESTED whatever happened (a refused send included, so the SMS limits
    tell nothing either)."""
    phone, users = accounts_for(identifier)
    now = time.time()
    reset = Reset(phone=phone, user_ids=[u.pk for u in users], since=now, sent_at=now)
    _save(request, reset)
    _send(request, reset)


def resend(request: HttpRequest) -> None:
    reset = current(request)
    if reset is not None:
        reset.sent_at, reset.tries = time.time(), 0
        _save(request, reset)
        _send(request, reset)


def _send(request: HttpRequest, reset: Reset) -> None:
    if reset.phone:
        send_account_code(Purpose.RESET, reset.phone, client_address(request))
    else:
        # Comparable work for nothing, so the answer's timing is of the same order.
        code_hash("00000000000", "000000")


def current(request: HttpRequest) -> Reset | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    reset = Reset(**data)
    if time.time() - reset.since > RESET_SECONDS:
        abandon(request)
        return None
    return reset


def check(request: HttpRequest, code: str) -> CheckOutcome:
    reset = current(request)
    if reset is None:
        return CheckOutcome(False, MSG_EXPIRED)
    if not reset.phone:
        outcome = _refuse_like_a_real_code(reset)
    else:
        outcome = check_account_code(Purpose.RESET, reset.phone, code)
        if outcome.ok:
            consume(Purpose.RESET, reset.phone)
            reset.verified = True
    _save(request, reset)
    return outcome


def _refuse_like_a_real_code(reset: Reset) -> CheckOutcome:
    """What phone_codes.check_code answers to a wrong code, for a reset with no code."""
    limit = settings.PHONE_CODE_MAX_ATTEMPTS
    if reset.tries >= limit:
        return CheckOutcome(False, MSG_LOCKED, 0)
    if time.time() >= reset.sent_at + settings.PHONE_CODE_TTL_SECONDS:
        return CheckOutcome(False, MSG_EXPIRED)
    reset.tries += 1
    remaining = limit - reset.tries
    if remaining == 0:
        return CheckOutcome(False, f"{MSG_WRONG}. {MSG_LOCKED}", 0)
    return CheckOutcome(False, MSG_TRIES_LEFT.format(to_persian_digits(remaining)), remaining)


def verified_accounts(request: HttpRequest) -> list:
    """The accounts whose password this session may now set (empty: not yet, or none)."""
    reset = current(request)
    if reset is None or not reset.verified or not reset.phone:
        return []
    users = get_user_model().objects.filter(
        pk__in=reset.user_ids, is_active=True, mobile=reset.phone, verified_mobile=reset.phone)
    return list(users.order_by("username"))


def set_new_password(request: HttpRequest, user, password: str) -> None:
    """The new password; the reset is over. Other sessions and known devices of the
    account lapse with its old session hash."""
    if user.pk not in {u.pk for u in verified_accounts(request)}:
        raise PermissionError("this session has not proven the account's mobile")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    abandon(request)


def abandon(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def _save(request: HttpRequest, reset: Reset) -> None:
    request.session[SESSION_KEY] = reset.__dict__.copy()
