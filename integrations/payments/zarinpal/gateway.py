"""Zarinpal as a PaymentGateway: token (authority) → StartPay → callback → verify.

Zarinpal's callback carries only Authority and Status (OK/NOK), unsigned, so it is
treated as a hint: the order id we add to our own callback URL finds the payment, the
authority must be the one Zarinpal gave us for it, and only verify() — server to
server, with the amount from our database — decides whether it was paid.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

from ..base import BankState, CallbackData, CallbackStatus, GatewayError, PaymentGateway
from ..base import StartResult
from ..base import VerifyResult
from .client import ZarinpalClient, ZarinpalError

# Zarinpal's answers that mean "not paid" for good (as opposed to "could not ask"):
# -50 amount differs, -51 payment failed/cancelled, -52..-55 unknown or invalid session.
NOT_PAID_CODES = {-50, -51, -52, -53, -54, -55}
# inquiry.json's `status` as Zarinpal documents it; REVERSED: paid, then given back.
INQUIRY_STATES = {
    "IN_BANK": BankState.IN_BANK,
    "PAID": BankState.PAID,
    "VERIFIED": BankState.VERIFIED,
    "FAILED": BankState.FAILED,
    "REVERSED": BankState.FAILED,
}


class ZarinpalGateway(PaymentGateway):
    def __init__(self, client: ZarinpalClient | None = None):
        self.client = client or ZarinpalClient(
            settings.ZARINPAL_MERCHANT_ID,
            settings.ZARINPAL_BASE_URL,
            settings.ZARINPAL_TIMEOUT_SECONDS,
        )

    def start(
        self,
        order_id: str,
        amount_rials: int,
        callback_url: str,
        description: str,
        notify_url: str = "",
    ) -> StartResult:
        separator = "&" if "?" in callback_url else "?"
        callback = f"{callback_url}{separator}{urlencode({'order_id': order_id})}"
        authority = self.client.request_payment(amount_rials, callback, description, order_id)
        return StartResult(redirect_url=self.client.start_pay_url(authority), token=authority)

    def parse_callback(self, request) -> CallbackData:
        order_id = request.GET.get("order_id", "")
        authority = request.GET.get("Authority", "")
        status = request.GET.get("Status", "")
        if not order_id or not authority or status not in ("OK", "NOK"):
            raise GatewayError("zarinpal callback lacks order_id, Authority or Status")
        return CallbackData(
            order_id=order_id,
            token=authority,
            status=CallbackStatus.PAID if status == "OK" else CallbackStatus.CANCELLED,
            params={"Authority": authority, "Status": status},
        )

    def inquire(self, order_id: str, token: str) -> str | None:
        status = self.client.inquiry(token)
        if status not in INQUIRY_STATES:
            raise GatewayError(f"zarinpal inquiry answered an unknown status {status!r}")
        return INQUIRY_STATES[status]

    def verify(
        self, order_id: str, token: str, amount_rials: int, callback_params: dict
    ) -> VerifyResult:
        try:
            verification = self.client.verify(token, amount_rials)
        except ZarinpalError as error:
            if error.code in NOT_PAID_CODES:
                return VerifyResult(paid=False, reference="", raw={"code": error.code})
            raise  # anything else: no answer yet, reconciliation asks again
        return VerifyResult(
            paid=True,
            reference=verification.ref_id,
            card_mask=verification.card_pan,
            raw={"code": verification.code},
            # Zarinpal verified *our* amount (it answers -50 otherwise).
            amount_rials=amount_rials,
        )
