from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import SmsBackend

DEFAULT_BACKEND = "integrations.sms.backends.outbox.OutboxOnlyBackend"


@lru_cache(maxsize=4)
def _backend(path: str) -> SmsBackend:
    return import_string(path)()


def get_backend() -> SmsBackend:
    """The configured SMS backend (settings.SMS_BACKEND)."""
    return _backend(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))
