from integrations.backends import configured

from .base import SmsBackend

DEFAULT_BACKEND = "integrations.sms.backends.outbox.OutboxOnlyBackend"


def get_backend() -> SmsBackend:
    """The configured SMS backend (settings.SMS_BACKEND)."""
    return configured("SMS_BACKEND", DEFAULT_BACKEND)
