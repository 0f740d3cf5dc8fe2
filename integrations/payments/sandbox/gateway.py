"""The sandbox bank: a pretend PSP served by this app, for development and demos.

It keeps nothing of its own. The token is a signed payload of the order, so the bank
page can show the amount and send the browser back; the callback carries the page's
decision in signed parameters, so neither the amount nor the outcome can be edited
on the way back without the signature failing.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from ..base import (
    CallbackData,
    CallbackStatus,
    GatewayError,
    PaymentGateway,
    StartResult,
    VerifyResult,
)

TOKEN_SALT = "sandbox-bank"
CALLBACK_SALT = "sandbox-bank-callback"
SIGNED_FIELDS = ("order_id", "token", "status", "reference", "amount")
DECISIONS = {"pay": CallbackStatus.PAID, "cancel": CallbackStatus.CANCELLED}
SESSION_TOKENS = "sandbox_bank_tokens"
REMEMBERED_TOKENS = 10
SANDBOX_CARD_MASK = "603799******0000"


def read_token(token: str, max_age: int | None = None) -> dict:
    """The order a sandbox token stands for: order_id, amount, callback_url, description."""
    try:
        order = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature too
        raise GatewayError("sandbox token is invalid or expired") from error
    if not isinstance(order, dict) or not {"order_id", "amount", "callback_url"} <= set(order):
        raise GatewayError("sandbox token lacks order fields")
    return order


def started_in(request, token: str) -> bool:
    """Did this browser start the payment? The bank page opens only there."""
    return token in request.session.get(SESSION_TOKENS, [])


def _signature(params: dict) -> str:
    canonical = "&".join(f"{name}={params.get(name, '')}" for name in SIGNED_FIELDS)
    return signing.Signer(salt=CALLBACK_SALT).signature(canonical)


def bank_decision(token: str, decision: str) -> dict[str, str]:
    """The signed callback parameters for the bank page's button ("pay" or "cancel")."""
    if decision not in DECISIONS:
        raise GatewayError(f"unknown sandbox decision {decision!r}")
    order = read_token(token)
    status = DECISIONS[decision]
    params = {
        "order_id": str(order["order_id"]),
        "token": token,
        "status": status,
        # Iranian banks' retrieval reference numbers are 12 digits.
        "reference": f"{secrets.randbelow(10**12):012d}" if status == CallbackStatus.PAID else "",
        "amount": str(order["amount"]),
    }
    params["signature"] = _signature(params)
    return params


def callback_redirect_url(token: str, decision: str) -> str:
    """Where the bank page sends the browser back: the merchant's callback URL."""
    url = read_token(token)["callback_url"]
    return f"{url}{'&' if '?' in url else '?'}{urlencode(bank_decision(token, decision))}"


def read_callback(params: dict) -> CallbackData:
    """Check a callback's signature and that it agrees with its own token."""
    signature = params.get("signature", "")
    if not signature or not constant_time_compare(signature, _signature(params)):
        raise GatewayError("sandbox callback signature does not match")
    order = read_token(params.get("token", ""))
    if str(order["order_id"]) != params.get("order_id") or str(order["amount"]) != params.get(
        "amount"
    ):
        raise GatewayError("sandbox callback does not match its token")
    if params.get("status") not in DECISIONS.values():
        raise GatewayError("sandbox callback has an unknown status")
    return CallbackData(
        order_id=params["order_id"], token=params["token"], status=params["status"], params=params
    )


class SandboxGateway(PaymentGateway):
    def start(
        self, order_id: str, amount_rials: int, callback_url: str, description: str
    ) -> StartResult:
        if amount_rials <= 0:
            raise GatewayError("the amount must be positive")
        payload = {
            "order_id": order_id,
            "amount": amount_rials,
            "callback_url": callback_url,
            "description": description[:200],
        }
        token = signing.dumps(payload, salt=TOKEN_SALT, compress=True)
        return StartResult(redirect_url=reverse("sandbox_bank:pay", args=[token]), token=token)

    def remember_browser(self, request, token: str) -> None:
        # The pretend bank runs inside this site, so unlike a real one it can tell whose
        # browser asks: a token forwarded to, or found by, someone else opens nothing.
        tokens = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]
        request.session[SESSION_TOKENS] = [*tokens, token][-REMEMBERED_TOKENS:]

    def parse_callback(self, request) -> CallbackData:
        return read_callback(request.GET.dict())

    def verify(
        self, order_id: str, token: str, amount_rials: int, callback_params: dict
    ) -> VerifyResult:
        # Everything is checked again: verify() must not rely on parse_callback() having run.
        callback = read_callback(callback_params)
        order = read_token(token)
        matches = (
            callback.token == token
            and str(order["order_id"]) == order_id
            and order["amount"] == amount_rials
        )
        paid = matches and callback.status == CallbackStatus.PAID
        return VerifyResult(
            paid=paid,
            reference=callback_params.get("reference", "") if paid else "",
            card_mask=SANDBOX_CARD_MASK if paid else "",
            raw=dict(callback_params),
            amount_rials=order["amount"],
        )
