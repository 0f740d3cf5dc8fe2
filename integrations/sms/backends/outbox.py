"""The dev/demo backend: the outbox is the destination; nothing leaves the machine."""

import logging

from ..base import SendResult, SmsBackend

logger = logging.getLogger(__name__)


class OutboxOnlyBackend(SmsBackend):
    def send(self, message) -> SendResult:
        # The text stays out of the log (it may hold a code); read it at /dev/sms/
        # or with `manage.py sms_outbox`.
        logger.info(
            "SMS #%s (%s) to %s stays in the outbox: nothing leaves this machine",
            message.pk, message.kind, message.to,
        )
        return SendResult(provider_id=f"outbox-{message.pk}", status="sent")
