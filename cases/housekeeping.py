"""Periodic work on cases: visit reminders and the purge of abandoned drafts."""

import datetime
import logging

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from .appointments.models import Appointment, AppointmentStatus
from .incidents.models import Incident
from .models import Case, CaseStatus
from .notifications import notify
from .payments.models import Payment

log = logging.getLogger(__name__)


def send_visit_reminders(now: datetime.datetime | None = None) -> int:
    """Text every citizen whose visit is tomorrow (Tehran's calendar), once each."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            slot__starts_at__date=tomorrow,
            case__status=CaseStatus.REGISTERED,
        )
        .select_related("slot", "case")
        .order_by("slot__starts_at")
    )
    sent = 0
    for appointment in due:
        # The slot in the key: a rescheduled visit gets its own reminder.
        if notify(appointment.case, "visit_reminder", visit_at=appointment.slot.starts_at,
                  idempotency_suffix=appointment.slot_id):
            sent += 1
    return sent


# The purge counts in days: one write an hour is precise enough and keeps a busy
# citizen's steps from each costing an UPDATE.
ACTIVITY_RESOLUTION = datetime.timedelta(hours=1)


def note_draft_activity(case: Case) -> None:
    """The citizen worked on the draft: its purge date moves on."""
    now = timezone.now()
    if case.is_draft and case.last_activity_at <= now - ACTIVITY_RESOLUTION:
        case.last_activity_at = now
        Case.objects.filter(pk=case.pk, status=CaseStatus.DRAFT).update(
            last_activity_at=case.last_activity_at)


def draft_deleted_on(case: Case) -> datetime.datetime:
    """When purge_drafts will delete the draft if nobody works on it again."""
    return case.last_activity_at + datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)


def mark_deletable(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases`, each annotated `deletable`: a draft that may be deleted, by the purge or by
    its citizen (in the same query).

    A draft with a payment is kept: money moved, so a person must look at it. So is one
    an incident names (a failed SMS or step): staff's record of it points at the case.
    """
    deletable = (Q(status=CaseStatus.DRAFT)
                 & ~Exists(Payment.objects.filter(case=OuterRef("pk")))
                 & ~Exists(Incident.objects.filter(case=OuterRef("pk"))))
    return cases.annotate(deletable=ExpressionWrapper(deletable, output_field=BooleanField()))


def deletable_drafts() -> QuerySet[Case]:
    """The drafts the purge and their citizens may delete (mark_deletable)."""
    return mark_deletable(Case.objects.all()).filter(deletable=True)


def delete_draft(case: Case) -> None:
    """Delete a draft with its process and tasks, documents (their files after commit,
    cases.documents.models) and appointment holds: everything hangs on the case."""
    case.delete()


def purge_drafts(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete drafts never registered and left alone for `days` (deletable_drafts)."""
    now = now or timezone.now()
    days = settings.DRAFT_RETENTION_DAYS if days is None else days
    stale = deletable_drafts().filter(last_activity_at__lt=now - datetime.timedelta(days=days))
    purged = 0
    for case in stale.iterator():
        delete_draft(case)
        purged += 1
    if purged:
        log.info("drafts_purged", extra={"count": purged, "idle_days": days})
    return purged
