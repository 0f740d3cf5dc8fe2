"""SMS notices of a case: texts clerks edit (integrations/sms/texts.py), sent through the outbox.

Each notice has an idempotency key, so an automatic step that runs again (a retried
task, a replayed callback) never texts the citizen twice; the outbox's delivery news
comes back through `sms_status_changed` and lands on the case timeline.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from cases.display import jalali
from cases.identity import normalize_mobile
from cases.incidents import services as incidents
from cases.incidents.models import IncidentKind
from cases.models import Case, CaseEvent, CaseStatus
from cases.tracking import format_tracking_number
from integrations.sms import texts
from integrations.sms.models import MessageStatus, OutboxMessage, ShortLink
from integrations.sms.outbox import enqueue_once, retry_failed
from integrations.sms.signals import sms_status_changed

logger = logging.getLogger(__name__)

# Left-to-right embedding around a grouped number, so an RTL text keeps its groups in
# order on every phone (isolates are newer and some handsets draw them as boxes).
LTR_START, LTR_END = "\u202a", "\u202c"
CORRELATION = re.compile(r"case:([0-9]+)")
LINK_CACHE_SECONDS = 30 * 86400
STATUS_EVENTS = {
    MessageStatus.SENT: "sms_sent",
    MessageStatus.DELIVERED: "sms_delivered",
    MessageStatus.UNDELIVERED: "sms_undelivered",
    MessageStatus.FAILED: "sms_failed",
}


def render_sms(kind: str, context: dict) -> str:
    """The text of `kind` as clerks last edited it, rendered in a sandbox with `context`
    (plain values only: the sandbox gives a template nothing but these)."""
    return texts.render(kind, context)


def case_correlation(case: Case) -> str:
    return f"case:{case.pk}"


def sms_for_case(case: Case) -> QuerySet[OutboxMessage]:
    """Every SMS about the case, newest first, each with its delivery status."""
    return OutboxMessage.objects.filter(correlation=case_correlation(case)).order_by(
        "-created_at", "-id")


def case_link(case: Case) -> str:
    """A short link to the case's «آخرین وضعیت» page; the page asks for a login and
    shows the case to its own citizen only, so the link grants nothing by itself."""
    target = reverse("portal:case_status", args=[case.pk])
    # A link's code never changes: every text after a case's first finds it in the cache.
    key = f"sms:short-link:{target}"
    code = cache.get(key)
    if code is None:
        code = ShortLink.for_target(target).code
        cache.set(key, code, LINK_CACHE_SECONDS)
    return settings.SITE_URL.rstrip("/") + reverse("sms_short_link", args=[code])


def case_context(case: Case, context: dict) -> dict:
    """The variables a case's text may use, as plain strings (see the seed migration)."""
    tracking = case.tracking_number
    visit_at = context.pop("visit_at", None)
    reason = context.pop("reason", None) or case.cancel_reason
    return {
        "tracking_number": (
            LTR_START + format_tracking_number(tracking) + LTR_END if tracking else ""
        ),
        "site_url": settings.SITE_URL,
        "link": case_link(case),
        "visit_day": jalali(visit_at, "day") if visit_at else "",
        "visit_time": jalali(visit_at, "time") if visit_at else "",
        "reason": reason or "",
        "refund_due": bool(getattr(case, "refund_due", False)),
        **context,
    }


def notify(case: Case, kind: str, **context) -> OutboxMessage | None:
    """Text the case's contact phone; None when the case has no contact phone.

    `idempotency_suffix` tells apart notices of one kind that may repeat (e.g. the
    new slot's id for visit_rescheduled); the rest of `context` goes to the template.
    """
    suffix = str(context.pop("idempotency_suffix", ""))
    if not case.contact_phone:
        return None
    try:
        phone = normalize_mobile(case.contact_phone)
    except ValidationError:
        logger.warning("case %s: contact phone %r is not a mobile", case.pk, case.contact_phone)
        return None
    # Drafts keep no timeline (so they can be purged). On PostgreSQL a new message's
    # event is written by the message's own INSERT.
    queued_event = (_queued_event(case.pk, kind)
                    if not case.is_draft and connection.vendor == "postgresql" else None)
    # No savepoint: nobody catches a failure here, it rolls back the caller's work too.
    with transaction.atomic(savepoint=False):
        body = render_sms(kind, case_context(case, context))
        message, written = enqueue_once(
            to=phone,
            body=body,
            kind=kind,
            correlation=case_correlation(case),
            idempotency_key=f"{kind}:{case.pk}:{suffix}",
            then=queued_event,
        )
        # A repeated notice is one event (a message written just now has none yet).
        if not case.is_draft and not (written and queued_event) and (
            written or not case.events.filter(name="sms_queued",
                                              data__message_id=message.pk).exists()):
            CaseEvent.objects.create(
                case=case, name="sms_queued", data={"kind": kind, "message_id": message.pk}
            )
    return message


