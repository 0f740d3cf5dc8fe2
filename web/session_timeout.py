"""Idle session timeout by role, with a way to extend it before it ends.

The server decides: every request of a signed-in person records the time in the session,
and a request arriving after the idle period logs them out and sends them to the login
page with a Persian message. static/js/session-timeout.js only warns ahead of that and
POSTs to session:extend; without JavaScript the timeout applies all the same.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from cases.accounts.role_flags import role_flags

LAST_SEEN_KEY = "_idle_last_seen"
# Recording every request would write the session row on every page; to the second is
# not needed, so activity is recorded at most this often (the extend button always is).
RESOLUTION_SECONDS = 15
MSG_EXPIRED = "به دلیل مدتی بی‌فعالیتی، نشست شما پایان یافت. لطفاً دوباره وارد شوید."
MSG_NOT_SIGNED_IN = "نشست شما پایان یافته است؛ دوباره وارد شوید."


def idle_seconds_for(user, session=None) -> int:
    """Staff (is_staff or any role group) get the shorter period."""
    # The role is kept in the session and shared with the page's navigation: no query
    # until the person's roles change.
    if user.is_staff or role_flags(user, session).in_group:
        return settings.SESSION_IDLE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS_CITIZEN


def touch(request: HttpRequest, idle: int, now: float) -> None:
    request.session[LAST_SEEN_KEY] = now
    # The row outlives the idle period a little, so the next request can still say why
    # the person was signed out; the check in the middleware is what actually ends it.
    request.session.set_expiry(idle + settings.SESSION_EXPIRED_NOTICE_SECONDS)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No session cookie, nobody signed in: looking up the user would only read an empty
        # session (and mark it read, adding Vary: Cookie to a page no cookie changes).
        session = getattr(request, "session", None)
        if session is not None and session.session_key is None:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        idle = idle_seconds_for(user, request.session)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - float(last_seen) > idle:
            return self._expired(request)
        if last_seen is None or now - float(last_seen) >= RESOLUTION_SECONDS:
            touch(request, idle, now)
            last_seen = now
        request.idle_timeout_seconds = idle
        # What the server will allow from now on: the page's warning counts from this.
        request.idle_remaining_seconds = max(0, int(idle - (now - float(last_seen))))
        request.idle_warning_seconds = min(settings.SESSION_TIMEOUT_WARNING_SECONDS, idle)
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith(
            "application/json"
        ):
            return JsonResponse({"detail": MSG_EXPIRED}, status=401)
        messages.warning(request, MSG_EXPIRED)
        # A POST's data is gone with the session; send the person back to the page only.
        return redirect_to_login(request.get_full_path() if request.method == "GET"
                                 else request.path)


@require_POST
def extend(request: HttpRequest) -> JsonResponse:
    """Renews the idle period now (the person asked to stay) and tells the script its length."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": MSG_NOT_SIGNED_IN}, status=401)
    touch(request, request.idle_timeout_seconds, time.time())
    return JsonResponse({"ok": True, "timeout": request.idle_timeout_seconds,
                         "warning": request.idle_warning_seconds})
