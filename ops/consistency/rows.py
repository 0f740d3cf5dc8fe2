"""Rows that must agree with each other: payments, open tasks, the SMS outbox."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from viewflow.workflow.models import Task

from cases.documents.kinds import MIN_IMAGES
from cases.documents.services import INQUIRY_MIN_DOCUMENTS
from cases.models import Case, CaseStatus, DebtStatus, RenovationDebt, ServiceKind
from cases.payments.models import Payment, PaymentStatus
from flows.vanished_steps import OPEN, vanished_open_tasks
from integrations.sms.models import MessageStatus, OutboxMessage

from .report import Report

# A transfer's fees are settled at FEES_SETTLED; these come after it. (A cancelled case
# may hold a settled payment: it is marked for refund.)
PAST_FEES = [CaseStatus.FEES_SETTLED, CaseStatus.ISSUED, CaseStatus.ARCHIVED,
             CaseStatus.CANCELLED]
EVERY_TASK = 10**9


def check_cases(report: Report) -> None:
    """A registered case keeps its process and the documents its step required (data
    retention empties a document's file, never its row)."""
    registered = Case.objects.exclude(status=CaseStatus.DRAFT)
    report.count("registered cases", registered.count())
    for case_id in registered.filter(process__isnull=True).values_list("pk", flat=True):
        report.mismatch("case without process", f"case {case_id} has no workflow process")
    short = (registered.annotate(held=Count("documents"))
             .filter(Q(service=ServiceKind.TRANSFER, held__lt=MIN_IMAGES)
                     | Q(service=ServiceKind.INQUIRY, held__lt=INQUIRY_MIN_DOCUMENTS))
             .values_list("pk", "held"))
    for case_id, held in short.iterator():
        report.mismatch("documents missing", f"case {case_id} is registered with {held} "
                                             "document(s), fewer than its step requires")


def check_payments(report: Report) -> None:
    owing = RenovationDebt.objects.filter(property_id=OuterRef("case__property_id"),
                                          status=DebtStatus.OPEN)
    settled = (Payment.objects.filter(status=PaymentStatus.SETTLED)
               .select_related("case", "debt").annotate(owing=Exists(owing)).order_by("pk"))
    for payment in settled.iterator(chunk_size=2000):
        report.count("settled payments")
        case, debt = payment.case, payment.debt
        where = f"payment {payment.pk} ({payment.order_id}, case {case.pk})"
        if payment.amount_rials != debt.amount_rials:
            report.mismatch("payment amount differs",
                            f"{where}: paid {payment.amount_rials} rials for a debt of "
                            f"{debt.amount_rials}")
        if debt.property_id != case.property_id:
            report.mismatch("payment of another property",
                            f"{where}: its debt {debt.pk} is not on the case's property")
        if debt.status != DebtStatus.SETTLED:
            report.mismatch("payment of an open debt", f"{where}: debt {debt.pk} is open")
        if not payment.reference:
            report.mismatch("payment without reference", f"{where}: no bank reference")
        # A transfer moves past its fees once nothing is owed; an inquiry pays before it
        # is registered, so only its debt is checked.
        if (case.service == ServiceKind.TRANSFER and case.status not in PAST_FEES
                and not payment.owing):
            report.mismatch("payment of a case not past fees",
                            f"{where}: the case is {case.status} though its fees are paid")


def check_open_tasks(report: Report) -> None:
    report.count("open tasks", Task.objects.filter(status__in=OPEN).count())
    found = vanished_open_tasks(limit=EVERY_TASK)
    for task_id, ref, case_id in found:
        report.mismatch("open task at a vanished step",
                        f"task {task_id} (case {case_id}) waits at {ref}, in no loaded flow")


def check_sms(report: Report, now: datetime.datetime) -> None:
    late = now - datetime.timedelta(seconds=settings.CONSISTENCY_SMS_LATE_SECONDS)
    stuck = OutboxMessage.objects.filter(
        Q(status=MessageStatus.QUEUED, next_attempt_at__lt=late)
        | Q(status=MessageStatus.QUEUED, next_attempt_at__isnull=True, created_at__lt=late)
        | Q(status=MessageStatus.SENDING, updated_at__lt=late))
    report.count("sms unsent", OutboxMessage.objects.filter(
        status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).count())
    for pk, status, created_at in stuck.order_by("pk").values_list("pk", "status",
                                                                   "created_at"):
        report.mismatch("sms stuck", f"sms {pk} is still {status}, written {created_at:%F %T}")
