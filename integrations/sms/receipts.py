"""Delivery receipts from any provider, applied to the outbox as guarded transitions."""

from __future__ import annotations

import logging

from django.db import transaction
from django_fsm import can_proceed

from .models import OutboxMessage
from .outbox import change_status

logger = logging.getLogger(__name__)


def apply(
    message_id: int, provider_id: str, provider_status: str, transition: str | None,
    error: str = "",
) -> bool:
    """Move the message as the receipt says; False (and no change) when the receipt is
    for another message, or would move it backwards (receipts come out of order)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or (message.provider_id and message.provider_id != provider_id):
            logger.warning("sms_receipt_unmatched", extra={
                "message_id": message_id, "provider_id": provider_id})
            return False
        if transition is None or not can_proceed(getattr(message, transition)):
            return False
        kwargs = {"provider_id": provider_id, "provider_status": provider_status}
        if transition in ("mark_failed", "mark_undelivered"):
            kwargs["error"] = error
        change_status(message, transition, **kwargs)
    return True
