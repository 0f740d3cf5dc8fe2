"""A code sent to a phone to prove its holder has it: the inspection appointment's
(bound to the case) and the account's (bound to the person, or for a password reset to
the phone alone, since the code must prove the phone before any account is named)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Purpose(models.TextChoices):
    APPOINTMENT = "appointment", "نوبت بازدید"
    LOGIN = "login", "ورود با کد پیامکی"
    MOBILE = "mobile", "تایید شماره همراه حساب"
    RESET = "reset", "بازیابی رمز عبور"


class PhoneVerification(models.Model):
    # The database default lets code from before this column (a rolling deploy) still
    # insert the appointment's codes.
    purpose = models.CharField(
        "کاربرد", max_length=16, choices=Purpose.choices, default=Purpose.APPOINTMENT,
        db_default=Purpose.APPOINTMENT,
    )
    # Drafts are purged, and their codes with them.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="phone_verifications",
        verbose_name="پرونده", null=True, blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="phone_verifications", verbose_name="کاربر",
    )
    phone = models.CharField("شماره همراه", max_length=11)
    # HMAC of phone and code (services.code_hash): a copy of the table reveals no code.
    code_hash = models.CharField("چکیده کد", max_length=64)
    client_address = models.GenericIPAddressField("نشانی درخواست‌کننده", null=True, blank=True)
    created_at = models.DateTimeField("ارسال", default=timezone.now, db_index=True)
    expires_at = models.DateTimeField("انقضا")
    attempts = models.PositiveSmallIntegerField("تلاش‌های نادرست", default=0)
    verified_at = models.DateTimeField("تایید", null=True, blank=True)
    # A newer code was sent for the same purpose, or this one was used: it no longer counts.
    superseded = models.BooleanField("جایگزین شده", default=False)

    class Meta:
        verbose_name = "تایید شماره همراه"
        verbose_name_plural = "تاییدهای شماره همراه"
        indexes = [
            models.Index(fields=["phone", "created_at"]),
            models.Index(fields=["client_address", "created_at"]),
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]
        constraints = [
            # An appointment's code belongs to its case; an account's never does.
            models.CheckConstraint(
                name="verification_case_iff_appointment",
                condition=Q(purpose=Purpose.APPOINTMENT, case__isnull=False)
                | (~Q(purpose=Purpose.APPOINTMENT) & Q(case__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"
