"""The SMS app's tables: the outbox, the editable texts and the short links."""

from .links import ShortLink
from .outbox import MessageStatus, OutboxMessage
from .texts import SmsTemplate

__all__ = ["MessageStatus", "OutboxMessage", "ShortLink", "SmsTemplate"]
