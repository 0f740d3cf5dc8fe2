"""Opening, retrying and closing incidents; each step on the case's timeline."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent

from .models import ACTIVE, Incident, IncidentStatus
from .registry import can_retry, retry_for

logger = logging.getLogger(__name__)
# A retry that never came back (its worker was lost) may be pressed again after this.
RETRY_STALE_AFTER = datetime.timedelta(minutes=10)
ERROR_LENGTH = 2000


def subject_id(incident: Incident) -> int:
    return int(incident.subject.rsplit(":", 1)[1])


def record_failure(kind: str, subject: str, *, case: Case | None = None, flow_label: str = "",
                   node_name: str = "", error: str = "") -> Incident:
    """Open `subject`'s incident, or count one more failure on the open one. Its own
    transaction: the failed work's was rolled back."""
    error = error[:ERROR_LENGTH]
    with transaction.atomic():
        incident = (Incident.objects.select_for_update()
                    .filter(subject=subject, status__in=ACTIVE).first())
        if incident is not None:
            incident.attempts += 1
            incident.error, incident.last_failed_at = error, timezone.now()
            incident.status = IncidentStatus.OPEN
            incident.save(update_fields=["attempts", "error", "last_failed_at", "status"])
            return incident
        try:
            with transaction.atomic():  # a concurrent failure of the same subject may win
                incident = Incident.objects.create(
                    kind=kind, subject=subject, case=case, flow_label=flow_label,
                    node_name=node_name, error=error)
        except IntegrityError:
            return record_failure(kind, subject, case=case, flow_label=flow_label,
                                  node_name=node_name, error=error)
        if case is not None:
            _record(case, "incident_opened", incident)
    logger.warning("incident_opened", extra={"incident": incident.pk, "subject": subject})
    return incident


def resolve(subject: str) -> None:
    """The work succeeded after failing: its incident, if any, is closed. (The caller
    asks only after a failure or a retry: work that never failed pays no query.)"""
    with transaction.atomic():
        for incident in Incident.objects.select_for_update().filter(subject=subject,
                                                                    status__in=ACTIVE):
            _close(incident, IncidentStatus.RESOLVED, None)
            if incident.case_id:
                _record(incident.case, "incident_resolved", incident)


def retry(incident_id: int, user) -> bool:
    """«تلاش دوباره»: False when it is already being retried (another supervisor pressed
    first) or is closed. The work runs once this commits; its success resolves the
    incident, its failure opens it again with one more attempt."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if not can_retry(incident.kind):
            return False
        stale = timezone.now() - RETRY_STALE_AFTER
        if not (incident.status == IncidentStatus.OPEN or (
                incident.status == IncidentStatus.RETRYING and incident.retried_at
                and incident.retried_at < stale)):
            return False
        incident.status, incident.retried_at = IncidentStatus.RETRYING, timezone.now()
        incident.save(update_fields=["status", "retried_at"])
        if incident.case_id:
            _record(incident.case, "incident_retried", incident, actor=user)
        work, target = retry_for(incident.kind), subject_id(incident)
        transaction.on_commit(lambda: work(target))
    return True


def close_for_cancelled_case(case: Case, user=None) -> None:
    """The case was cancelled: nothing of it is to be retried any more (one UPDATE, in
    the cancelling transaction)."""
    Incident.objects.filter(case=case, status__in=ACTIVE).update(
        status=IncidentStatus.CANCELLED, closed_at=timezone.now(), closed_by=user)


def _close(incident: Incident, status: str, user) -> None:
    incident.status, incident.closed_at, incident.closed_by = status, timezone.now(), user
    incident.save(update_fields=["status", "closed_at", "closed_by"])


def _record(case: Case, name: str, incident: Incident, actor=None) -> None:
    CaseEvent.objects.create(case=case, name=name, actor=actor, data={
        "incident_id": incident.pk, "kind": incident.kind, "node": incident.node_name,
        "error": incident.error[:300]})
