"""`manage.py check --deploy` warnings for outside services that only pretend.

The defaults make a laptop work alone: a sandbox bank that approves any payment and an
SMS backend that keeps every message in the outbox. In production either one is a silent
failure — citizens "pay" nobody, and no code or reminder ever reaches a phone — so the
deploy checks name them, and a real provider chosen without its credentials too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.utils.module_loading import import_string

SANDBOX_GATEWAY = "integrations.payments.sandbox.gateway.SandboxGateway"
OUTBOX_ONLY_BACKEND = "integrations.sms.backends.outbox.OutboxOnlyBackend"
# A real provider's class → the settings it cannot work without.
CREDENTIALS = {
    "integrations.payments.zarinpal.gateway.ZarinpalGateway": ("ZARINPAL_MERCHANT_ID",),
    "integrations.sms.backends.kavenegar.backend.KavenegarBackend": (
        "KAVENEGAR_API_KEY", "KAVENEGAR_SENDER"),
    "integrations.sms.backends.twilio.backend.TwilioBackend": (
        "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
}


def _is(path: str, base_path: str) -> bool:
    """Whether the class at `path` is (or extends) the one at `base_path`."""
    try:
        return issubclass(import_string(path), import_string(base_path))
    except ImportError:
        return path == base_path


def _missing_credentials(path: str) -> list[str]:
    for provider, names in CREDENTIALS.items():
        if _is(path, provider):
            return [name for name in names if not getattr(settings, name, "")]
    return []


@register(Tags.security, deploy=True)
def pretend_services(app_configs=None, **kwargs) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    found: list[CheckMessage] = []
    gateway = settings.PAYMENT_GATEWAY
    sms = settings.SMS_BACKEND
    if _is(gateway, SANDBOX_GATEWAY):
        found.append(Warning(
            "PAYMENT_GATEWAY is the sandbox bank: every payment is pretend and no money "
            "reaches the city.",
            hint="Set PAYMENT_GATEWAY to a real gateway "
                 "(integrations.payments.zarinpal.gateway.ZarinpalGateway) and its merchant id.",
            id="ops.W001",
        ))
    if _is(sms, OUTBOX_ONLY_BACKEND):
        found.append(Warning(
            "SMS_BACKEND keeps every message in the outbox: no verification code or "
            "reminder is ever sent.",
            hint="Set SMS_BACKEND to Kavenegar or Twilio "
                 "(integrations.sms.backends.kavenegar.backend.KavenegarBackend) and its keys.",
            id="ops.W002",
        ))
    for name, path in (("PAYMENT_GATEWAY", gateway), ("SMS_BACKEND", sms)):
        missing = _missing_credentials(path)
        if missing:
            found.append(Warning(
                f"{name} is {path.rsplit('.', 1)[-1]} but {', '.join(missing)} is not set.",
                hint="Set it in .env (see .env.example).",
                id="ops.W003",
            ))
    return found
