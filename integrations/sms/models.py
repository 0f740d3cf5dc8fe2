"""The SMS outbox: every message is a row first, sent after its transaction commits."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

# The integration knows no domain, so it checks the normal form itself rather than
# importing the domain's phone parser: callers normalise, the outbox refuses the rest.
NORMAL_MOBILE = RegexValidator(r"^09[0-9]{9}$", "شماره همراه باید به شکل ۰۹xxxxxxxxx باشد")
SNAKE_CASE = RegexValidator(r"^[a-z][a-z0-9_]*$", "نوع پیامک باید snake_case باشد")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "در صف ارسال"
    SENT = "sent", "ارسال شد"
    DELIVERED = "delivered", "تحویل شد"
    FAILED = "failed", "ناموفق"


class OutboxMessage(ConcurrentTransitionMixin, models.Model):
    to = models.CharField("شماره همراه", max_length=11, validators=[NORMAL_MOBILE])
    body = models.TextField("متن")
    kind = models.CharField("نوع", max_length=50, validators=[SNAKE_CASE])
    # e.g. "case:42": lets the domain find its messages without the outbox knowing it.
    correlation = models.CharField("مرجع", max_length=100, blank=True, db_index=True)
    idempotency_key = models.CharField("کلید یکتایی", max_length=200, unique=True)
    status = FSMField(
        "وضعیت", default=MessageStatus.QUEUED, choices=MessageStatus.choices, protected=True
    )
    attempts = models.PositiveIntegerField("تعداد تلاش ناموفق", default=0)
    last_error = models.TextField("آخرین خطا", blank=True)
    provider_id = models.CharField("شناسه نزد ارائه‌دهنده", max_length=100, blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("ارسال", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "پیامک"
        verbose_name_plural = "صندوق پیامک‌ها"
        indexes = [
            # Finding messages left queued (a lost task) without scanning the table.
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["to", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"

    @transition(field=status, source=MessageStatus.QUEUED, target=MessageStatus.SENT)
    def mark_sent(self, provider_id: str) -> None:
        self.provider_id = provider_id
        self.sent_at = timezone.now()

    @transition(field=status, source=MessageStatus.SENT, target=MessageStatus.DELIVERED)
    def mark_delivered(self) -> None:
        pass

    # From "sent" too: a delivery receipt may say the handset never got it.
    @transition(
        field=status,
        source=[MessageStatus.QUEUED, MessageStatus.SENT],
        target=MessageStatus.FAILED,
    )
    def mark_failed(self, error: str = "") -> None:
        if error:
            self.last_error = error

    def record_failed_attempt(self, error: str) -> None:
        self.attempts += 1
        self.last_error = error
