"""The case timeline: append-only, enforced by a PostgreSQL trigger (migration 0002)."""

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django_fsm.signals import post_transition

from .case import Case


class CaseEvent(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name="پرونده"
    )
    at = models.DateTimeField("زمان", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="انجام‌دهنده",
    )
    # snake_case, e.g. case_registered, sms_sent, payment_verified.
    name = models.CharField("رویداد", max_length=60)
    from_status = models.CharField("از وضعیت", max_length=30, blank=True)
    to_status = models.CharField("به وضعیت", max_length=30, blank=True)
    data = models.JSONField("جزئیات", default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "رویداد پرونده"
        verbose_name_plural = "رویدادهای پرونده"
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The case timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The case timeline is append-only.")


TRANSITION_EVENTS = {
    "register": "case_registered",
    "approve_inspection": "inspection_approved",
    "settle_fees": "fees_settled",
    "issue": "case_issued",
    "archive": "case_archived",
    "cancel": "case_cancelled",
}


@receiver(post_transition, sender=Case, dispatch_uid="cases.timeline.record_transition")
def _queue_transition_event(sender, instance: Case, name, source, target, method_kwargs, **kw):
    data = {k: v for k, v in method_kwargs.items() if k != "by" and isinstance(v, str | int)}
    if "exception" in kw:
        data["error"] = str(kw["exception"])
    event = CaseEvent(
        actor=method_kwargs.get("by"),
        name=TRANSITION_EVENTS.get(name, name),
        from_status=source,
        to_status=target,
        data=data,
    )
    instance.__dict__.setdefault("_pending_events", []).append(event)
