"""Writing messages to the outbox and moving their status, signalled after commit."""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from integrations.db import insert_unless_duplicate

from .models import OutboxMessage
from .signals import sms_status_changed

logger = logging.getLogger(__name__)


def enqueue(
    to: str,
    body: str,
    kind: str,
    correlation: str = "",
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Write a message in the caller's transaction; it is sent once that commits.

    A message written in a transaction that rolls back is never sent. The same
    idempotency key twice gives back the first message and sends nothing more. If
    the broker cannot be reached at commit, the message stays queued and the
    periodic sweep (`sending.sweep`) hands it over later.
    """
    message, _created = enqueue_once(to, body, kind, correlation, idempotency_key)
    return message


def enqueue_once(
    to: str,
    body: str,
    kind: str,
    correlation: str = "",
    idempotency_key: str | None = None,
    then: tuple[str, list] | None = None,
) -> tuple[OutboxMessage, bool]:
    """`enqueue`, also saying whether this call wrote the message (False: the key's first
    message is given back and nothing more is sent). `then`: a write done by the same
    statement when the message is written (integrations.db.insert_unless_duplicate)."""
    key = idempotency_key or f"{kind}:{uuid.uuid4().hex}"
    message = OutboxMessage(
        to=to, body=body, kind=kind, correlation=correlation, idempotency_key=key
    )
    # The status is left out: a protected FSM field cannot be cleaned (re-assigned).
    message.full_clean(exclude=["idempotency_key", "status"])
    # One statement; a concurrent writer of the same key makes it a no-op (no savepoint).
    if not insert_unless_duplicate(message, then=then):
        return OutboxMessage.objects.get(idempotency_key=key), False
    pk = message.pk
    transaction.on_commit(lambda: send_later(pk), robust=True)
    return message, True


def send_later(message_id: int) -> None:
    """Hand the message to a worker. A broker that is down only delays it: the error is
    logged (robust on_commit) and the sweep finds the message still queued."""
    from .tasks import send_outbox_message

    send_outbox_message.delay(message_id)


def change_status(message: OutboxMessage, transition: str, **kwargs) -> None:
    """Apply a status transition, save it, and announce it once it is committed.

    Raises django_fsm.ConcurrentTransition when another process moved the message
    first. The announcement waits for the commit so that a listener's failure can
    never undo a message the provider already accepted.
    """
    previous = message.status
    getattr(message, transition)(**kwargs)
    message.save()
    if message.status != previous:
        transaction.on_commit(lambda: _announce(message, previous), robust=True)


def _announce(message: OutboxMessage, previous: str) -> None:
    results = sms_status_changed.send_robust(
        sender=OutboxMessage, message=message, previous=previous
    )
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error(
                "sms_status_changed receiver %r failed for message #%s",
                receiver, message.pk, exc_info=result,
            )


def retry_failed(message: OutboxMessage) -> None:
    """Queue a failed message again and hand it to a worker once committed."""
    with transaction.atomic():
        message.retry_failed()
        message.save()
        pk = message.pk
        transaction.on_commit(lambda: send_later(pk), robust=True)
