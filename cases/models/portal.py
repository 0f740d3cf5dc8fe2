from django.db import models
from solo.models import SingletonModel


class PortalSettings(SingletonModel):
    """Values clerks change without a deploy."""

    municipality_name = models.CharField("نام شهرداری", max_length=150, default="شهرداری")
    support_phone = models.CharField("تلفن پشتیبانی", max_length=20, default="31291513")

    class Meta:
        verbose_name = "تنظیمات سامانه"

    def __str__(self) -> str:
        return "تنظیمات سامانه"
