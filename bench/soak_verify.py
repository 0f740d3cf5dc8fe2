"""After the soak: wait for the worker to drain, then look for anything lost."""

from __future__ import annotations

import time

from django.db.models import Count, Q

DONE_SMS = ("sent", "delivered")


def _pending(case_ids: list[int]) -> tuple[int, int]:
    from cases.models import Case, CaseStatus
    from integrations.sms.models import OutboxMessage

    open_cases = Case.objects.filter(pk__in=case_ids).exclude(status=CaseStatus.ARCHIVED).count()
    unsent = OutboxMessage.objects.exclude(status__in=DONE_SMS).count()
    return open_cases, unsent


def drain(case_ids: list[int], timeout: float) -> float:
    """Seconds until every finished case is archived and the outbox is empty (or timeout)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout and any(_pending(case_ids)):
        time.sleep(1)
    return time.monotonic() - began


def lost(case_ids: list[int], usernames: list[str], uploads: int) -> dict[str, list[str]]:
    """What each check found missing, by kind; empty lists when nothing was lost."""
    from cases.certificates.models import Certificate
    from cases.documents.models import CaseDocument
    from cases.models import Case, CaseStatus
    from cases.payments.models import PENDING, Payment, PaymentStatus
    from integrations.sms.models import OutboxMessage

    documents = CaseDocument.objects.filter(case__citizen__username__in=usernames)
    missing_docs = [f"document {d.pk}: {d.file.name} not in storage" for d in documents
                    if not d.file.storage.exists(d.file.name)]
    stored = documents.count()
    if stored < uploads:
        missing_docs.append(f"{uploads} uploaded, {stored} recorded")

    payments = Payment.objects.filter(payer__username__in=usernames)
    missing_payments = [f"payment {p.order_id} still {p.status}"
                        for p in payments.filter(status__in=PENDING)]
    missing_payments += [f"payment {p.order_id} {p.status} but settled at {p.settled_at}"
                         for p in payments.exclude(status=PaymentStatus.SETTLED)
                         .filter(settled_at__isnull=False)]
    settled = (Case.objects.filter(pk__in=case_ids)
               .annotate(n=Count("payments", filter=Q(payments__status=PaymentStatus.SETTLED))))
    missing_payments += [f"case {c.pk}: {c.n} settled payments" for c in settled if c.n != 1]

    missing_sms = [f"sms {m.pk} ({m.kind}) {m.status}"
                   for m in OutboxMessage.objects.exclude(status__in=DONE_SMS)]

    missing_cases = []
    certificates = {c.case_id: c for c in Certificate.objects.filter(case_id__in=case_ids)}
    for case in Case.objects.filter(pk__in=case_ids):
        certificate = certificates.get(case.pk)
        if case.status != CaseStatus.ARCHIVED:
            missing_cases.append(f"case {case.pk} {case.status}")
        elif certificate is None or not certificate.pdf.storage.exists(certificate.pdf.name):
            missing_cases.append(f"case {case.pk}: no certificate PDF in storage")
    return {"documents": missing_docs, "payments": missing_payments, "sms": missing_sms,
            "cases": missing_cases}


def counts(case_ids: list[int], usernames: list[str]) -> dict[str, int]:
    from cases.documents.models import CaseDocument
    from cases.payments.models import Payment
    from integrations.sms.models import OutboxMessage

    return {"cases": len(case_ids),
            "documents": CaseDocument.objects.filter(
                case__citizen__username__in=usernames).count(),
            "payments": Payment.objects.filter(payer__username__in=usernames).count(),
            "sms": OutboxMessage.objects.count()}
