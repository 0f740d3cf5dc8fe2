"""check --deploy names a pretend bank, an SMS backend that sends nothing, and a real
provider chosen without its credentials (ops/system_checks.py)."""

from __future__ import annotations

import pytest
from django.core.checks import registry

SANDBOX = "integrations.payments.sandbox.gateway.SandboxGateway"
ZARINPAL = "integrations.payments.zarinpal.gateway.ZarinpalGateway"
OUTBOX = "integrations.sms.backends.outbox.OutboxOnlyBackend"
KAVENEGAR = "integrations.sms.backends.kavenegar.backend.KavenegarBackend"
TWILIO = "integrations.sms.backends.twilio.backend.TwilioBackend"


def ops_messages(deploy: bool = True) -> dict[str, str]:
    found = registry.registry.run_checks(include_deployment_checks=deploy)
    return {m.id: m.msg for m in found if m.id and m.id.startswith("ops.")}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.PAYMENT_GATEWAY = ZARINPAL
    settings.ZARINPAL_MERCHANT_ID = "a" * 36
    settings.SMS_BACKEND = KAVENEGAR
    settings.KAVENEGAR_API_KEY = "key"
    settings.KAVENEGAR_SENDER = "10004346"
    return settings


def test_real_providers_with_credentials_raise_nothing(production):
    assert ops_messages() == {}


def test_the_sandbox_bank_is_named(production):
    production.PAYMENT_GATEWAY = SANDBOX
    messages = ops_messages()
    assert set(messages) == {"ops.W001"}
    assert "sandbox" in messages["ops.W001"]


def test_the_outbox_only_sms_backend_is_named(production):
    production.SMS_BACKEND = OUTBOX
    messages = ops_messages()
    assert set(messages) == {"ops.W002"}
    assert "no verification code" in messages["ops.W002"]


def test_a_subclass_of_the_sandbox_is_still_the_sandbox(production):
    production.PAYMENT_GATEWAY = f"{__name__}.ShinySandbox"
    assert set(ops_messages()) == {"ops.W001"}


def test_a_real_provider_without_its_credentials_is_named(production):
    production.ZARINPAL_MERCHANT_ID = ""
    production.SMS_BACKEND = TWILIO
    production.TWILIO_ACCOUNT_SID = "AC123"
    production.TWILIO_AUTH_TOKEN = ""
    messages = ops_messages()
    assert set(messages) == {"ops.W003"}
    found = registry.registry.run_checks(include_deployment_checks=True)
    texts = sorted(m.msg for m in found if m.id == "ops.W003")
    assert "ZARINPAL_MERCHANT_ID" in texts[0] and "TWILIO_AUTH_TOKEN" in texts[1]


def test_only_a_deploy_check_and_silent_with_debug_on(production):
    production.PAYMENT_GATEWAY = SANDBOX
    production.SMS_BACKEND = OUTBOX
    assert ops_messages(deploy=False) == {}  # `manage.py check` alone: not asked
    production.DEBUG = True
    assert ops_messages() == {}  # a developer's machine is meant to pretend


def _sandbox():
    from integrations.payments.sandbox.gateway import SandboxGateway

    return SandboxGateway


ShinySandbox = type("ShinySandbox", (_sandbox(),), {})
