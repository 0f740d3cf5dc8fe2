"""A case's inspection visit: which slot it holds or booked, and the life of that claim."""

import datetime

from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case, InspectionSlot


class AppointmentStatus(models.TextChoices):
    HELD = "held", "نگه‌داشته برای شهروند"
    BOOKED = "booked", "رزرو قطعی"
    RELEASED = "released", "آزاد شده"
    CANCELLED = "cancelled", "لغو شده"
    DONE = "done", "بازدید انجام شد"


# A live appointment occupies its slot; the database allows one per slot and one per case.
LIVE_STATUSES = [AppointmentStatus.HELD, AppointmentStatus.BOOKED]


class AppointmentQuerySet(models.QuerySet):
    def live(self) -> "AppointmentQuerySet":
        return self.filter(status__in=LIVE_STATUSES)

    def occupying(self, now: datetime.datetime) -> "AppointmentQuerySet":
        """Live and not an expired hold: what really takes a slot away at `now`."""
        return self.filter(
            Q(status=AppointmentStatus.BOOKED)
            | Q(status=AppointmentStatus.HELD, held_until__gt=now)
        )

    def expired_holds(self, now: datetime.datetime) -> "AppointmentQuerySet":
        return self.filter(status=AppointmentStatus.HELD, held_until__lte=now)


class Appointment(ConcurrentTransitionMixin, models.Model):
    # Drafts are purged with their holds; a registered case is never deleted.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="appointments", verbose_name="پرونده"
    )
    slot = models.ForeignKey(
        InspectionSlot,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="نوبت بازدید",
    )
    status = FSMField(
        "وضعیت",
        default=AppointmentStatus.HELD,
        choices=AppointmentStatus.choices,
        protected=True,
    )
    held_until = models.DateTimeField("نگه‌داری تا", null=True, blank=True)
    created_at = models.DateTimeField("ایجاد", auto_now_add=True)
    booked_at = models.DateTimeField("رزرو", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "نوبت بازدید پرونده"
        verbose_name_plural = "نوبت‌های بازدید پرونده‌ها"
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["held", "booked"]),
                name="one_live_appointment_per_slot",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["held", "booked"]),
                name="one_live_appointment_per_case",
            ),
            models.CheckConstraint(
                name="held_appointment_has_deadline",
                condition=~Q(status="held") | Q(held_until__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "held_until"])]

    def __str__(self) -> str:
        return f"{self.case} → {self.slot} ({self.get_status_display()})"

    def is_expired_hold(self, now: datetime.datetime) -> bool:
        return self.status == AppointmentStatus.HELD and self.held_until <= now

    # --- transitions ------------------------------------------------------------------

    @transition(field=status, source=AppointmentStatus.HELD, target=AppointmentStatus.HELD)
    def extend(self, until: datetime.datetime) -> None:
        self.held_until = until

    @transition(field=status, source=AppointmentStatus.HELD, target=AppointmentStatus.BOOKED)
    def book(self, now: datetime.datetime) -> None:
        self.booked_at = now

    @transition(field=status, source=LIVE_STATUSES, target=AppointmentStatus.RELEASED)
    def release(self) -> None:
        pass

    @transition(field=status, source=LIVE_STATUSES, target=AppointmentStatus.CANCELLED)
    def cancel(self) -> None:
        pass

    @transition(field=status, source=AppointmentStatus.BOOKED, target=AppointmentStatus.DONE)
    def mark_done(self) -> None:
        pass
