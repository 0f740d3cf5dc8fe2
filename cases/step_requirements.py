"""What a case must hold before the flow may take it past a step.

Each check returns the Persian reasons it may not leave yet (empty: it may). The flows
attach them to their nodes, and the engine checks them when the task completes, so no
request — whichever URL or view completed the task — can move a case on without them.
The step pages say the same things beside their fields, before the citizen presses
گام بعدی; these are the rules, the pages are their explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cases.appointments import services as appointments
from cases.documents.services import documents_complete
from cases.drafts import LETTER_FIELDS
from cases.models import Case, ServiceKind
from cases.models.case import is_ready_to_issue
from cases.payments.services import has_open_debt
from cases.phone_codes.services import verified_phone
from integrations.registry.loader import get_registry

Requirement = Callable[[Case], list[str]]


class StepIncomplete(Exception):
    """The flow was asked to take a case past a step it does not yet satisfy."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def require(case: Case, requirements: Iterable[Requirement]) -> None:
    """Raise StepIncomplete with every reason the case may not leave the step yet."""
    problems = [problem for check in requirements for problem in check(case)]
    if problems:
        raise StepIncomplete(problems)



def property_found(case: Case) -> list[str]:
    if case.property_id is None:
        return ["ملک این درخواست هنوز با کدنوسازی و شماره درخواست پیدا نشده است."]
    return []


# The registry's answer kept on the case object for the rest of its request: the records
# page shows it and checks it (two calls to an outside service per page, before).
_CERTIFICATE_READ = "_latest_certificate_read"


def latest_certificate(case: Case):
    """The property registry's latest certificate for the case's property (None: none, or
    no property yet), asked once per case object and renovation code."""
    if case.property_id is None:
        return None
    code = case.property.renovation_code
    kept = case.__dict__.get(_CERTIFICATE_READ)
    if kept is None or kept[0] != code:
        kept = case.__dict__[_CERTIFICATE_READ] = (code, get_registry().latest_certificate(code))
    return kept[1]


def earlier_certificate_found(case: Case) -> list[str]:
    if latest_certificate(case) is None:
        return ["برای این کدنوسازی گواهی پیشینی صادر نشده است؛ پاسخ استعلام ممکن نیست."]
    return []


def letter_and_documents(case: Case) -> list[str]:
    problems = []
    if any(not getattr(case, name) for name in LETTER_FIELDS):
        problems.append("مشخصات نامه کامل نیست.")
    if case.service == ServiceKind.TRANSFER and not case.applicant_role:
        problems.append("مالک یا وکیل بودن متقاضی انتخاب نشده است.")
    complete, missing = documents_complete(case)
    if not complete:
        problems.append("مدارک کامل نیست: " + "، ".join(missing) + ".")
    return problems


def phone_verified_and_slot_held(case: Case) -> list[str]:
    problems = []
    if not verified_phone(case):
        problems.append("شماره تماس با کد تاییدیه تایید نشده است.")
    if appointments.current(case) is None:
        problems.append("زمان بازدیدی برای این درخواست نگه داشته نشده است.")
    return problems


def fees_settled(case: Case) -> list[str]:
    if has_open_debt(case):
        return ["بدهی عوارض نوسازی این کدنوسازی پرداخت نشده است."]
    return []


def ready_to_issue(case: Case) -> list[str]:
    if not is_ready_to_issue(case):
        return ["درخواست هنوز آماده صدور نیست."]
    return []
