"""The public page where a bank or notary checks a certificate: no login."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ops.client_address import client_address

from .lookup import lookup_allowed, verify

MSG_NO_MATCH = "شماره پیگیری یا کد تصدیق درست نیست"
MSG_TOO_MANY = "تعداد درخواست‌های بررسی از این نشانی زیاد است؛ چند دقیقه دیگر دوباره بکوشید."


@require_safe
def verify_page(request: HttpRequest) -> HttpResponse:
    tracking = request.GET.get("t", "")
    code = request.GET.get("c", "")
    context = {"tracking": tracking[:40], "code": code[:40]}
    status = 200
    if "t" in request.GET or "c" in request.GET:
        if not lookup_allowed(client_address(request)):
            context["error"] = MSG_TOO_MANY
            status = 429
        else:
            document = verify(tracking[:40], code[:40], now=timezone.now())
            if document is None:
                context["error"] = MSG_NO_MATCH
                status = 404
            context["document"] = document
    response = render(request, "verify/page.html", context, status=status)
    # The address holds the code: keep it out of caches and other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
