from integrations.backends import configured

from .base import PaymentGateway

DEFAULT_GATEWAY = "integrations.payments.sandbox.gateway.SandboxGateway"


def get_gateway() -> PaymentGateway:
    """The configured payment gateway (settings.PAYMENT_GATEWAY)."""
    return configured("PAYMENT_GATEWAY", DEFAULT_GATEWAY)
