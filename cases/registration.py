"""Registering a transfer request (تایید و ثبت) and recording the inspection."""

from django.db import transaction
from django.utils import timezone

from .appointments import services as appointments
from .models import Case, InspectionReport
from .notifications import notify


def register_transfer(case: Case, by) -> Case:
    """Book the held slot and register: the tracking number exists from here on.

    Raises appointments.SlotUnavailable when the hold was lost and the hour taken.
    """
    with transaction.atomic():
        case.register(by=by)
        case.save_registration()
        # Booked after registering so the booking lands on the timeline; a lost hold
        # rolls the registration back with it.
        appointment = appointments.book(case)
        notify(case, "case_registered", visit_at=appointment.slot.starts_at)
    return case


def register_inquiry(case: Case, by) -> Case:
    """ثبت درخواست و صدور: the answer is issued next, automatically."""
    # No savepoint (unlike the transfer's, whose lost hour is caught and shown): nothing
    # here is caught by the step, a failure rolls its whole request back.
    with transaction.atomic(savepoint=False):
        # The account's mobile: the inquiry has no phone step of its own.
        case.contact_phone = case.contact_phone or case.citizen.mobile
        case.register(by=by)
        case.save_registration()
        notify(case, "inquiry_registered")
    return case


def record_inspection(case: Case, by, *, approved: bool, reason: str = "", notes: str = "") -> InspectionReport:
    appointment = appointments.current(case)
    report = InspectionReport.objects.create(
        case=case,
        inspector=by,
        approved=approved,
        reason="" if approved else reason.strip(),
        notes=notes.strip(),
        visited_at=appointment.slot.starts_at if appointment else timezone.now(),
    )
    if approved:
        case.approve_inspection(by=by)
    else:
        case.cancel(by=by, reason=reason)
    case.save()
    if not approved:
        appointments.release(case, cancelled=True)
    return report
