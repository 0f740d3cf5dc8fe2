"""Everything about one case for the staff case page: one timeline, oldest first.

Staff read Persian only: every event name the code records has a title here (a test
scans the code for the names it records), SMS rows carry the clerks' own title of the
text, and amounts are rials with Persian digits and the toman beside them. A name with no
title (an older release's event, a text whose title was deleted) reads as a Persian word,
never as the code's identifier; an error is quoted as the system wrote it, marked as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import format_html

from cases import notifications
from cases.display import jalali
from cases.documents.gallery import case_gallery
from cases.incidents.models import IncidentKind
from cases.models import Case, CaseStatus
from cases.models.timeline import EVENT_TITLES
from cases.payments.display import rials_toman
from integrations.sms.models import SmsTemplate

# The reasons payment events give (cases/payments), as staff read them.
REASON_TITLES = {
    "newer_attempt": "پرداخت تازه‌تری آغاز شد",
    "abandoned": "شهروند از بانک بازنگشت",
    "unverified": "بانک پرداخت را تأیید نکرد",
    "too_late": "پاسخ بانک دیر رسید",
    "not_paid": "بانک پرداخت را نپذیرفت",
    "bank_failed": "بانک پرداخت را ناموفق اعلام کرد",
    "amount_mismatch": "مبلغ اعلام‌شده بانک نمی‌خواند",
    "debt_settled": "بدهی پیش از تأیید بانک تسویه شده بود",
}
TASK_STATUS_TITLES = {
    "NEW": "در صف", "ASSIGNED": "سپرده شده", "STARTED": "در حال انجام", "DONE": "انجام شد",
    "CANCELED": "لغو شد", "ERROR": "خطا", "SCHEDULED": "زمان‌بندی شده",
}


# A code's own name (a payment's reason); anything else in a reason is a person's words.
IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@dataclass
class Entry:
    at: datetime
    kind: str  # event, task, sms, payment, document
    title: str
    actor: str = ""
    details: list[str] = field(default_factory=list)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "سامانه"


def _sms_rows(case: Case) -> list:
    finder = getattr(notifications, "sms_for_case", None)
    if finder is not None:
        return list(finder(case))
    from integrations.sms.models import OutboxMessage

    return list(OutboxMessage.objects.filter(
        correlation=notifications.case_correlation(case)).order_by("created_at"))


def _status(value: str) -> str:
    if not value:
        return ""
    return CaseStatus(value).label if value in CaseStatus.values else "—"


def _sms_title(kind: str, sms_titles: dict[str, str]) -> str:
    return f"پیامک: {sms_titles[kind]}" if kind in sms_titles else "پیامک"


def _error(text: str) -> str:
    return format_html('خطا: <code dir="ltr">{}</code>', text)


def _event_details(event, sms_titles: dict[str, str]) -> list[str]:
    data = event.data
    details = []
    if event.from_status or event.to_status:
        details.append(f"{_status(event.from_status)} ← {_status(event.to_status)}")
    if "kind" in data and event.name.startswith("sms_"):
        details.append(_sms_title(data["kind"], sms_titles))
    if event.name.startswith("payment_") and "amount_rials" in data:
        details.append(rials_toman(data["amount_rials"]))
    if event.name.startswith("incident_") and data.get("kind") in IncidentKind.values:
        details.append(f"نوع: {IncidentKind(data['kind']).label}")
    reason = data.get("reason")
    if reason in REASON_TITLES:
        details.append(f"دلیل: {REASON_TITLES[reason]}")
    elif reason and not IDENTIFIER.fullmatch(reason):  # a cancellation's reason, as typed
        details.append(f"دلیل: {reason}")
    if data.get("error"):
        details.append(_error(data["error"]))
    return details


def tasks_of(case: Case) -> list:
    """Every task of the case's process, oldest first, with its owner: one read for the
    timeline (the people's steps) and the diagram's path (every node reached)."""
    process = getattr(case, "process", None)
    if process is None:
        return []
    return list(process.task_set.select_related("owner").order_by("pk"))


def timeline(case: Case, tasks: list | None = None) -> list[Entry]:
    entries: list[Entry] = []
    sms_rows = _sms_rows(case)
    sms_titles = dict(SmsTemplate.objects.values_list("kind", "title"))
    for event in case.events.select_related("actor").order_by("at", "pk"):
        entries.append(Entry(event.at, "event", EVENT_TITLES.get(event.name, "رویداد"),
                             _name(event.actor), _event_details(event, sms_titles)))
    for task in tasks if tasks is not None else tasks_of(case):
        if task.flow_task_type == "HUMAN":
            entries.append(Entry(
                task.created, "task", f"گام: {task.flow_task.task_title}",
                _name(task.owner) if task.owner else "",
                [TASK_STATUS_TITLES.get(task.status, "—")]
                + ([f"پایان: {jalali(task.finished, 'datetime')}"] if task.finished else []),
            ))
    for sms in sms_rows:
        details = [sms.get_status_display()]
        if sms.status in ("failed", "undelivered") and sms.last_error:
            details.append(_error(sms.last_error))
        entries.append(Entry(sms.created_at, "sms", _sms_title(sms.kind, sms_titles), "", details))
    for payment in case.payments.select_related("payer"):
        entries.append(Entry(payment.created_at, "payment", "پرداخت آنلاین", _name(payment.payer),
                             [rials_toman(payment.amount_rials), payment.get_status_display()]
                             + (["مسترد می‌شود"] if payment.refund_due else [])))
    entries.sort(key=lambda e: e.at)
    return entries


def documents(case: Case, user) -> list:
    """The case's documents as staff/_document_gallery.html shows them: images as
    thumbnails opening the full file, links signed for `user`."""
    return case_gallery(case.pk, user)
