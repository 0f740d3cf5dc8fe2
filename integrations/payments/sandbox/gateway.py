"""The sandbox bank: a pretend PSP served by this app, for development, demos and tests.

The token is a signed payload of the order, so the bank page can show the amount and
send the browser back; the bank's own ledger (SandboxTransaction) remembers what the
citizen decided, and verify() asks that ledger, as a real PSP's verify is asked,
never the callback. The browser's callback and the server-to-server notice are signed
with different keys: a citizen sees the first, never the second.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from ..base import (
    BankState,
    CallbackData,
    CallbackStatus,
    GatewayError,
    PaymentGateway,
    StartResult,
    VerifyResult,
)
from .models import BankStatus, SandboxTransaction

TOKEN_SALT = "sandbox-bank"
CALLBACK_SALT = "sandbox-bank-callback"
NOTICE_SALT = "sandbox-bank-notice"
SIGNED_FIELDS = ("order_id", "token", "status", "reference", "amount")
DECISIONS = {"pay": CallbackStatus.PAID, "cancel": CallbackStatus.CANCELLED}
LEDGER_STATUS = {"pay": BankStatus.PAID, "cancel": BankStatus.CANCELLED}
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


def _signature(params: dict, salt: str = CALLBACK_SALT) -> str:
    canonical = "&".join(f"{name}={params.get(name, '')}" for name in SIGNED_FIELDS)
    return signing.Signer(salt=salt).signature(canonical)


def decide(token: str, decision: str) -> str:
    """Record the citizen's button at the bank; the first decision wins. Returns the
    ledger's decision ("pay" or "cancel") as it stands afterwards."""
    if decision not in DECISIONS:
        raise GatewayError(f"unknown sandbox decision {decision!r}")
    order_id = str(read_token(token)["order_id"])
    with transaction.atomic():
        row = SandboxTransaction.objects.select_for_update().filter(order_id=order_id).first()
        if row is None:
            raise GatewayError("the sandbox bank has no such order")
        if row.status == BankStatus.PENDING:
            row.status = LEDGER_STATUS[decision]
            row.decided_at = timezone.now()
            if row.status == BankStatus.PAID:
                # Iranian banks' retrieval reference numbers are 12 digits.
                row.reference = f"{secrets.randbelow(10**12):012d}"
            row.save()
    return "pay" if row.status == BankStatus.PAID else "cancel"


def bank_decision(token: str, decision: str, *, salt: str = CALLBACK_SALT) -> dict[str, str]:
    """The signed callback parameters for the bank page's button ("pay" or "cancel")."""
    if decision not in DECISIONS:
        raise GatewayError(f"unknown sandbox decision {decision!r}")
    order = read_token(token)
    status = DECISIONS[decision]
    row = SandboxTransaction.objects.filter(order_id=str(order["order_id"])).first()
    reference = ""
    if status == CallbackStatus.PAID:
        reference = row.reference if row and row.reference else f"{secrets.randbelow(10**12):012d}"
    params = {
        "order_id": str(order["order_id"]),
        "token": token,
        "status": status,
        "reference": reference,
        "amount": str(order["amount"]),
    }
    params["signature"] = _signature(params, salt)
    return params


def callback_redirect_url(token: str, decision: str) -> str:
    """Where the bank page sends the browser back: the merchant's callback URL."""
    url = read_token(token)["callback_url"]
    return f"{url}{'&' if '?' in url else '?'}{urlencode(bank_decision(token, decision))}"


def notice(token: str, decision: str) -> tuple[str, dict[str, str]] | None:
    """The server-to-server notice for the order: (URL, signed form), or None without
    a notice URL."""
    url = read_token(token).get("notify_url", "")
    return (url, bank_decision(token, decision, salt=NOTICE_SALT)) if url else None


def read_callback(params: dict, salt: str = CALLBACK_SALT) -> CallbackData:
    """Check a callback's signature and that it agrees with its own token."""
    signature = params.get("signature", "")
    if not signature or not constant_time_compare(signature, _signature(params, salt)):
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
        self,
        order_id: str,
        amount_rials: int,
        callback_url: str,
        description: str,
        notify_url: str = "",
    ) -> StartResult:
        if amount_rials <= 0:
            raise GatewayError("the amount must be positive")
        payload = {
            "order_id": order_id,
            "amount": amount_rials,
            "callback_url": callback_url,
            "notify_url": notify_url,
            "description": description[:200],
        }
        # Once per order, however often started: one INSERT that a repeat leaves alone
        # (get_or_create would read, then insert inside a savepoint).
        SandboxTransaction.objects.bulk_create(
            [SandboxTransaction(order_id=order_id, amount_rials=amount_rials)],
            ignore_conflicts=True)
        token = signing.dumps(payload, salt=TOKEN_SALT, compress=True)
        return StartResult(redirect_url=reverse("sandbox_bank:pay", args=[token]), token=token)

    def remember_browser(self, request, token: str) -> None:
        # The pretend bank runs inside this site, so unlike a real one it can tell whose
        # browser asks: a token forwarded to, or found by, someone else opens nothing.
        tokens = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]
        request.session[SESSION_TOKENS] = [*tokens, token][-REMEMBERED_TOKENS:]

    def parse_callback(self, request) -> CallbackData:
        return read_callback(request.GET.dict())

    def parse_notice(self, request) -> CallbackData:
        return read_callback(request.POST.dict(), salt=NOTICE_SALT)

    def inquire(self, order_id: str, token: str) -> str | None:
        row = SandboxTransaction.objects.filter(order_id=order_id).first()
        if row is None:
            raise GatewayError("the sandbox bank has no such order")
        if row.status == BankStatus.PAID:
            return BankState.VERIFIED if row.verified_at else BankState.PAID
        return BankState.IN_BANK if row.status == BankStatus.PENDING else BankState.FAILED

    def verify(
        self, order_id: str, token: str, amount_rials: int, callback_params: dict
    ) -> VerifyResult:
        # The ledger answers, as a PSP's verify does; the callback is not evidence.
        order = read_token(token)
        if str(order["order_id"]) != order_id:
            raise GatewayError("sandbox token is for another order")
        row = SandboxTransaction.objects.filter(order_id=order_id).first()
        if row is None:
            raise GatewayError("the sandbox bank has no such order")
        paid = row.status == BankStatus.PAID and row.amount_rials == amount_rials
        if paid and row.verified_at is None:
            SandboxTransaction.objects.filter(pk=row.pk, verified_at=None).update(
                verified_at=timezone.now()
            )
        return VerifyResult(
            paid=paid,
            reference=row.reference if paid else "",
            card_mask=SANDBOX_CARD_MASK if paid else "",
            raw={"status": row.status, "amount": row.amount_rials},
            amount_rials=row.amount_rials if row.status == BankStatus.PAID else None,
        )
