"""The Persian text of each kind of message, edited by clerks in the admin."""

from django.db import models


class SmsTemplate(models.Model):
    """A Jinja2 text rendered in a sandbox with only `variables` (see texts.py)."""

    kind = models.CharField("نوع پیامک", max_length=50, unique=True)
    title = models.CharField("عنوان", max_length=100)
    body = models.TextField(
        "متن",
        help_text="متغیرها را به شکل {{ نام_متغیر }} بنویسید؛ فقط متغیرهای فهرست‌شده مجازند.",
    )
    # Declared by the code that sends this kind; clerks see them but cannot change them.
    variables = models.JSONField("متغیرهای مجاز", default=list)
    sample = models.JSONField("داده نمونه برای پیش‌نمایش", default=dict)
    updated_at = models.DateTimeField("آخرین ویرایش", auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "متن پیامک"
        verbose_name_plural = "متن‌های پیامک"

    def __str__(self) -> str:
        return self.title
