"""A payment reconciliation cannot finish (the bank's answer breaks it) becomes an
incident; «تلاش دوباره» asks the bank again and the settled payment closes it."""

from __future__ import annotations

import pytest

from cases.incidents import services
from cases.incidents.models import Incident, IncidentKind, IncidentStatus
from cases.payments.models import Payment, PaymentStatus
from cases.payments.reconciliation import reconcile
from integrations.payments.base import GatewayError
from integrations.payments.sandbox.gateway import SandboxGateway
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)
from tests.support.payments import PAY, go_to_bank, press_at_bank

pytestmark = pytest.mark.django_db


def the_payment() -> Payment:
    return Payment.objects.get()


def test_a_reconciliation_that_breaks_is_an_incident_and_a_retry_settles(
        case, debt, client_of_owner, monkeypatch, django_capture_on_commit_callbacks):
    bank_url = go_to_bank(client_of_owner, case)
    real_verify = SandboxGateway.verify

    def bank_down(self, *args, **kwargs):
        raise GatewayError("down")

    monkeypatch.setattr(SandboxGateway, "verify", bank_down)
    # Paid at the bank; back at the site the bank cannot be asked.
    client_of_owner.get(press_at_bank(client_of_owner, bank_url, PAY))
    assert the_payment().status == PaymentStatus.RETURNED

    def garbled(self, *args, **kwargs):
        raise ValueError("unexpected answer from the bank")

    monkeypatch.setattr(SandboxGateway, "verify", garbled)
    assert reconcile() == {"error": 1}
    incident = Incident.objects.get()
    assert (incident.kind, incident.subject) == (IncidentKind.PAYMENT_MISMATCH,
                                                  f"payment:{the_payment().pk}")
    assert incident.case_id == case.pk and "unexpected answer" in incident.error

    monkeypatch.setattr(SandboxGateway, "verify", real_verify)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry(incident.pk, None)
    assert the_payment().status == PaymentStatus.SETTLED
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
