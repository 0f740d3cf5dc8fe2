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


# What may change on an issued certificate: whether it is the case's current version,
# its revocation, and its preview image (made once, on first request). Nothing printed.
MUTABLE_FIELDS = frozenset({"case", "revoked_at", "revocation_reason", "preview"})
# What a late time-stamp changes: the file gains a document time-stamp appended after
# the signed bytes, which stay as they were (cases/certificates/timestamping.py).
TIMESTAMP_FIELDS = frozenset({"pdf", "sha256", "signature_level", "timestamp_pending"})


class ImmutableCertificate(Exception):
    """Something tried to change what an issued certificate says or its file."""


class Certificate(models.Model):
    """One issued version. Reissuing adds a version and revokes this one; nothing that
    is printed, nor the file, ever changes (save() refuses it)."""

    # The case's current version only (cleared when a newer one replaces it), so
    # `case.certificate` is always the one to print.
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name="پرونده",
        null=True,
        blank=True,
    )
    # Every version, current or replaced, belongs to its case for good.
    issued_for = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="certificate_versions",
        verbose_name="پرونده صدور",
    )
    version = models.PositiveSmallIntegerField("نسخه", default=1)
    kind = models.CharField("نوع", max_length=20, choices=CertificateKind.choices)
    verification_code = models.CharField("کد تصدیق", max_length=8, db_index=True)
    pdf = models.FileField(
        "فایل PDF", storage=private_storage, upload_to=certificate_upload_to, max_length=200
    )
    sha256 = models.CharField("چکیده SHA-256", max_length=64)
    # The file as its signature covers it (before any validation data or time-stamp
    # appended after): how an uploaded copy is found.
    # Empty on documents issued before signatures.
    signed_sha256 = models.CharField("چکیده نسخه امضاشده", max_length=64, blank=True,
                                     db_index=True)
    signature_level = models.CharField("سطح امضا (PAdES)", max_length=8, blank=True)
    # Signed while the TSA did not answer: the periodic task time-stamps it.
    timestamp_pending = models.BooleanField("در انتظار مهر زمان", default=False)
    # Page 1 as an image, made on first request: most certificates are never previewed.
    preview = models.FileField(
        "تصویر صفحه اول",
        storage=private_storage,
        upload_to=preview_upload_to,
        max_length=200,
        null=True,
        blank=True,
    )
    # The facts given at issue that the case does not keep (inspection, fees), so that
    # a reissue prints the same.
    facts = models.JSONField("مبنای صدور", default=dict, blank=True)
    issued_at = models.DateTimeField("زمان صدور", default=timezone.now)
    valid_until = models.DateTimeField("اعتبار تا")
    revoked_at = models.DateTimeField("زمان ابطال", null=True, blank=True)
    revocation_reason = models.CharField("علت ابطال", max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "گواهی صادر شده"
        verbose_name_plural = "گواهی‌های صادر شده"
        permissions = [("reissue_certificate", "صدور دوباره و ابطال گواهی")]
        constraints = [
            models.CheckConstraint(
                name="certificate_valid_after_issue",
                condition=models.Q(valid_until__gt=models.F("issued_at")),
            ),
            models.CheckConstraint(
                name="certificate_current_of_its_own_case",
                condition=models.Q(case__isnull=True) | models.Q(case=models.F("issued_for")),
            ),
            models.UniqueConstraint(
                fields=["issued_for", "version"], name="certificate_one_row_per_version"
            ),
        ]
        indexes = [
            # The periodic time-stamping reads only the few signed while the TSA was away.
            models.Index(fields=["timestamp_pending"], name="certificate_timestamp_due",
                         condition=models.Q(timestamp_pending=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_for} (v{self.version})"

    @property
    def owning_case(self):
        """The case this version was issued for (an unsaved row may name only `case`)."""
        return self.issued_for if self.issued_for_id else self.case

    # Set only by timestamping.add_pending_timestamp, after checking that the new file
    # begins with every byte of the signed one.
    _timestamp_appended = False

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.issued_for_id is None:
            self.issued_for_id = self.case_id
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            allowed = MUTABLE_FIELDS | (TIMESTAMP_FIELDS if self._timestamp_appended else set())
            if update_fields is None or not set(update_fields) <= allowed:
                raise ImmutableCertificate(
                    f"certificate {self.pk} is issued; only {sorted(MUTABLE_FIELDS)} change"
                )
        super().save(*args, **kwargs)

    def is_valid_at(self, moment: datetime.datetime) -> bool:
        """Not revoked by `moment` and not expired."""
        revoked = self.revoked_at is not None and self.revoked_at <= moment
        return not revoked and self.issued_at <= moment < self.valid_until
