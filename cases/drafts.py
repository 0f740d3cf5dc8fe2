"""What a citizen's wizard steps write on their draft case, as domain services.

The step views parse the request and call these; they never save the case themselves.
Registering the draft (تایید و ثبت, ثبت درخواست و صدور) is in registration.py.
"""

from __future__ import annotations

import datetime

from cases.identity import normalize_mobile
from cases.models import Case
from cases.properties import keep_property, refresh_debts
from integrations.registry.base import PairingCheck
from integrations.registry.loader import get_registry

# The inquiring institution's letter, as the documents step asks for it; the transfer's
# documents step also asks who applies (APPLICANT_ROLE).
LETTER_FIELDS = ("letter_number", "letter_institution", "letter_date")
APPLICANT_ROLE = "applicant_role"


def start_draft(service: str, citizen) -> Case:
    """The draft a citizen's ticked commitments create (no tracking number yet)."""
    return Case.objects.create(service=service, citizen=citizen)


def choose_property(case: Case, renovation_code: str, number: str) -> PairingCheck:
    """Check the pairing with the registry; the case keeps the property (the registry's
    answer, kept locally) only when it holds, and forgets any earlier one when it does
    not (a new search replaces it)."""
    check = get_registry().check_pairing(renovation_code, number)
    if check.ok:
        case.property = keep_property(check.property)
        case.request_number = number
        case.save(update_fields=["property", "request_number"])
        refresh_debts(case)
    elif case.property_id is not None:
        case.property = None
        case.request_number = ""
        case.save(update_fields=["property", "request_number"])
    return check


def keep_contact_phone(case: Case, phone: str) -> None:
    """The owner's mobile, once the appointment step's code proved it: the inspector
    calls it to arrange the visit."""
    case.contact_phone = normalize_mobile(phone)
    case.save(update_fields=["contact_phone"])


def keep_letter(case: Case, **answers: str | datetime.date) -> None:
    """The letter's details (and the applicant's role) the citizen typed, each valid one
    kept even when another is not, so nothing typed correctly is lost."""
    unknown = set(answers) - {APPLICANT_ROLE, *LETTER_FIELDS}
    if unknown:
        raise ValueError(f"not a letter field: {sorted(unknown)}")
    if answers:
        for name, value in answers.items():
            setattr(case, name, value)
        case.save(update_fields=list(answers))
