"""Moving a transfer case on once its property owes nothing (after a settlement commits)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver
from django_fsm import can_proceed

from cases.models import Case, CaseStatus, ServiceKind

from .models import Payment
from .services import has_open_debt
from .signals import payment_settled

logger = logging.getLogger(__name__)


@receiver(payment_settled, dispatch_uid="cases.payments.advance_case")
def advance_case(sender, payment: Payment, **kwargs) -> None:
    """A transfer waiting for its fees becomes FEES_SETTLED; the fees step's گام بعدی then
    only completes the task. An inquiry is registered by its own step (ثبت درخواست و
    صدور), so nothing happens to it here."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=payment.case_id)
        if case.service != ServiceKind.TRANSFER or case.status != CaseStatus.INSPECTION_APPROVED:
            return
        if has_open_debt(case) or not can_proceed(case.settle_fees):
            return  # another debt of the property still to pay
        case.settle_fees(by=payment.payer, reference=payment.reference)
        case.save()
    logger.info("case %s: fees settled by payment %s", case.pk, payment.order_id)
