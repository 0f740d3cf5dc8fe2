"""What the bank is asked and what the site announces, counted for the payment tests."""

from __future__ import annotations

import time

import pytest
from django.dispatch import receiver

from cases.payments.signals import payment_settled
from integrations.payments.sandbox.gateway import SandboxGateway


@pytest.fixture
def verify_calls(monkeypatch):
    calls = []
    real_verify = SandboxGateway.verify

    def counting_verify(self, *args, **kwargs):
        calls.append(args[0])
        time.sleep(0.2)  # a bank's answer takes time: long enough for a racing callback
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(SandboxGateway, "verify", counting_verify)
    return calls


@pytest.fixture
def settled_signals():
    received = []

    @receiver(payment_settled, weak=False, dispatch_uid="test-payments-settled")
    def remember(sender, payment, **kwargs):
        received.append(payment.order_id)

    yield received
    payment_settled.disconnect(dispatch_uid="test-payments-settled")
