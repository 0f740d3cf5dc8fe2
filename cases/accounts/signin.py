"""Signing in after the password: the steps that may stand between a right password and
a session, and the finish.

A step in progress is kept in the session (not signed in yet): whose password was
accepted, which step, where to go after, since when. It lapses after PENDING_SECONDS and
as soon as the account's password changes (its session hash is kept and compared), so
a half-finished sign-in never outlives the password that began it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from cases.identity import normalize_mobile
from cases.phone_codes.models import Purpose
from cases.phone_codes.services import (
    CheckOutcome, SendOutcome, check_account_code, consume, send_account_code,
)
from ops.client_address import client_address

from . import devices, lockout

SESSION_KEY = "accounts_pending_signin"
PENDING_SECONDS = 15 * 60
PASSWORD_BACKEND = "cases.accounts.backends.CachedModelBackend"


class Step(StrEnum):
    LOGIN_CODE = "login_code"  # an account under attack: an SMS code from a new device
    VERIFY_MOBILE = "verify_mobile"  # a citizen whose mobile was never proven


@dataclass(frozen=True)
class Pending:
    user: object
    step: Step
    next_url: str
    phone: str  # the number the step's last code went to ("" before one was sent)


def step_after_password(request: HttpRequest, user) -> Step | None:
    """What must come before `user`, whose password was right, is signed in; None: sign in.
    A known device skips the code an attack asks for, not the mobile's verification."""
    if not devices.is_known(request, user) and lockout.code_required_for(user.get_username()):
        return Step.LOGIN_CODE
    if user.is_citizen and not user.mobile_is_verified:
        return Step.VERIFY_MOBILE
    return None


def login_code_phone(user) -> str:
    """Where the login code goes: the verified mobile; else the one given at registration
    (the code then proves it, and it becomes verified); "" when the account has none."""
    return user.mobile or ""


def begin(request: HttpRequest, user, step: Step, next_url: str) -> None:
    request.session[SESSION_KEY] = {
        "user": user.pk, "hash": user.get_session_auth_hash(), "step": str(step),
        "next": next_url, "since": time.time(), "phone": "",
    }


def note_phone(request: HttpRequest, phone: str) -> None:
    """The number the pending step's code was just sent to (the page offers it again)."""
    data = request.session.get(SESSION_KEY)
    if data:
        data["phone"] = phone
        request.session.modified = True


def pending(request: HttpRequest, step: Step) -> Pending | None:
    """The sign-in waiting at `step` in this session, or None (none, another step, lapsed,
    or the password changed since)."""
    data = request.session.get(SESSION_KEY)
    if not data or data.get("step") != step:
        return None
    if time.time() - data.get("since", 0) > PENDING_SECONDS:
        abandon(request)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None or user.get_session_auth_hash() != data.get("hash"):
        abandon(request)
        return None
    return Pending(user=user, step=step, next_url=data.get("next") or "",
                   phone=data.get("phone") or "")


def abandon(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def finish(request: HttpRequest, user, next_url: str = "") -> HttpResponse:
    """Sign `user` in (django-axes then clears this pair's failures), mark this browser a
    known device of theirs, and send them on: to `next_url` (already checked to be ours)
    or their role's first page."""
    abandon(request)
    login(request, user, backend=PASSWORD_BACKEND)
    response = HttpResponseRedirect(next_url or landing_url(user))
    devices.remember(request, response, user)
    return response


def landing_url(user) -> str:
    """Inspectors land on their visits, supervisors on the dashboard, everyone else on
    خدمات اختصاصی."""
    if user.has_perm("cases.supervise_case"):
        return resolve_url("staff:dashboard", "transfer")
    if user.has_perm("cases.inspect_case"):
        return resolve_url("portal:inspector_inbox")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def send_login_code(request: HttpRequest, user) -> SendOutcome:
    return send_account_code(Purpose.LOGIN, login_code_phone(user), client_address(request),
                             user=user)


def check_login_code(user, code: str) -> CheckOutcome:
    """The login code; right, it is used up, and the number it reached is now proven."""
    phone = login_code_phone(user)
    outcome = check_account_code(Purpose.LOGIN, phone, code, user=user)
    if outcome.ok:
        consume(Purpose.LOGIN, phone, user=user)
        mark_mobile_verified(user, phone)
    return outcome


def send_mobile_code(request: HttpRequest, user, phone: str) -> SendOutcome:
    """A code to prove `phone` (the one given at registration, or a corrected one)."""
    outcome = send_account_code(Purpose.MOBILE, phone, client_address(request), user=user)
    if outcome.ok:
        note_phone(request, normalize_mobile(phone))
    return outcome


def check_mobile_code(user, phone: str, code: str) -> CheckOutcome:
    """Right: `phone` becomes the account's mobile, verified, and the code is used up."""
    outcome = check_account_code(Purpose.MOBILE, phone, code, user=user)
    if outcome.ok:
        phone = normalize_mobile(phone)
        consume(Purpose.MOBILE, phone, user=user)
        mark_mobile_verified(user, phone)
    return outcome


def mark_mobile_verified(user, phone: str) -> None:
    if user.mobile != phone or user.verified_mobile != phone:
        user.mobile = user.verified_mobile = phone
        user.save(update_fields=["mobile", "verified_mobile"])
