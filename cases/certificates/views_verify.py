"""The public page where a bank or notary checks a certificate: no login.

By its tracking number and code (GET), or by the PDF file itself (POST to verify:file).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ops.client_address import client_address

from .file_check import check_file
from .file_messages import MSG_NO_FILE, MSG_TOO_LARGE, TRUSTED, verdict_lines
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
    return _private(render(request, "verify/page.html", context, status=status))


@require_POST
def verify_file(request: HttpRequest) -> HttpResponse:
    """The same page, answering for an uploaded PDF; one look-up of the same allowance."""
    upload = request.FILES.get("file")
    context, status = {}, 200
    if upload is None:
        context["file_error"], status = MSG_NO_FILE, 400
    elif upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
        context["file_error"], status = MSG_TOO_LARGE, 413
    elif not lookup_allowed(client_address(request)):
        context["file_error"], status = MSG_TOO_MANY, 429
    else:
        verdict = check_file(upload.read(), now=timezone.now())
        context.update(verdict=verdict, verdict_lines=verdict_lines(verdict),
                       verdict_trusted=verdict.outcome in TRUSTED, document=verdict.document)
    return _private(render(request, "verify/page.html", context, status=status))


def _private(response: HttpResponse) -> HttpResponse:
    # The address holds the code: keep it out of caches and other sites' logs. Same-origin,
    # not no-referrer: with no-referrer Chromium posts the file form with "Origin: null",
    # which the CSRF check refuses.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
