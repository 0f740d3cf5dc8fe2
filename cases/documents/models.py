"""A document a citizen uploaded to a case, kept in private storage."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from cases.file_deletions import delete_later

from .kinds import DocumentKind
from .storage import private_storage


def document_upload_path(instance: "CaseDocument", filename: str) -> str:
    """documents/<yyyy>/<mm>/<uuid4>.<ext>: nothing of the citizen's name reaches a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.localtime()
    return f"documents/{now:%Y}/{now:%m}/{uuid.uuid4()}.{extension}"


def thumbnail_upload_path(instance: "CaseDocument", filename: str) -> str:
    """documents/<yyyy>/<mm>/<uuid4>.thumb.jpg: as random as the document's own name."""
    now = timezone.localtime()
    return f"documents/{now:%Y}/{now:%m}/{uuid.uuid4()}.thumb.jpg"


class CaseDocument(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="documents", verbose_name="پرونده"
    )
    kind = models.CharField("نوع مدرک", max_length=30, choices=DocumentKind.choices)
    file = models.FileField("فایل", storage=private_storage, upload_to=document_upload_path)
    original_name = models.CharField("نام فایل", max_length=255)
    content_type = models.CharField("نوع محتوا", max_length=50)
    size = models.PositiveIntegerField("حجم (بایت)")
    sha256 = models.CharField("اثر انگشت SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="بارگذاری‌کننده",
    )
    uploaded_at = models.DateTimeField("زمان بارگذاری", default=timezone.now, db_index=True)
    # A small JPEG of an image for the staff pages, made on its first request
    # (thumbnails.py): most documents are never shown as one. Its size lets a page reserve
    # the space before it arrives. 0×0 without a file: the image could not be decoded.
    thumbnail = models.FileField(
        "تصویر کوچک", storage=private_storage, upload_to=thumbnail_upload_path,
        null=True, blank=True, editable=False,
    )
    thumbnail_width = models.PositiveSmallIntegerField(
        "عرض تصویر کوچک", null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(
        "ارتفاع تصویر کوچک", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "مدرک"
        verbose_name_plural = "مدارک"
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    def stored_files(self) -> list:
        """Every file of this row in the store: the document and its thumbnail, if any."""
        return [field_file for field_file in (self.file, self.thumbnail) if field_file]


@receiver(post_delete, sender=CaseDocument, dispatch_uid="documents.delete_stored_file")
def _delete_stored_file(sender, instance: CaseDocument, **kwargs) -> None:
    # Also runs when a purged draft case takes its documents with it (CASCADE). Marked in
    # the deleting transaction and removed past the backup window (file_deletions.py), so
    # a rolled-back delete keeps its files and a backup's dump still finds them.
    delete_later(stored.name for stored in instance.stored_files())
