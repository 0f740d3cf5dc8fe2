"""Issuing a case's document as the flows' automatic step does: the certificate or the
answer, the case's `issue` transition and the citizen's SMS, in one place.

The flows call these from their Handle nodes; retried runs find the document already
issued (services.issue_*) and the transition already taken is refused by the case.
"""

from __future__ import annotations

from cases.models import Case
from cases.notifications import notify
from cases.payments.models import PaymentStatus

from . import services
from .models import Certificate


def issue_transfer(case: Case) -> Certificate:
    """The transfer certificate from the visit's report and the settled fees (none: the
    code owed nothing), then the case issued and the citizen told."""
    report = case.inspection
    payment = case.payments.filter(status=PaymentStatus.SETTLED).order_by("-pk").first()
    certificate = services.issue_transfer_certificate(
        case,
        inspection={"visited_at": report.visited_at, "result": "approved",
                    "inspector": report.inspector.get_full_name()},
        fees={"amount_rials": payment.amount_rials if payment else 0,
              "reference": payment.reference if payment else ""},
    )
    case.issue()
    case.save()
    notify(case, "certificate_issued")
    return certificate


def issue_inquiry(case: Case) -> Certificate:
    """The inquiry's answer, then the case issued and the citizen told."""
    certificate = services.issue_inquiry_answer(case)
    case.issue()
    case.save()
    notify(case, "inquiry_issued")
    return certificate
