"""Known devices: a browser that signed in to an account before keeps a signed cookie
saying so, and is spared that account's (username, address) lockout and the SMS code an
account under attack asks of new devices.

Why: behind a carrier's NAT thousands of people share one address; someone guessing a
password there locks the pair (username, address), which is also the real owner's pair
when they are on the same carrier. The owner's own browser should still get in.

The cookie holds up to KNOWN_DEVICE_LIMIT entries (people share a family phone), each
"<user id>:<signed {device id}>", signed with a salt holding the user's session hash —
an HMAC of their password hash — so a new password voids every device at once. It is
HttpOnly, Secure outside DEBUG and SameSite=Lax. A device that itself gets the password
wrong AXES_FAILURE_LIMIT times within the cool-off loses the exemption (a shared or stolen
computer must not become an unlimited guesser); that count lives in the shared cache, and
when the cache cannot be read the device is treated as unknown, so the database-held
lockout applies.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

COOKIE = "known_device"
KNOWN_DEVICE_LIMIT = 5
_SALT = "cases.accounts.known_device"


def _signer(user) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"{_SALT}:{user.pk}:{user.get_session_auth_hash()}")


def _max_age() -> int:
    return settings.KNOWN_DEVICE_DAYS * 24 * 3600


def _entries(request: HttpRequest) -> list[tuple[str, str]]:
    raw = request.COOKIES.get(COOKIE, "")
    entries = []
    for item in raw.split("|")[:KNOWN_DEVICE_LIMIT]:
        user_id, _, signed = item.partition(":")
        if user_id.isdigit() and signed:
            entries.append((user_id, signed))
    return entries


def device_id(request: HttpRequest, user) -> str | None:
    """This browser's device id for `user`, if its cookie has a valid entry for them."""
    for user_id, signed in _entries(request):
        if user_id != str(user.pk):
            continue
        try:
            return _signer(user).unsign_object(signed, max_age=_max_age())["d"]
        except (signing.BadSignature, KeyError, TypeError):
            return None
    return None


def is_known(request: HttpRequest, user) -> bool:
    device = device_id(request, user)
    return device is not None and _failures_below_limit(device)


def remember(request: HttpRequest, response: HttpResponse, user) -> None:
    """After a finished sign-in: this browser is a known device of `user` (first in the
    cookie, the oldest other entry dropped past the limit); its failure count restarts."""
    device = device_id(request, user) or secrets.token_urlsafe(12)
    _forget_failures(device)
    mine = f"{user.pk}:{_signer(user).sign_object({'d': device})}"
    others = [f"{uid}:{signed}" for uid, signed in _entries(request) if uid != str(user.pk)]
    value = "|".join([mine, *others][:KNOWN_DEVICE_LIMIT])
    response.set_cookie(
        COOKIE, value, max_age=_max_age(), secure=settings.SESSION_COOKIE_SECURE,
        httponly=True, samesite="Lax",
    )


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


# ---------------------------------------------------------------- django-axes' hooks

def _user_named(request: HttpRequest, credentials: dict | None):
    """The account a login names, looked up once per request and only when the browser
    carries a known-device cookie at all (most logins cost no query here)."""
    username = (credentials or {}).get("username")
    if not username or not request.COOKIES.get(COOKIE):
        return None
    memo = request.__dict__.setdefault("_known_device_users", {})
    if username not in memo:
        memo[username] = get_user_model().objects.filter(
            username=username, is_active=True).first()
    return memo[username]


def known_device_login(request: HttpRequest, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: a known device of the named account is never locked out
    by the (username, address) lockout, and its failures are counted here instead."""
    user = _user_named(request, credentials)
    return user is not None and is_known(request, user)


def count_failure(sender, credentials: dict, request: HttpRequest | None = None,
                  **kwargs) -> None:
    """user_login_failed: a wrong password from a known device counts against it."""
    if request is None:
        return
    user = _user_named(request, credentials)
    device = device_id(request, user) if user is not None else None
    if device is None:
        return
    key = _failure_key(device)
    try:
        cache.add(key, 0, timeout=_cooloff_seconds())
        cache.incr(key)
    except Exception:  # noqa: BLE001 — is_known refuses the exemption while unreadable
        log.warning("known_device_cache_unavailable", exc_info=True)


def _failures_below_limit(device: str) -> bool:
    try:
        failures = cache.get(_failure_key(device), 0)
    except Exception:  # noqa: BLE001 — unknown count: no exemption, the lockout applies
        log.warning("known_device_cache_unavailable", exc_info=True)
        return False
    return failures < settings.AXES_FAILURE_LIMIT


def _forget_failures(device: str) -> None:
    try:
        cache.delete(_failure_key(device))
    except Exception:  # noqa: BLE001
        log.warning("known_device_cache_unavailable", exc_info=True)


def _failure_key(device: str) -> str:
    return f"accounts:device-failures:{device}"


def _cooloff_seconds() -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 3600


def connect() -> None:
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(count_failure, dispatch_uid="accounts.known_device_failure")
