"""Everything about one case for the staff case page: one timeline, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cases import notifications
from cases.documents.services import document_links
from cases.models import Case

from .flows import NODE_TITLES

EVENT_TITLES = {
    "case_registered": "ثبت درخواست",
    "inspection_approved": "تأیید بازدید",
    "fees_settled": "تسویه عوارض",
    "case_issued": "صدور",
    "case_archived": "بایگانی",
    "case_cancelled": "ابطال",
    "sms_queued": "پیامک در صف ارسال",
    "sms_sent": "پیامک ارسال شد",
    "sms_delivered": "پیامک تحویل شد",
    "sms_failed": "ارسال پیامک ناموفق",
    "task_claimed": "برداشتن کار",
    "task_unassigned": "رها کردن کار",
    "task_reassigned": "ارجاع کار",
    "inspection_photo_added": "عکس بازدید",
}
TASK_STATUS_TITLES = {
    "NEW": "در صف", "ASSIGNED": "سپرده شده", "STARTED": "در حال انجام", "DONE": "انجام شد",
    "CANCELED": "لغو شد", "ERROR": "خطا", "SCHEDULED": "زمان‌بندی شده",
}


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


def timeline(case: Case) -> list[Entry]:
    entries: list[Entry] = []
    for event in case.events.select_related("actor").order_by("at", "pk"):
        details = [f"{k}: {v}" for k, v in event.data.items() if k in ("reason", "error", "kind")]
        if event.from_status or event.to_status:
            details.insert(0, f"{event.from_status} → {event.to_status}")
        entries.append(Entry(event.at, "event", EVENT_TITLES.get(event.name, event.name),
                             _name(event.actor), details))
    process = getattr(case, "process", None)
    if process is not None:
        for task in process.task_set.filter(flow_task_type="HUMAN").select_related("owner"):
            entries.append(Entry(
                task.created, "task", f"گام: {NODE_TITLES.get(task.flow_task.name, task.flow_task.name)}",
                _name(task.owner) if task.owner else "",
                [TASK_STATUS_TITLES.get(task.status, task.status)]
                + ([f"پایان: {task.finished:%Y-%m-%d %H:%M}"] if task.finished else []),
            ))
    for sms in _sms_rows(case):
        entries.append(Entry(sms.created_at, "sms", f"پیامک: {sms.kind}", "",
                             [sms.get_status_display()]))
    for payment in case.payments.all():
        entries.append(Entry(payment.created_at, "payment", "پرداخت", _name(payment.payer),
                             [f"{payment.amount_rials} ریال", payment.get_status_display()]))
    entries.sort(key=lambda e: e.at)
    return entries


def documents(case: Case, user) -> list:
    return document_links(case.documents.order_by("uploaded_at"), user)
