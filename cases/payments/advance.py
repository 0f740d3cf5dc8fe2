"""Moving a transfer case on once its property owes nothing (after a settlement commits)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django_fsm import can_proceed

from cases.models import Case, CaseStatus, ServiceKind

from .models import Payment, PaymentStatus
from .services import has_open_debt
from .signals import payment_settled

logger = logging.getLogger(__name__)


@receiver(payment_settled, dispatch_uid="cases.payments.advance_case")
def advance_case(sender, payment: Payment, **kwargs) -> None:
    """A transfer waiting for its fees becomes FEES_SETTLED as soon as a payment settles
    the last debt; the fees step's گام بعدی then only completes the task. An inquiry is
    registered by its own step (ثبت درخواست و صدور), so nothing happens to it here."""
    # The payer as a bare row (its id is all the case's event keeps), the payment as the
    # latest settled one: nothing read again that the settlement has in hand.
    payer = get_user_model()(pk=payment.payer_id) if payment.payer_id else None
    if settle_fees(Case(pk=payment.case_id), by=payer, settled=payment):
        logger.info("case %s: fees settled by payment %s", payment.case_id, payment.order_id)


def settle_fees(case: Case, by, settled: Payment | None = None) -> bool:
    """The one way a transfer's renovation fees become settled (INSPECTION_APPROVED →
    FEES_SETTLED), from the bank's settlement or the fees step's گام بعدی: only once its
    property owes nothing, with the latest settled payment's reference (none: it owed
    nothing). False when there is nothing to do (not a transfer, not waiting, a debt still
    open). The case row is locked, so the two ways never settle it twice."""
    with transaction.atomic(savepoint=False):  # nothing is raised here to be caught
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.service != ServiceKind.TRANSFER or case.status != CaseStatus.INSPECTION_APPROVED:
            return False
        if has_open_debt(case) or not can_proceed(case.settle_fees):
            return False  # another debt of the property still to pay
        payment = settled or (case.payments.filter(status=PaymentStatus.SETTLED)
                              .order_by("-pk").first())
        case.settle_fees(by=by, reference=payment.reference if payment else "")
        case.save()
    return True
