"""Issued certificates: the PDF a citizen prints and a bank or notary verifies."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .storage import private_storage

# Days a certificate stays valid; settings.CERTIFICATE_VALIDITY_DAYS overrides it.
CERTIFICATE_VALIDITY_DAYS = 90


def certificate_validity() -> datetime.timedelta:
    return datetime.timedelta(
        days=getattr(settings, "CERTIFICATE_VALIDITY_DAYS", CERTIFICATE_VALIDITY_DAYS)
    )


class CertificateKind(models.TextChoices):
    TRANSFER = "transfer", "گواهی انتقال آپارتمان"
    INQUIRY_ANSWER = "inquiry_answer", "پاسخ استعلام"


def certificate_upload_to(instance: "Certificate", filename: str) -> str:
    # A random name: the path reveals neither the case nor the owner.
    year = timezone.localtime(instance.issued_at).year
    return f"certificates/{year}/{uuid.uuid4()}.pdf"


def preview_upload_to(instance: "Certificate", filename: str) -> str:
    year = timezone.localtime(instance.issued_at).year
    return f"certificates/{year}/{uuid.uuid4()}.png"


class Certificate(models.Model):
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name="پرونده",
    )
    kind = models.CharField("نوع", max_length=20, choices=CertificateKind.choices)
    verification_code = models.CharField("کد تصدیق", max_length=8, db_index=True)
    pdf = models.FileField(
        "فایل PDF", storage=private_storage, upload_to=certificate_upload_to, max_length=200
    )
    sha256 = models.CharField("چکیده SHA-256", max_length=64)
    # Page 1 as an image, made on first request: most certificates are never previewed.
    preview = models.FileField(
        "تصویر صفحه اول",
        storage=private_storage,
        upload_to=preview_upload_to,
        max_length=200,
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField("زمان صدور", default=timezone.now)
    valid_until = models.DateTimeField("اعتبار تا")
    revoked_at = models.DateTimeField("زمان ابطال", null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "گواهی صادر شده"
        verbose_name_plural = "گواهی‌های صادر شده"
        constraints = [
            models.CheckConstraint(
                name="certificate_valid_after_issue",
                condition=models.Q(valid_until__gt=models.F("issued_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"

    def is_valid_at(self, moment: datetime.datetime) -> bool:
        """Not revoked by `moment` and not expired."""
        revoked = self.revoked_at is not None and self.revoked_at <= moment
        return not revoked and self.issued_at <= moment < self.valid_until
