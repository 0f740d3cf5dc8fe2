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
    SENDING = "sending", "در حال ارسال"
    SENT = "sent", "ارسال شد"
    DELIVERED = "delivered", "تحویل شد"
    UNDELIVERED = "undelivered", "تحویل نشد"
    FAILED = "failed", "ناموفق"


S = MessageStatus
# A delivery receipt may overtake our own record of the send (the provider answers the
# callback before our transaction commits), so receipts may start from "sending" too.
RECEIPT_SOURCES = [S.SENDING, S.SENT]


class OutboxMessage(ConcurrentTransitionMixin, models.Model):
    """Status changes are FSM transitions; the concurrent-transition mixin makes a save
    fail when another worker moved the row first, so a message is claimed once."""

    to = models.CharField("شماره همراه", max_length=11, validators=[NORMAL_MOBILE])
    body = models.TextField("متن")
    kind = models.CharField("نوع", max_length=50, validators=[SNAKE_CASE])
    # e.g. "case:42": lets the domain find its messages without the outbox knowing it.
    correlation = models.CharField("مرجع", max_length=100, blank=True, db_index=True)
    idempotency_key = models.CharField("کلید یکتایی", max_length=200, unique=True)
    status = FSMField("وضعیت", default=S.QUEUED, choices=S.choices, protected=True)
    attempts = models.PositiveIntegerField("تعداد تلاش ناموفق", default=0)
    last_error = models.TextField("آخرین خطا", blank=True)
    provider_id = models.CharField("شناسه نزد ارائه‌دهنده", max_length=100, blank=True,
                                   db_index=True)
    provider_status = models.CharField("وضعیت نزد ارائه‌دهنده", max_length=30, blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now, db_index=True)
    # When a worker took the message to the provider; set once, so a later run knows an
    # earlier one may have reached the provider and asks before sending again.
    claimed_at = models.DateTimeField("برداشته شده برای ارسال", null=True, blank=True)
    next_attempt_at = models.DateTimeField("تلاش بعدی", null=True, blank=True)
    sent_at = models.DateTimeField("ارسال", null=True, blank=True)
    delivered_at = models.DateTimeField("تحویل", null=True, blank=True)
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "پیامک"
        verbose_name_plural = "صندوق پیامک‌ها"
        indexes = [
            # The sweep finds messages left queued or sending without scanning the table.
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["to", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"

    @property
    def is_final(self) -> bool:
        return self.status in (S.DELIVERED, S.UNDELIVERED, S.FAILED)

    @transition(field=status, source=S.QUEUED, target=S.SENDING)
    def claim(self) -> None:
        self.claimed_at = self.claimed_at or timezone.now()

    @transition(field=status, source=S.SENDING, target=S.QUEUED)
    def release(self, error: str, retry_at) -> None:
        """The provider could not take it; try again at `retry_at`."""
        self.attempts += 1
        self.last_error = error
        self.next_attempt_at = retry_at

    @transition(field=status, source=S.SENDING, target=S.QUEUED)
    def requeue_lost(self, now) -> None:
        """The worker holding it died; whether the provider got it is asked next time."""
        self.last_error = "worker_lost"
        self.next_attempt_at = now

    @transition(field=status, source=S.SENDING, target=S.SENT)
    def mark_sent(self, provider_id: str, provider_status: str = "") -> None:
        self.provider_id = provider_id
        self.provider_status = provider_status
        self.sent_at = timezone.now()

    @transition(field=status, source=S.SENDING, target=S.SENT)
    def receipt_sent(self, provider_id: str, provider_status: str) -> None:
        self.provider_id = self.provider_id or provider_id
        self.provider_status = provider_status
        self.sent_at = self.sent_at or timezone.now()

    @transition(field=status, source=RECEIPT_SOURCES, target=S.DELIVERED)
    def mark_delivered(self, provider_id: str = "", provider_status: str = "") -> None:
        self.provider_id = self.provider_id or provider_id
        self.provider_status = provider_status or self.provider_status
        self.delivered_at = timezone.now()

    @transition(field=status, source=RECEIPT_SOURCES, target=S.UNDELIVERED)
    def mark_undelivered(self, provider_id: str = "", provider_status: str = "",
                         error: str = "") -> None:
        self.provider_id = self.provider_id or provider_id
        self.provider_status = provider_status or self.provider_status
        self.last_error = error or self.last_error

    @transition(field=status, source=S.FAILED, target=S.QUEUED)
    def retry_failed(self) -> None:
        """Staff send a failed message again (the provider's credit was topped up, …).
        `claimed_at` stays, so the provider is asked first whether it has it already."""
        self.attempts = 0
        self.next_attempt_at = None

    # From "sent" too: a delivery receipt may say the handset never got it.
    @transition(field=status, source=[S.QUEUED, S.SENDING, S.SENT], target=S.FAILED)
    def mark_failed(self, error: str = "", provider_id: str = "",
                    provider_status: str = "") -> None:
        self.last_error = error or self.last_error
        self.provider_id = self.provider_id or provider_id
        self.provider_status = provider_status or self.provider_status
