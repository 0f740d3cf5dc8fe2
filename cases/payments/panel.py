"""What the wizard's fees step gives `payments/_debt_panel.html`."""

from django.db.models import Q

from cases.models import Case
from cases.prepared import PreparedInstances

from .at_bank import being_paid_message, is_at_bank
from .models import Payment, PaymentStatus
from .services import open_debt_summary

# Back from the bank, not yet verified: paying again now would pay twice.
CHECKING = (PaymentStatus.RETURNED, PaymentStatus.VERIFIED)


def debt_panel_context(case: Case, return_url: str, debts: list | None = None) -> dict:
    """`{% include "payments/_debt_panel.html" %}` with this context shows the open debts
    and پرداخت آنلاین, or «این کدنوسازی فاقد بدهی می باشد», and the case's receipts.
    `debts`: the open debts when the caller has read them already."""
    if debts is None:
        debts = open_debt_summary(case)
    # Read here, not by the template (a page's queries are all its view's), in one query:
    # the receipts, whether a payment is still being checked, and, while a debt is open,
    # anyone else's payment of it now at the bank.
    if debts:
        payments = _PANEL_WITH_DEBT.objects(case.pk, debts[0].pk, case.citizen_id)
    else:
        payments = _PANEL.objects(case.pk)
    own = [p for p in payments if p.case_id == case.pk and p.status != PaymentStatus.REDIRECTED]
    at_bank = [p for p in payments if p not in own]
    return {
        "case": case,
        "debts": debts,
        "return_url": return_url,
        "receipts": [p for p in own if p.status == PaymentStatus.SETTLED],
        "checking": any(p.status in CHECKING for p in own),
        "being_paid": _being_paid_by_another(at_bank),
    }


def _panel_payments(case_pk: int, debt_pk: int | None = None, citizen_pk: int | None = None):
    mine = Q(case_id=case_pk, status__in=(PaymentStatus.SETTLED, *CHECKING))
    if debt_pk is None:
        return Payment.objects.filter(mine).order_by("settled_at", "pk")
    others = Q(debt_id=debt_pk, status=PaymentStatus.REDIRECTED) & ~Q(payer_id=citizen_pk)
    return Payment.objects.filter(mine | others).order_by("settled_at", "pk")


# The fees pages read them on every visit: compiled once per process (cases/prepared.py).
_PANEL = PreparedInstances(_panel_payments, -7_000_042)
_PANEL_WITH_DEBT = PreparedInstances(_panel_payments, -7_000_043, -7_000_044, -7_000_045)


def case_payments(case: Case) -> list[Payment]:
    """Every payment attempt of the case, newest first, for `{% case_payments payments %}`."""
    return _PAYMENTS.objects(case.pk)


# The case page reads it on every visit: compiled once per process (cases/prepared.py).
_PAYMENTS = PreparedInstances(
    lambda case_pk: Payment.objects.filter(case_id=case_pk).select_related("debt").order_by("-pk"),
    -7_000_033)


def _being_paid_by_another(at_bank: list[Payment]) -> str:
    """Said before the citizen presses پرداخت آنلاین, which would be refused meanwhile."""
    latest = max(at_bank, key=lambda p: p.created_at, default=None)
    return being_paid_message(latest) if latest and is_at_bank(latest) else ""
