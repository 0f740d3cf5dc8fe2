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


# Each event's name as staff read it on a case's timeline (staff/casefile.py) and in
# messages about it; every name the code records has one (tests/staff/test_case_timeline.py).
EVENT_TITLES = {
    "case_registered": "ثبت درخواست",
    "inspection_approved": "تأیید بازدید",
    "fees_settled": "تسویه عوارض",
    "case_issued": "صدور",
    "case_archived": "بایگانی",
    "case_cancelled": "ابطال",
    "sms_queued": "پیامک در صف ارسال",
    "sms_sent": "پیامک ارسال شد",
    "sms_delivered": "پیامک تحویل شد",
    "sms_undelivered": "پیامک تحویل نشد",
    "sms_failed": "ارسال پیامک ناموفق",
    "task_claimed": "برداشتن کار",
    "task_unassigned": "رها کردن کار",
    "task_reassigned": "ارجاع کار",
    "inspection_photo_added": "عکس بازدید",
    "appointment_booked": "رزرو زمان بازدید",
    "appointment_released": "آزاد شدن زمان بازدید",
    "appointment_cancelled": "لغو زمان بازدید",
    "appointment_rescheduled": "تغییر زمان بازدید",
    "appointment_handed_over": "سپردن بازدید به کارشناس دیگر",
    "payment_started": "پرداخت آنلاین: رفتن به بانک",
    "payment_returned": "پرداخت آنلاین: بازگشت از بانک",
    "payment_verified": "پرداخت آنلاین: تأیید بانک",
    "payment_settled": "پرداخت آنلاین: تسویه بدهی",
    "payment_cancelled": "پرداخت آنلاین: انصراف در بانک",
    "payment_failed": "پرداخت آنلاین: ناموفق",
    "payment_expired": "پرداخت آنلاین: منقضی شد",
    "payment_refund_due": "پرداخت آنلاین: مبلغ باید بازگردانده شود",
    "certificate_issued": "صدور گواهی",
    "incident_opened": "رخداد: گام خودکار ناموفق ماند",
    "incident_retried": "رخداد: تلاش دوباره",
    "incident_resolved": "رخداد برطرف شد",
    "certificate_revoked": "ابطال گواهی",
    "document_viewed": "مشاهده مدرک",
    "documents_purged": "حذف مدارک (پایان مدت نگهداری)",
    "case_migrated": "انتقال به نسخه دیگر فرایند",
    "case_migration_undone": "بازگرداندن انتقال به نسخه پیشین",
}
