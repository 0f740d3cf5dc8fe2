"""The sandbox bank's own ledger: what the pretend bank knows, apart from the merchant.

A real PSP remembers which orders were paid; verify() and reconciliation must ask it
rather than trust what the browser brought back. This table is that memory.
"""

from django.db import models


class BankStatus(models.TextChoices):
    PENDING = "pending", "در انتظار پرداخت"
    PAID = "paid", "پرداخت شده"
    CANCELLED = "cancelled", "انصراف"


class SandboxTransaction(models.Model):
    order_id = models.CharField("شماره سفارش", max_length=32, unique=True)
    amount_rials = models.PositiveBigIntegerField("مبلغ (ریال)")
    status = models.CharField(
        "وضعیت", max_length=10, choices=BankStatus.choices, default=BankStatus.PENDING
    )
    reference = models.CharField("شماره مرجع", max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Like Shaparak: money is captured only once the merchant verifies.
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "تراکنش درگاه آزمایشی"
        verbose_name_plural = "تراکنش‌های درگاه آزمایشی"

    def __str__(self) -> str:
        return f"{self.order_id} ({self.status})"
