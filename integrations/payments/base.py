"""What the service asks of a payment provider (PSP), independent of who it is.

A gateway only talks to its provider: it starts a payment, reads the provider's
callback (checking its signature) and verifies a payment server-to-server. It knows
nothing of cases or debts; the domain (`cases.payments.services`) owns the payment's
status, idempotency and settlement.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest


class GatewayError(Exception):
    """The provider refused, could not be reached, or sent a callback we cannot trust."""


class CallbackStatus:
    """The gateway's own words for what the citizen did at the bank, normalised."""

    PAID = "paid"
    CANCELLED = "cancelled"
    FAILED = "failed"


class BankState:
    """What the provider's inquiry says about a payment, normalised (see `inquire`)."""

    IN_BANK = "in_bank"  # the citizen has not finished at the bank (or never started)
    PAID = "paid"  # paid, not yet verified (confirmed) by us
    VERIFIED = "verified"  # paid and already verified
    FAILED = "failed"  # cancelled, failed or reversed: it will never be paid


@dataclass(frozen=True)
class StartResult:
    redirect_url: str  # where the citizen's browser goes to pay
    token: str  # the provider's handle on this payment, kept for verify()


@dataclass(frozen=True)
class VerifyResult:
    paid: bool
    reference: str  # the provider's reference number (RRN / tracking code)
    card_mask: str = ""
    raw: dict = field(default_factory=dict)
    # The amount the provider says was paid, when it says so: the domain compares it
    # with its own amount rather than trusting `paid` alone.
    amount_rials: int | None = None


@dataclass(frozen=True)
class CallbackData:
    order_id: str
    token: str
    status: str  # one of CallbackStatus
    params: dict = field(default_factory=dict)


class PaymentGateway(abc.ABC):
    @abc.abstractmethod
    def start(
        self,
        order_id: str,
        amount_rials: int,
        callback_url: str,
        description: str,
        notify_url: str = "",
    ) -> StartResult:
        """Register a payment with the provider; raise GatewayError if it refuses.
        `notify_url` is for providers that also tell the merchant server-to-server."""

    @abc.abstractmethod
    def verify(
        self, order_id: str, token: str, amount_rials: int, callback_params: dict
    ) -> VerifyResult:
        """Ask the provider whether this payment was made (and confirm it, where the
        provider needs that). Safe to call again: providers answer "already verified"."""

    def inquire(self, order_id: str, token: str) -> str | None:
        """Where the payment stands at the provider (a BankState), without confirming
        anything: unlike verify(), asking never captures the money. None when the
        provider offers no inquiry; raise GatewayError when it could not be asked."""
        return None

    def remember_browser(self, request: HttpRequest, token: str) -> None:
        """Called with the citizen's request once a payment has started. A provider whose
        page is on its own site needs nothing here (the default does nothing)."""

    @abc.abstractmethod
    def parse_callback(self, request: HttpRequest) -> CallbackData:
        """Read the browser's return from the bank; raise GatewayError on a callback
        whose signature or fields do not check out. The callback (and a notice) must
        carry our `order_id` as a parameter: it tells which payment, and so which
        gateway, the answer is for (see cases.payments.settlement.gateway_for_order)."""

    def parse_notice(self, request: HttpRequest) -> CallbackData:
        """Read the provider's server-to-server notice (no browser, no session); raise
        GatewayError unless the provider's signature checks out. Most providers send
        none, so by default every notice is refused."""
        raise GatewayError(f"{type(self).__name__} sends no server-to-server notices")
