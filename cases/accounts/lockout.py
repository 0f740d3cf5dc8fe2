"""How long a lockout lasts, and what the locked-out person is told.

django-axes counts failed logins per (username, address) pair (AXES_LOCKOUT_PARAMETERS);
its rows (AccessAttempt) also tell how many failures one username has had from every
address together, which decides when an account asks new devices for an SMS code
(`code_required_for`). Both answers come with the seconds until they lapse, so the page
can say «… دقیقه دیگر» and the response carry the same number as Retry-After.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from cases.persian import to_persian_digits

LOCKED_TITLE = "ورود موقتاً مسدود است"
MSG_PAIR_LOCKED = (
    "به دلیل چند تلاش ناموفق پیاپی، ورود با این نام کاربری از این نشانی اینترنتی برای "
    "مدتی مسدود شده است. {} دوباره تلاش کنید."
)
MSG_NO_MOBILE = (
    "برای این حساب تلاش‌های ناموفق زیادی ثبت شده است و ورود از دستگاه تازه به کد پیامکی "
    "نیاز دارد، اما حساب شماره همراهی ندارد. {} دوباره تلاش کنید یا از دستگاهی وارد شوید "
    "که پیش‌تر با آن وارد شده‌اید."
)


def wait_phrase(seconds: int) -> str:
    """«۵ دقیقه دیگر»: whole minutes, rounded up, so the page never promises too early."""
    return f"{to_persian_digits(max(math.ceil(seconds / 60), 1))} دقیقه دیگر"


def locked_response(request: HttpRequest, seconds: int, message: str) -> HttpResponse:
    """The Persian 429 page, with the same wait in its text and in Retry-After."""
    seconds = max(int(seconds), 1)
    body = render_to_string("accounts/locked_out.html", {
        "title": LOCKED_TITLE, "message": message.format(wait_phrase(seconds)),
    }, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(request: HttpRequest, original_response=None,
                     credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the pair is locked; say until when."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    rows = AccessAttempt.objects.filter(username=username, ip_address=address)
    return locked_response(request, _seconds_left(rows, settings.AXES_FAILURE_LIMIT),
                           MSG_PAIR_LOCKED)


def code_required_for(username: str) -> int | None:
    """Seconds for which new devices of this account need an SMS code besides the
    password: failures from every address together reached LOGIN_SMS_CODE_AFTER_FAILURES
    within the cool-off. None: the password is enough."""
    rows = AccessAttempt.objects.filter(username=username)
    seconds = _seconds_left(rows, settings.LOGIN_SMS_CODE_AFTER_FAILURES)
    return seconds or None


def _seconds_left(rows, limit: int, now: datetime.datetime | None = None) -> int:
    """Seconds until fewer than `limit` failures of `rows` fall within the cool-off; 0 if
    already. Each row holds its failures under the time of its latest one (axes' own
    reckoning), so the count drops below the limit once the row that made it reach the
    limit, counting from the newest, leaves the window."""
    cool_off = get_cool_off()
    now = now or timezone.now()
    recent = rows.filter(attempt_time__gte=now - cool_off).order_by("-attempt_time")
    moment = _moment_limit_reached(recent.values_list("attempt_time", "failures_since_start"),
                                   limit)
    if moment is None:
        return 0
    return max(math.ceil((moment + cool_off - now).total_seconds()), 1)


def _moment_limit_reached(rows: Iterable[tuple[datetime.datetime, int]],
                          limit: int) -> datetime.datetime | None:
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= limit:
            return attempt_time
    return None
