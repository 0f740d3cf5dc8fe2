"""Data retention: what the service stops keeping, and when (docs/operators/operate.md).

- drafts never registered: deleted (housekeeping.purge_drafts, DRAFT_RETENTION_DAYS);
- documents of closed cases (archived or cancelled) RETENTION_CLOSED_CASE_DOCUMENTS_DAYS
  after closing: the stored file is deleted (past the backup window, file_deletions.py),
  the row kept as a record with its name and
  fingerprint, and a ``documents_purged`` event added to the case's timeline;
- SMS bodies: replaced once the message is final and RETENTION_SMS_BODY_DAYS old;
  one-time codes (RETENTION_SMS_CODE_KINDS) already after RETENTION_SMS_CODE_BODY_HOURS;
- the rows of the accounts' one-time codes (login, mobile, password reset: a phone number
  and an address each) RETENTION_ACCOUNT_CODE_HOURS after they were sent — the hourly
  caps read only the last hour, and a proven mobile is kept on the account itself. (An
  appointment's code stays with its case: it proves the case's contact phone.)

An open case is never touched: documents are only purged for closed cases, and
drafts only by the draft rule. Each run is idempotent.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.sms.models import MessageStatus, OutboxMessage

from .documents.models import CaseDocument
from .file_deletions import delete_later
from .housekeeping import purge_drafts
from .models import Case, CaseEvent, CaseStatus
from .phone_codes.models import PhoneVerification, Purpose

log = logging.getLogger(__name__)

CLOSED_STATUSES = [CaseStatus.ARCHIVED, CaseStatus.CANCELLED]
FINAL_SMS_STATUSES = [MessageStatus.SENT, MessageStatus.DELIVERED,
                      MessageStatus.UNDELIVERED, MessageStatus.FAILED]
SMS_BODY_REMOVED = "[متن پیامک طبق سیاست نگهداری داده حذف شد]"


@dataclass
class RetentionReport:
    drafts_deleted: int = 0
    documents_purged: int = 0
    cases_touched: int = 0
    sms_bodies_removed: int = 0
    account_codes_deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def purge_closed_case_documents(now: datetime.datetime, days: int) -> tuple[int, int]:
    """Delete the files of documents on cases closed more than `days` ago."""
    cutoff = now - datetime.timedelta(days=days)
    cases = Case.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff,
                                documents__isnull=False).exclude(documents__file="").distinct()
    documents_purged = cases_touched = 0
    for case_id in cases.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Locked and re-read: the case must still be closed when its files go.
            case = Case.objects.select_for_update().get(pk=case_id)
            if case.status not in CLOSED_STATUSES or not case.closed_at or case.closed_at >= cutoff:
                continue
            documents = list(case.documents.exclude(file="").select_for_update())
            names = []
            for document in documents:
                names.append({"id": document.pk, "kind": document.kind,
                              "sha256": document.sha256})
                stored = [f.name for f in document.stored_files()]
                # Its thumbnail shows the document too: it goes with it.
                CaseDocument.objects.filter(pk=document.pk).update(
                    file="", thumbnail=None, thumbnail_width=None, thumbnail_height=None)
                # Marked in this transaction, deleted past the backup window: a
                # rolled-back run keeps both, and last night's dump still finds them.
                delete_later(stored)
            CaseEvent.objects.create(
                case=case, name="documents_purged", from_status=case.status,
                to_status=case.status,
                data={"documents": names, "retention_days": days},
            )
        documents_purged += len(documents)
        cases_touched += 1
    return documents_purged, cases_touched


def anonymise_sms_bodies(now: datetime.datetime, days: int, code_hours: int,
                         code_kinds: list[str]) -> int:
    final = OutboxMessage.objects.filter(status__in=FINAL_SMS_STATUSES).exclude(
        body=SMS_BODY_REMOVED)
    old = final.filter(created_at__lt=now - datetime.timedelta(days=days))
    codes = final.filter(kind__in=code_kinds,
                         created_at__lt=now - datetime.timedelta(hours=code_hours))
    # update(): the status is not touched, so the outbox's state machine has no say.
    return old.update(body=SMS_BODY_REMOVED) + codes.update(body=SMS_BODY_REMOVED)


def delete_account_codes(now: datetime.datetime, hours: int) -> int:
    old = PhoneVerification.objects.exclude(purpose=Purpose.APPOINTMENT).filter(
        created_at__lt=now - datetime.timedelta(hours=hours))
    return old.delete()[0]


def apply_retention(now: datetime.datetime | None = None) -> RetentionReport:
    now = now or timezone.now()
    report = RetentionReport()
    report.drafts_deleted = purge_drafts(now=now)
    report.documents_purged, report.cases_touched = purge_closed_case_documents(
        now, settings.RETENTION_CLOSED_CASE_DOCUMENTS_DAYS)
    report.sms_bodies_removed = anonymise_sms_bodies(
        now, settings.RETENTION_SMS_BODY_DAYS, settings.RETENTION_SMS_CODE_BODY_HOURS,
        settings.RETENTION_SMS_CODE_KINDS)
    report.account_codes_deleted = delete_account_codes(
        now, settings.RETENTION_ACCOUNT_CODE_HOURS)
    log.info("retention_applied", extra=report.as_dict())
    return report


@shared_task(name="cases.apply_retention")
def apply_retention_task() -> dict[str, int]:
    return apply_retention().as_dict()
