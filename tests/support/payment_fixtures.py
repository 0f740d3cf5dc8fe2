"""Fixtures of the payment tests: a citizen (`owner`) with a case whose inspection was
approved and whose property owes a `debt`, and their browser. A pytest plugin
(tests/conftest.py), since the payments, staff and payment-provider tests all use them."""

from __future__ import annotations

import time

import pytest
from django.dispatch import receiver

from cases.payments.signals import payment_settled
from integrations.payments.sandbox.gateway import SandboxGateway
from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory
from tests.support.payments import citizen_client


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def debt(db):
    return RenovationDebtFactory(amount_rials=4_500_000)


@pytest.fixture
def case(owner, debt):
    return CaseFactory(citizen=owner, property=debt.property, advanced_to="inspection_approved")


@pytest.fixture
def client_of_owner(owner):
    return citizen_client(owner)


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
