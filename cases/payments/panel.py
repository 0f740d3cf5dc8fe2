"""What the wizard's fees step gives `payments/_debt_panel.html`."""

from cases.models import Case

from .models import Payment, PaymentStatus
from .services import open_debt_summary


def debt_panel_context(case: Case, return_url: str) -> dict:
    """`{% include "payments/_debt_panel.html" %}` with this context shows the open debts
    and پرداخت آنلاین, or «این کدنوسازی فاقد بدهی می باشد», and the case's receipts."""
    return {
        "case": case,
        "debts": open_debt_summary(case),
        "return_url": return_url,
        "receipts": Payment.objects.filter(case=case, status=PaymentStatus.SETTLED).order_by(
            "settled_at"
        ),
        # Back from the bank, not yet verified: paying again now would pay twice.
        "checking": Payment.objects.filter(
            case=case, status__in=[PaymentStatus.RETURNED, PaymentStatus.VERIFIED]
        ).exists(),
    }
