"""SMS notices of a case: texts from templates/sms/<kind>.txt, sent through the outbox.

Each notice has an idempotency key, so an automatic step that runs again (a retried
task, a replayed callback) never texts the citizen twice; the outbox's delivery news
comes back through `sms_status_changed` and lands on the case timeline.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.template import Context, engines

from cases.identity import normalize_mobile
from cases.models import Case, CaseEvent, CaseStatus
from cases.tracking import format_tracking_number
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.sms.outbox import enqueue
from integrations.sms.signals import sms_status_changed

logger = logging.getLogger(__name__)

# Left-to-right embedding around a grouped number, so an RTL text keeps its groups in
# order on every phone (isolates are newer and some handsets draw them as boxes).
LTR_START, LTR_END = "\u202a", "\u202c"
CORRELATION = re.compile(r"case:([0-9]+)")
STATUS_EVENTS = {
    MessageStatus.SENT: "sms_sent",
    MessageStatus.DELIVERED: "sms_delivered",
    MessageStatus.FAILED: "sms_failed",
}


def render_sms(kind: str, context: dict) -> str:
    """Render templates/sms/<kind>.txt as plain text: no HTML escaping, and blank
    lines and indentation (left by template tags) dropped."""
    template = engines["django"].engine.get_template(f"sms/{kind}.txt")
    text = template.render(Context(context, autoescape=False))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def case_correlation(case: Case) -> str:
    return f"case:{case.pk}"


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
    tracking = case.tracking_number
    body = render_sms(kind, {
        "case": case,
        "tracking_number": (
            LTR_START + format_tracking_number(tracking) + LTR_END if tracking else ""
        ),
        "site_url": settings.SITE_URL,
        **context,
    })
    with transaction.atomic():
        message = enqueue(
            to=phone,
            body=body,
            kind=kind,
            correlation=case_correlation(case),
            idempotency_key=f"{kind}:{case.pk}:{suffix}",
        )
        # Drafts keep no timeline (so they can be purged); a repeated notice is one event.
        if not case.is_draft and not case.events.filter(
            name="sms_queued", data__message_id=message.pk
        ).exists():
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
    if not Case.objects.filter(pk=case_id).exclude(status=CaseStatus.DRAFT).exists():
        return
    data = {"kind": message.kind, "message_id": message.pk}
    if message.status == MessageStatus.FAILED:
        data["error"] = message.last_error
    elif message.provider_id:
        data["provider_id"] = message.provider_id
    CaseEvent.objects.create(case_id=case_id, name=name, data=data)
