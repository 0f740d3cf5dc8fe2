"""Who inspects where and when: inspectors' districts, holidays, visit slots."""

from django.conf import settings
from django.db import models

from .properties import District


class Holiday(models.Model):
    date = models.DateField("تاریخ", unique=True)
    title = models.CharField("مناسبت", max_length=150)

    class Meta:
        ordering = ["date"]
        verbose_name = "تعطیل رسمی"
        verbose_name_plural = "تعطیلات رسمی"

    def __str__(self) -> str:
        return self.title


class InspectorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inspector_profile",
        verbose_name="کارشناس",
    )
    districts = models.ManyToManyField(District, related_name="inspectors", verbose_name="مناطق")

    class Meta:
        verbose_name = "کارشناس بازدید"
        verbose_name_plural = "کارشناسان بازدید"

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class InspectionSlot(models.Model):
    """One hour of one inspector's working day; at most one visit each."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_slots",
        verbose_name="کارشناس",
    )
    starts_at = models.DateTimeField("شروع")
    ends_at = models.DateTimeField("پایان")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "نوبت بازدید"
        verbose_name_plural = "نوبت‌های بازدید"
        constraints = [
            models.UniqueConstraint(fields=["inspector", "starts_at"], name="one_slot_per_hour"),
            models.CheckConstraint(
                name="slot_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
        ]
        # No index on the hour alone: every page's read of the slots starts from an
        # inspector (one_slot_per_hour; the admin's list by date reads the table). With
        # one, a prepared statement's generic plan read two weeks of every district's
        # slots before keeping one district's: the calendar's free hours took 20 ms
        # instead of 4-5 at a million cases.

    def __str__(self) -> str:
        return f"{self.inspector} @ {self.starts_at:%Y-%m-%d %H:%M}"


class InspectionReport(models.Model):
    """What the inspector found at the visit; one per case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="inspection", verbose_name="پرونده"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="کارشناس"
    )
    approved = models.BooleanField("تأیید شد")
    reason = models.TextField("دلیل ابطال", blank=True)
    notes = models.TextField("یادداشت کارشناس", blank=True)
    visited_at = models.DateTimeField("زمان بازدید")
    recorded_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        verbose_name = "گزارش بازدید"
        verbose_name_plural = "گزارش‌های بازدید"
        constraints = [
            models.CheckConstraint(
                name="cancelled_inspection_has_reason",
                condition=models.Q(approved=True) | ~models.Q(reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} — {'تأیید' if self.approved else 'ابطال'}"
