"""Handing one outbox message to the provider, at most once, and sweeping lost ones.

The claim (queued → sending) is a guarded transition saved with a condition on the
old status, so of two workers given the same message only one calls the provider; no
database transaction stays open while the provider answers.
"""

from __future__ import annotations

import datetime
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransition

from .base import SendResult, SmsRejected, SmsSendError
from .loader import get_backend
from .models import MessageStatus, OutboxMessage
from .outbox import change_status, send_later

logger = logging.getLogger(__name__)
S = MessageStatus


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None  # seconds; set when the provider should be tried again


def max_attempts() -> int:
    return settings.SMS_MAX_ATTEMPTS


def backoff(attempts: int) -> float:
    """Exponential with full jitter on top: base·2^(n−1) … that plus base, capped.

    Jitter spreads the retries of many messages that failed together (a provider
    outage), so they do not all return at the same second.
    """
    base = settings.SMS_RETRY_BASE_SECONDS
    delay = min(base * 2 ** (attempts - 1), settings.SMS_RETRY_MAX_SECONDS)
    return delay + random.uniform(0, base)


def deliver(message_id: int) -> Outcome:
    """Send the message if it is queued; report what should happen next."""
    claimed = _claim(message_id)
    if claimed is None:
        return Outcome(_current_status(message_id) or "missing")
    message, taken_before = claimed
    backend = get_backend()
    try:
        result = (backend.find_sent(message) if taken_before else None) or backend.send(message)
    except SmsRejected as exc:
        return _failed(message, _describe(exc))
    except SmsSendError as exc:
        return _released(message, _describe(exc))
    return _sent(message, result)


def _claim(message_id: int) -> tuple[OutboxMessage, bool] | None:
    """queued → sending in one statement (UPDATE … RETURNING the row), so of two workers
    given the same message only one gets it back; None when it was not queued. Also
    says whether an earlier worker had claimed it (then the provider is asked first
    whether it has it already): an earlier claim keeps its time, unlike this one's."""
    table = OutboxMessage._meta.db_table
    now = timezone.now()
    rows = list(OutboxMessage.objects.raw(
        f'UPDATE "{table}" SET "status" = %s, "claimed_at" = COALESCE("claimed_at", %s), '
        f'"updated_at" = %s WHERE "id" = %s AND "status" = %s '
        f'RETURNING *, "claimed_at" <> %s AS "taken_before"',
        [S.SENDING, now, now, message_id, S.QUEUED, now]))
    if not rows:
        return None
    return rows[0], bool(rows[0].taken_before)


def _describe(exc: Exception) -> str:
    return str(exc) or exc.__class__.__name__


def _sent(message: OutboxMessage, result: SendResult) -> Outcome:
    try:
        with transaction.atomic():
            change_status(message, "mark_sent", provider_id=result.provider_id,
                          provider_status=result.status)
    except ConcurrentTransition:
        # A delivery receipt got here first and already moved the message on.
        OutboxMessage.objects.filter(pk=message.pk, provider_id="").update(
            provider_id=result.provider_id)
        return Outcome(_current_status(message.pk))
    return Outcome(message.status)


def _failed(message: OutboxMessage, error: str) -> Outcome:
    with transaction.atomic():
        message.attempts += 1
        change_status(message, "mark_failed", error=error)
    logger.warning("sms_failed", extra={"message_id": message.pk, "error": error})
    return Outcome(message.status)


def _released(message: OutboxMessage, error: str) -> Outcome:
    if message.attempts + 1 >= max_attempts():
        return _failed(message, error)
    delay = backoff(message.attempts + 1)
    message.release(error=error, retry_at=timezone.now() + datetime.timedelta(seconds=delay))
    message.save()
    logger.info("sms_retry_scheduled", extra={
        "message_id": message.pk, "attempts": message.attempts, "retry_in": round(delay, 2)})
    return Outcome(message.status, retry_in=delay)


def _current_status(message_id: int) -> str:
    return OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True).first()


def sweep(now: datetime.datetime | None = None) -> int:
    """Hand over again every message a worker lost; returns how many.

    Queued past its due time (the broker was down at commit, or a retry was lost):
    enqueued again. Sending for longer than any provider call takes (the worker died
    mid-call): put back to queued first; the next run asks the provider whether the
    message already went (`find_sent`) before sending it.
    """
    now = now or timezone.now()
    stuck_after = datetime.timedelta(seconds=settings.SMS_STUCK_AFTER_SECONDS)
    lost_sends = OutboxMessage.objects.filter(
        status=S.SENDING, updated_at__lt=now - datetime.timedelta(
            seconds=settings.SMS_SENDING_TIMEOUT_SECONDS))
    ids = []
    for message in lost_sends[: settings.SMS_SWEEP_BATCH]:
        try:
            message.requeue_lost(now=now)
            message.save()
        except ConcurrentTransition:
            continue
        ids.append(message.pk)
    due = OutboxMessage.objects.filter(status=S.QUEUED).filter(
        Q(next_attempt_at__lt=now - stuck_after)
        | Q(next_attempt_at__isnull=True, created_at__lt=now - stuck_after)
    )
    ids += list(due.values_list("pk", flat=True)[: settings.SMS_SWEEP_BATCH])
    # Pushed forward first, so the next sweep does not enqueue them again while the
    # tasks wait in the broker.
    OutboxMessage.objects.filter(pk__in=ids, status=S.QUEUED).update(next_attempt_at=now)
    for pk in ids:
        try:
            send_later(pk)
        except Exception:  # the broker is still down: the next sweep tries again
            logger.exception("sms_sweep_enqueue_failed", extra={"message_id": pk})
            break
    if ids:
        logger.info("sms_swept", extra={"count": len(ids)})
    return len(ids)
