"""A supervisor cancels a case: the guarded transition, the engine's process, the SMS."""

from __future__ import annotations

from django.db import transaction
from django_fsm import TransitionNotAllowed
from viewflow.workflow.status import PROCESS

from cases.appointments import services as appointments
from cases.models import Case
from cases.notifications import notify

from .access import is_supervisor
from .assignment import AssignmentRefused

# The reasons a supervisor picks from; free text is added to the chosen one.
CANCEL_REASONS = [
    ("citizen_request", "انصراف متقاضی"),
    ("documents", "مدارک ناقص یا نادرست"),
    ("ownership", "مغایرت مالکیت"),
    ("duplicate", "درخواست تکراری"),
    ("other", "سایر"),
]


def reason_text(code: str, details: str) -> str:
    label = dict(CANCEL_REASONS).get(code, "")
    details = (details or "").strip()
    return f"{label}: {details}" if label and details else (label or details)


def cancel_case(case: Case, reason: str, by) -> None:
    """Cancel the case and its process, then text the citizen (after commit)."""
    if not is_supervisor(by):
        raise AssignmentRefused("فقط سرپرست می‌تواند پرونده را ابطال کند.")
    if not reason.strip():
        raise AssignmentRefused("دلیل ابطال را بنویسید؛ شهروند آن را می‌خواند.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        try:
            case.cancel(by=by, reason=reason)
        except TransitionNotAllowed:
            raise AssignmentRefused("این پرونده در وضعیتی نیست که ابطال شود.") from None
        case.save()
        appointments.release(case, cancelled=True)
        process = getattr(case, "process", None)
        if process is not None and process.status not in (PROCESS.DONE, PROCESS.CANCELED):
            process.flow_class.instance.cancel(process)
        notify(case, "case_cancelled", reason=case.cancel_reason)