@receiver(sms_status_changed, dispatch_uid="cases.notifications.record_sms_status")
def record_sms_status(sender, message: OutboxMessage, **kwargs) -> None:
    match = CORRELATION.fullmatch(message.correlation)
    name = STATUS_EVENTS.get(message.status)
    if match is None or name is None:
        return
    case_id = int(match.group(1))
    data = {"kind": message.kind, "message_id": message.pk}
    if message.status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        data["error"] = message.last_error
    elif message.provider_id:
        data["provider_id"] = message.provider_id
    if _add_event_unless_draft(case_id, name, data):
        _follow_incident(message, case_id)


def _event_insert() -> str:
    """INSERT INTO the timeline (case, at, actor, name, from_status, to_status, data)."""
    event = CaseEvent._meta
    quote = connection.ops.quote_name
    names = ("case", "at", "actor", "name", "from_status", "to_status", "data")
    columns = ", ".join(quote(event.get_field(f).column) for f in names)
    return f"INSERT INTO {quote(event.db_table)} ({columns}) "


def _now() -> object:
    return CaseEvent._meta.get_field("at").get_db_prep_save(timezone.now(), connection)


def _queued_event(case_id: int, kind: str) -> tuple[str, list]:
    """The `sms_queued` event, as the CTE the outbox's INSERT runs when it writes the
    message (`inserted` is that row)."""
    return (_event_insert() + "SELECT %s, %s, NULL, 'sms_queued', '', '', "
            "jsonb_build_object('kind', %s::text, 'message_id', inserted.id) FROM inserted",
            [case_id, _now(), kind])


def _add_event_unless_draft(case_id: int, name: str, data: dict) -> bool:
    """The event on the case's timeline unless the case is a draft (drafts keep none), in
    one INSERT … SELECT instead of a look at the case and then an INSERT: a delivery's
    news comes for every text. False when nothing was written."""
    case = Case._meta
    quote = connection.ops.quote_name
    values = [_now(), name, "", "",
              CaseEvent._meta.get_field("data").get_db_prep_save(data, connection),
              case_id, CaseStatus.DRAFT.value]
    with connection.cursor() as cursor:
        key, status = quote(case.pk.column), quote(case.get_field("status").column)
        cursor.execute(
            _event_insert() + f"SELECT {key}, %s, NULL, %s, %s, %s, %s FROM "
            f"{quote(case.db_table)} WHERE {key} = %s AND {status} <> %s",
            values)
        return cursor.rowcount == 1


def _follow_incident(message: OutboxMessage, case_id: int) -> None:
    """A text given up after its retries is an incident for supervisors; sent after all
    (retried), the incident closes. A message that never failed costs nothing here."""
    subject = f"sms:{message.pk}"
    if message.status == MessageStatus.FAILED:
        case = Case.objects.get(pk=case_id)
        incidents.record_failure(IncidentKind.SMS_FAILED, subject, case=case,
                                 flow_label=case.service, error=message.last_error)
    elif message.last_error and message.status in (MessageStatus.SENT, MessageStatus.DELIVERED):
        incidents.resolve(subject)  # it had failed (the error stays on record)


def retry_message(message_id: int) -> None:
    """«تلاش دوباره» on a text given up: queued again and handed to a worker."""
    message = OutboxMessage.objects.get(pk=message_id)
    if message.status == MessageStatus.FAILED:
        retry_failed(message)
