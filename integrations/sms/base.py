"""What the service asks of an SMS provider, independent of who it is.

A backend only talks to its provider; the outbox (`outbox.py`, `sending.py`) owns
retries, idempotency and the message's status.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import OutboxMessage


class SmsSendError(Exception):
    """The provider refused or could not be reached; sending again may succeed."""


class SmsRejected(SmsSendError):
    """The provider refused this message for good (bad number, blocked sender):
    sending it again would be refused the same way, so it fails at once."""


@dataclass(frozen=True)
class SendResult:
    provider_id: str  # the provider's message id, for delivery receipts
    status: str  # the provider's own word for what happened, e.g. "queued", "sent"


class SmsBackend(abc.ABC):
    @abc.abstractmethod
    def send(self, message: OutboxMessage) -> SendResult:
        """Hand one message to the provider; raise SmsSendError on a provider failure.

        `message.to` is the normal form 09xxxxxxxxx; a backend that needs E.164
        writes it as "+98" + to[1:].
        """

    def find_sent(self, message: OutboxMessage) -> SendResult | None:
        """The provider's record of this message if an earlier, interrupted run already
        handed it over (a worker died, a response was lost), else None.

        Asked before sending a message a worker took before; a provider with its own
        idempotency key needs nothing here. Raise SmsSendError when it cannot tell.
        """
        return None


def e164(mobile: str) -> str:
    """09121234567 → +989121234567 (the outbox keeps Iran's normal national form)."""
    return "+98" + mobile[1:]
