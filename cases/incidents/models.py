"""One incident per failing thing (a step's task, an SMS, a payment), open until it works."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IncidentKind(models.TextChoices):
    AUTOMATIC_STEP = "automatic_step", "گام خودکار ناموفق"
    SMS_FAILED = "sms_failed", "پیامک ارسال‌نشده"
    PAYMENT_MISMATCH = "payment_mismatch", "ناهمخوانی پرداخت با بانک"
    TASK_ERROR = "task_error", "گام متوقف در خطا"
    VANISHED_STEP = "vanished_step", "گامی که در فرایند نیست"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "باز"
    RETRYING = "retrying", "در حال تلاش دوباره"
    RESOLVED = "resolved", "برطرف شد"
    CANCELLED = "cancelled", "پرونده ابطال شد"


ACTIVE = (IncidentStatus.OPEN, IncidentStatus.RETRYING)


class Incident(models.Model):
    kind = models.CharField("نوع", max_length=30, choices=IncidentKind.choices)
    # What failed, e.g. "task:123", "sms:45", "payment:9": one active incident each.
    subject = models.CharField("موضوع", max_length=60)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="incidents", verbose_name="پرونده")
    flow_label = models.CharField("فرایند", max_length=30, blank=True)
    node_name = models.CharField("گام", max_length=60, blank=True)
    status = models.CharField("وضعیت", max_length=20, choices=IncidentStatus.choices,
                              default=IncidentStatus.OPEN)
    error = models.TextField("خطا", blank=True)
    attempts = models.PositiveIntegerField("تلاش‌ها", default=1)
    opened_at = models.DateTimeField("از", auto_now_add=True)
    last_failed_at = models.DateTimeField("آخرین خطا", auto_now_add=True)
    retried_at = models.DateTimeField("آخرین تلاش دوباره", null=True, blank=True)
    closed_at = models.DateTimeField("بسته شد", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name="بست")

    class Meta:
        verbose_name = "رخداد"
        verbose_name_plural = "رخدادها"
        ordering = ["opened_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["subject"], condition=models.Q(status__in=ACTIVE),
            name="incidents_one_active_per_subject")]
        indexes = [models.Index(fields=["status", "flow_label", "node_name"],
                                name="incidents_active_by_node")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
