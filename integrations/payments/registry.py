from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentGateway

DEFAULT_GATEWAY = "integrations.payments.sandbox.gateway.SandboxGateway"


@lru_cache(maxsize=4)
def _gateway(path: str) -> PaymentGateway:
    return import_string(path)()


def get_gateway() -> PaymentGateway:
    """The configured payment gateway (settings.PAYMENT_GATEWAY)."""
    return _gateway(getattr(settings, "PAYMENT_GATEWAY", DEFAULT_GATEWAY))
