"""The sandbox bank's page: shows the order, records the button, sends the browser back.

Besides the ordinary return, the page can simulate what real gateways do to merchants:
a duplicated callback (the browser's return and the bank's server notice at once) and
a delayed one (the browser is held at the bank; the notice comes later).
"""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..base import GatewayError
from ..loader import get_gateway
from . import notices
from .gateway import (
    DECISIONS,
    SandboxGateway,
    callback_redirect_url,
    decide,
    notice,
    read_token,
    started_in,
)

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DELIVERIES = ("normal", "duplicate", "delayed")


def _grouped(amount: int) -> str:
    # The integration does not import the domain's Persian helpers; same output: ۴٬۵۰۰٬۰۰۰
    return f"{amount:,}".replace(",", "\u066c").translate(PERSIAN_DIGITS)


def _toman(amount_rials: int) -> str:
    toman, rest = divmod(amount_rials, 10)
    return _grouped(toman) + (f"\u066b{rest}".translate(PERSIAN_DIGITS) if rest else "")


def _send_notice(token: str, decision: str, delay_seconds: float) -> None:
    found = notice(token, decision)
    if found:
        notices.deliver(*found, delay_seconds=delay_seconds)


@require_http_methods(["GET", "HEAD", "POST"])
def pay(request, token: str):
    # Only a site configured with the sandbox serves a pretend bank.
    if not isinstance(get_gateway(), SandboxGateway):
        raise Http404
    try:
        order = read_token(token, max_age=settings.PAYMENT_EXPIRY_MINUTES * 60)
    except GatewayError as error:
        raise Http404 from error
    if not started_in(request, token):
        raise Http404
    delay = settings.PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        delivery = request.POST.get("delivery", "normal")
        if decision not in DECISIONS or delivery not in DELIVERIES:
            return HttpResponseBadRequest("یکی از دکمه‌های پرداخت یا انصراف را بزنید.")
        try:
            decision = decide(token, decision)  # pressed twice: the first press stands
        except GatewayError as error:
            raise Http404 from error
        return_url = callback_redirect_url(token, decision)
        if delivery == "normal":
            return redirect(return_url)
        _send_notice(token, decision, 0 if delivery == "duplicate" else delay)
        if delivery == "duplicate":
            return redirect(return_url)
        return render(
            request,
            "sandbox_bank/delayed.html",
            {"return_url": return_url, "delay": str(delay).translate(PERSIAN_DIGITS)},
        )
    context = {
        "order_id": str(order["order_id"]).translate(PERSIAN_DIGITS),
        "amount_rials": _grouped(order["amount"]),
        "amount_toman": _toman(order["amount"]),
        "description": order.get("description", ""),
        "delay": str(delay).translate(PERSIAN_DIGITS),
    }
    return render(request, "sandbox_bank/pay.html", context)
