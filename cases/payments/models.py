"""One attempt to pay one renovation-fee debt through the payment gateway."""

import secrets

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case, DebtStatus, RenovationDebt


class PaymentStatus(models.TextChoices):
    CREATED = "created", "ایجاد شده"
    REDIRECTED = "redirected", "در انتظار بانک"
    RETURNED = "returned", "بازگشته از بانک، در حال تأیید"
    VERIFIED = "verified", "تأیید شده توسط بانک"
    SETTLED = "settled", "پرداخت شده"
    CANCELLED = "cancelled", "لغو شده"
    FAILED = "failed", "ناموفق"
    EXPIRED = "expired", "منقضی شده"


# Waiting for the bank: the citizen, a callback or reconciliation will decide these.
PENDING = [PaymentStatus.CREATED, PaymentStatus.REDIRECTED, PaymentStatus.RETURNED]
FINAL = [
    PaymentStatus.SETTLED,
    PaymentStatus.CANCELLED,
    PaymentStatus.FAILED,
    PaymentStatus.EXPIRED,
]


def new_order_id() -> str:
    # Random, so an order id reveals nothing about other citizens' payments.
    return "P" + "".join(str(secrets.randbelow(10)) for _ in range(15))


class Payment(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="payments", verbose_name="پرونده"
    )
    debt = models.ForeignKey(
        RenovationDebt, on_delete=models.PROTECT, related_name="payments", verbose_name="بدهی"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name="پرداخت‌کننده",
    )
    order_id = models.CharField("شماره سفارش", max_length=16, unique=True, default=new_order_id)
    # Always the debt's amount as the server read it, never a value from the browser.
    amount_rials = models.PositiveBigIntegerField("مبلغ (ریال)")
    gateway_token = models.CharField("شناسه نزد درگاه", max_length=1000, blank=True)
    redirect_url = models.CharField("نشانی درگاه", max_length=2000, blank=True)
    reference = models.CharField("شماره مرجع بانک", max_length=100, blank=True)
    card_mask = models.CharField("شماره کارت (پوشیده)", max_length=30, blank=True)
    # The gateway class that started it: reconciliation asks that provider, even after
    # settings.PAYMENT_GATEWAY changed.
    gateway = models.CharField("درگاه", max_length=200, blank=True)
    status = FSMField(
        "وضعیت", default=PaymentStatus.CREATED, choices=PaymentStatus.choices, protected=True
    )
    # Money taken for a debt already settled by another payment: finance pays it back.
    refund_due = models.BooleanField("مسترد شود", default=False)
    # Where the citizen goes after the bank (a same-site path, e.g. the wizard's fees step).
    return_url = models.CharField("نشانی بازگشت", max_length=500, blank=True)
    created_at = models.DateTimeField("ایجاد", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)
    returned_at = models.DateTimeField("بازگشت از بانک", null=True, blank=True)
    settled_at = models.DateTimeField("زمان تسویه", null=True, blank=True)

    class Meta:
        verbose_name = "پرداخت"
        verbose_name_plural = "پرداخت‌ها"
        indexes = [
            models.Index(fields=["debt", "status"]),
            # Finding payments left pending at the bank (reconciliation) without a scan.
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            # The last line of defence behind the row locks: a debt is settled once.
            models.UniqueConstraint(
                fields=["debt"],
                condition=models.Q(status=PaymentStatus.SETTLED),
                name="payments_one_settlement_per_debt",
            ),
            models.CheckConstraint(
                name="payments_amount_positive", condition=models.Q(amount_rials__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def settled_by_another(self) -> bool:
        """Not settled, and its debt was settled some other way (another payment, an
        office): the citizen is told this one was left for the bank to reverse."""
        return (
            self.status in (PaymentStatus.FAILED, PaymentStatus.EXPIRED)
            and not self.refund_due
            and self.debt.status == DebtStatus.SETTLED
        )

    # --- transitions ----------------------------------------------------------------

    @transition(field=status, source=PaymentStatus.CREATED, target=PaymentStatus.REDIRECTED)
    def mark_redirected(self, token: str, redirect_url: str) -> None:
        self.gateway_token = token
        self.redirect_url = redirect_url

    @transition(field=status, source=PaymentStatus.REDIRECTED, target=PaymentStatus.RETURNED)
    def mark_returned(self, at) -> None:
        self.returned_at = at

    # From REDIRECTED too: reconciliation may learn from the provider that a citizen who
    # never came back did pay.
    @transition(
        field=status,
        source=[PaymentStatus.REDIRECTED, PaymentStatus.RETURNED],
        target=PaymentStatus.VERIFIED,
    )
    def mark_verified(self, reference: str, card_mask: str = "") -> None:
        self.reference = reference
        self.card_mask = card_mask

    @transition(field=status, source=PaymentStatus.VERIFIED, target=PaymentStatus.SETTLED)
    def mark_settled(self, at) -> None:
        self.settled_at = at

    @transition(field=status, source=PaymentStatus.VERIFIED, target=PaymentStatus.FAILED)
    def refuse_settlement(self) -> None:
        self.refund_due = True

    @transition(field=status, source=PENDING, target=PaymentStatus.CANCELLED)
    def cancel(self) -> None:
        pass

    @transition(field=status, source=PENDING, target=PaymentStatus.FAILED)
    def fail(self) -> None:
        pass

    @transition(field=status, source=PENDING, target=PaymentStatus.EXPIRED)
    def expire(self) -> None:
        pass

    # A payment we had given up on, which the bank's inquiry says was paid after all (the
    # citizen finished at the bank late, or a newer attempt replaced it): back to being
    # verified, as if it had just returned, rather than left for the bank to reverse.
    @transition(field=status, source=PaymentStatus.EXPIRED, target=PaymentStatus.RETURNED)
    def reopen(self, at) -> None:
        self.returned_at = at
