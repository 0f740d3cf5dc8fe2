"""The sandbox bank's page: shows the order, and sends the browser back on a button."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..base import GatewayError
from ..registry import get_gateway
from .gateway import DECISIONS, SandboxGateway, callback_redirect_url, read_token, started_in

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _grouped(amount: int) -> str:
    # The integration does not import the domain's Persian helpers; same output: ۴٬۵۰۰٬۰۰۰
    return f"{amount:,}".replace(",", "\u066c").translate(PERSIAN_DIGITS)


def _toman(amount_rials: int) -> str:
    toman, rest = divmod(amount_rials, 10)
    return _grouped(toman) + (f"\u066b{rest}".translate(PERSIAN_DIGITS) if rest else "")


@require_http_methods(["GET", "POST"])
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
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in DECISIONS:
            return HttpResponseBadRequest("یکی از دکمه‌های پرداخت یا انصراف را بزنید.")
        return redirect(callback_redirect_url(token, decision))
    context = {
        "order_id": str(order["order_id"]).translate(PERSIAN_DIGITS),
        "amount_rials": _grouped(order["amount"]),
        "amount_toman": _toman(order["amount"]),
        "description": order.get("description", ""),
    }
    return render(request, "sandbox_bank/pay.html", context)
