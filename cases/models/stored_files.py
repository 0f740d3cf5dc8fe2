"""Files whose row is gone, waiting out the backup window before they leave the store."""

from django.db import models
from django.utils import timezone


class FileDeletion(models.Model):
    """A private file no row names any more, deleted by a later sweep (file_deletions.py).

    Written in the same transaction as the change that drops the file, so a rolled-back
    change leaves no mark, and a backup that dumped the old row still finds its file.
    """

    name = models.CharField("نام فایل", max_length=500, unique=True)
    marked_at = models.DateTimeField("زمان علامت‌گذاری", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "فایل در انتظار حذف"
        verbose_name_plural = "فایل‌های در انتظار حذف"

    def __str__(self) -> str:
        return self.name
