"""Thin views around the payment services: start, the bank's callback, the receipt."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from cases.models import Case
from integrations.payments.base import GatewayError

from .models import Payment, PaymentStatus
from .services import PaymentError, is_safe_return_url, start_payment
from .settlement import NOTICE, find_payment, gateway_for_order, gateway_of, handle_callback

logger = logging.getLogger(__name__)

NOT_PAID = "پرداخت انجام نشد"
MAY_BE_RETURNED = (
    "اگر مبلغی از حساب شما کسر شده باشد، بانک آن را حداکثر تا ۷۲ ساعت بازمی‌گرداند."
)
BEING_CHECKED = (
    "پاسخ بانک رسید و پرداخت شما در حال تأیید است؛ نتیجه تا چند دقیقه دیگر در همین صفحه "
    "دیده می‌شود. لطفاً دوباره پرداخت نکنید."
)
ALREADY_SETTLED = "این بدهی پیش‌تر تسویه شده است و مبلغ کسر شده به حساب شما بازگردانده می‌شود."
SETTLED_OTHERWISE = (
    "این بدهی پیش از تأیید پرداخت شما با پرداخت دیگری تسویه شد؛ پرداخت شما تأیید نشد و اگر "
    "مبلغی از حساب شما کسر شده باشد، بانک آن را حداکثر تا ۷۲ ساعت بازمی‌گرداند."
)
# A refusal that is news, not a fault: nothing is wrong with what the citizen did.
GOOD_NEWS = {"no_debt", "just_settled"}


def _problem(request, message: str, status: int):
    return render(request, "payments/problem.html", {"message": message}, status=status)


@login_required
@require_POST
def start(request, case_id: int):
    case = get_object_or_404(
        Case.objects.select_related("property"), pk=case_id, citizen=request.user
    )
    return_url = request.POST.get("next", "")
    if return_url and not is_safe_return_url(return_url):
        logger.warning("payment start refused an unsafe return URL for case %s", case.pk)
        return _problem(request, "نشانی بازگشت معتبر نیست.", status=400)
    callback_url = request.build_absolute_uri(reverse("payments:callback"))
    notify_url = request.build_absolute_uri(reverse("payments:notify"))
    try:
        payment = start_payment(
            case, request.user, return_url, callback_url=callback_url, notify_url=notify_url
        )
    except PaymentError as error:
        if error.code == "not_found":
            raise Http404 from error
        if error.code in GOOD_NEWS:
            messages.success(request, error.message)
        elif error.code == "at_bank":
            messages.info(request, error.message)
        else:
            messages.error(request, error.message)
        if return_url:
            return redirect(return_url)
        return _problem(request, error.message, status=409)
    gateway_of(payment).remember_browser(request, payment.gateway_token)
    return redirect(payment.redirect_url)


def _tell_outcome(request, payment: Payment) -> None:
    if payment.status == PaymentStatus.SETTLED:
        messages.success(request, "پرداخت با موفقیت انجام شد")
    elif payment.status == PaymentStatus.CANCELLED:
        messages.error(request, "پرداخت لغو شد")
    elif payment.status in (PaymentStatus.RETURNED, PaymentStatus.VERIFIED):
        messages.warning(request, BEING_CHECKED)
    elif payment.refund_due:
        messages.error(request, f"{NOT_PAID}؛ {ALREADY_SETTLED}")
    elif payment.settled_by_another:
        messages.error(request, f"{NOT_PAID}. {SETTLED_OTHERWISE}")
    else:
        messages.error(request, f"{NOT_PAID}. {MAY_BE_RETURNED}")


@login_required
@require_safe
def callback(request):
    """The browser's return from the bank: verify, settle once, send the citizen back.
    Read by the gateway that started the payment, which may no longer be the configured
    one (a switch of provider while citizens are at the old one's bank)."""
    found = find_payment(request.GET.get("order_id", ""))
    try:
        data = gateway_for_order("", found).parse_callback(request)
    except GatewayError as error:
        logger.warning("payment callback refused: %s", error)
        return _problem(request, "پاسخ بانک معتبر نیست و پذیرفته نشد.", status=400)
    try:
        payment = handle_callback(data, request.user, found=found)
    except PaymentError as error:
        return _problem(request, error.message, status=404 if error.code == "not_found" else 400)
    _tell_outcome(request, payment)
    if payment.return_url and is_safe_return_url(payment.return_url):
        return redirect(payment.return_url)
    return redirect("payments:receipt", order_id=payment.order_id)


@csrf_exempt  # the bank's server has no CSRF token; the gateway checks its signature
@require_POST
def notify(request):
    """The provider's server-to-server notice: no session, so it is believed only with
    the provider's signature, and still verified with the provider before settling."""
    found = find_payment(request.POST.get("order_id", ""))
    try:
        data = gateway_for_order("", found).parse_notice(request)
    except GatewayError as error:
        logger.warning("payment notice refused: %s", error)
        return HttpResponse("refused", status=400, content_type="text/plain")
    try:
        payment = handle_callback(data, None, via=NOTICE, found=found)
    except PaymentError as error:
        status = 404 if error.code == "not_found" else 400
        return HttpResponse(error.code, status=status, content_type="text/plain")
    return HttpResponse(payment.status, content_type="text/plain")


@login_required
@require_safe
def receipt(request, order_id: str):
    payment = get_object_or_404(
        Payment.objects.select_related("case", "debt", "case__property"),
        order_id=order_id,
        case__citizen=request.user,
    )
    return render(request, "payments/receipt.html", {"payment": payment})
