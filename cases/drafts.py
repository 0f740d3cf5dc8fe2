"""What a citizen's wizard steps write on their draft case, as domain services.

The step views parse the request and call these; they never save the case themselves.
Registering the draft (تایید و ثبت, ثبت درخواست و صدور) is in registration.py.

Drafts are bounded: a citizen keeps at most DRAFTS_PER_SERVICE open drafts of a service
(start_draft refuses another) and may delete their own (delete_own_draft), so a script
pressing گام بعدی on the commitments cannot fill the database with drafts.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from cases.housekeeping import deletable_drafts, delete_draft, mark_deletable
from cases.identity import normalize_mobile
from cases.models import Case, CaseStatus
from cases.properties import keep_property, refresh_debts
from integrations.registry.base import PairingCheck
from integrations.registry.loader import get_registry

log = logging.getLogger(__name__)

# The inquiring institution's letter, as the documents step asks for it; the transfer's
# documents step also asks who applies (APPLICANT_ROLE).
LETTER_FIELDS = ("letter_number", "letter_institution", "letter_date")
APPLICANT_ROLE = "applicant_role"


class DraftLimitReached(Exception):
    """The citizen already has DRAFTS_PER_SERVICE open drafts of this service."""


class DraftKept(Exception):
    """The draft must stay for a person to look at (a payment or an incident names it)."""


def _drafts_of(citizen, service: str) -> QuerySet[Case]:
    return Case.objects.filter(citizen=citizen, service=service, status=CaseStatus.DRAFT)


def open_drafts(citizen, service: str) -> QuerySet[Case]:
    """The citizen's drafts of `service` not yet registered, newest first, each marked
    `deletable` (cases.housekeeping.mark_deletable)."""
    return mark_deletable(_drafts_of(citizen, service)).order_by("-created_at")


def start_draft(service: str, citizen) -> Case:
    """The draft a citizen's ticked commitments create (no tracking number yet).

    Raises DraftLimitReached when the citizen has DRAFTS_PER_SERVICE open drafts of the
    service. The citizen's row is locked while counting, so two tabs pressing گام بعدی
    at once are counted one after the other: the second sees the first's draft.
    """
    # No savepoint: the start's own transaction (viewflow wraps the start's POST in one)
    # holds the lock until the process exists too. The refusal is raised outside the
    # block, so that it does not mark the caller's transaction for rollback.
    with transaction.atomic(savepoint=False):
        list(get_user_model().objects.select_for_update().filter(pk=citizen.pk)
             .values_list("pk", flat=True))
        full = _drafts_of(citizen, service).count() >= settings.DRAFTS_PER_SERVICE
        case = None if full else Case.objects.create(service=service, citizen=citizen)
    if case is None:
        raise DraftLimitReached(service)
    return case


def own_draft(citizen, case_id: int) -> Case:
    """The citizen's own unregistered draft, marked `deletable` (Case.DoesNotExist for
    anything else: another citizen's case, a registered one, one deleted meanwhile)."""
    return mark_deletable(Case.objects.select_related("property")).get(
        pk=case_id, citizen=citizen, status=CaseStatus.DRAFT)


def delete_own_draft(citizen, case_id: int) -> None:
    """Delete the citizen's own unregistered draft with its process, tasks, documents and
    holds (the purge's delete_draft). The case's timeline goes with it, so the structured
    log `draft_deleted` is the audit. Raises Case.DoesNotExist as own_draft does, DraftKept
    when a payment or an incident keeps it."""
    with transaction.atomic():
        # Locked and re-read: a tab registering it at this moment either wins (the draft is
        # gone from the drafts) or waits and finds the case deleted.
        case = Case.objects.select_for_update().get(pk=case_id, citizen=citizen,
                                                    status=CaseStatus.DRAFT)
        if not deletable_drafts().filter(pk=case.pk).exists():
            raise DraftKept(case_id)
        delete_draft(case)
    log.info("draft_deleted", extra={"case": case_id, "citizen": citizen.pk,
                                     "service": case.service, "by": "citizen"})


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
