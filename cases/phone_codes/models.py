"""A code sent to a phone to prove the citizen holds it (inspection appointment step)."""

from django.db import models
from django.utils import timezone


class PhoneVerification(models.Model):
    # Drafts are purged, and their codes with them.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="phone_verifications",
        verbose_name="پرونده",
    )
    phone = models.CharField("شماره همراه", max_length=11)
    # HMAC of phone and code (services.code_hash): a copy of the table reveals no code.
    code_hash = models.CharField("چکیده کد", max_length=64)
    client_address = models.GenericIPAddressField("نشانی درخواست‌کننده", null=True, blank=True)
    created_at = models.DateTimeField("ارسال", default=timezone.now, db_index=True)
    expires_at = models.DateTimeField("انقضا")
    attempts = models.PositiveSmallIntegerField("تلاش‌های نادرست", default=0)
    verified_at = models.DateTimeField("تایید", null=True, blank=True)
    # A newer code was sent for the case: this one no longer counts.
    superseded = models.BooleanField("جایگزین شده", default=False)

    class Meta:
        verbose_name = "تایید شماره همراه"
        verbose_name_plural = "تاییدهای شماره همراه"
        indexes = [
            models.Index(fields=["phone", "created_at"]),
            models.Index(fields=["client_address", "created_at"]),
            models.Index(fields=["case", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"
