"""What the service asks of an SMS provider, independent of who it is.

A backend only talks to its provider; the outbox (`outbox.py`, `tasks.py`) owns
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
