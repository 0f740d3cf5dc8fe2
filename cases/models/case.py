"""The case: one citizen request, its business status and its tracking number."""

import builtins

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from cases.tracking import format_tracking_number, generate_tracking_number

from .event_writes import EventsWrittenWithUpdate
from .properties import Property


class ServiceKind(models.TextChoices):
    TRANSFER = "transfer", "گواهی انتقال آپارتمان"
    INQUIRY = "inquiry", "استعلام ادارات/ ترهین"


class ApplicantRole(models.TextChoices):
    OWNER = "owner", "مالک"
    ATTORNEY = "attorney", "وکیل"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس (ثبت نشده)"
    REGISTERED = "registered", "ثبت شده؛ در دست بررسی شهرداری"
    INSPECTION_APPROVED = "inspection_approved", "بازدید تأیید شد؛ در انتظار تسویه عوارض"
    FEES_SETTLED = "fees_settled", "عوارض تسویه شد؛ آماده صدور"
    ISSUED = "issued", "صادر شد"
    ARCHIVED = "archived", "بایگانی دائم"
    CANCELLED = "cancelled", "ابطال"


CANCELLABLE = [CaseStatus.REGISTERED, CaseStatus.INSPECTION_APPROVED, CaseStatus.FEES_SETTLED]
OPEN_STATUSES = [CaseStatus.DRAFT, *CANCELLABLE, CaseStatus.ISSUED]


def is_transfer(case: "Case") -> bool:
    return case.service == ServiceKind.TRANSFER


def is_ready_to_issue(case: "Case") -> bool:
    if case.service == ServiceKind.TRANSFER:
        return case.status == CaseStatus.FEES_SETTLED
    return case.status == CaseStatus.REGISTERED


def has_property(case: "Case") -> bool:
    return case.property_id is not None


class Case(ConcurrentTransitionMixin, EventsWrittenWithUpdate, models.Model):
    service = models.CharField("خدمت", max_length=20, choices=ServiceKind.choices)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="شهروند",
    )
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, null=True, blank=True, verbose_name="ملک"
    )
    request_number = models.CharField("شماره درخواست یا گواهی", max_length=30, blank=True)
    # The notary's, bank's or office's letter that the request answers.
    applicant_role = models.CharField(
        "متقاضی", max_length=10, choices=ApplicantRole.choices, blank=True
    )
    letter_number = models.CharField("شماره نامه", max_length=50, blank=True)
    letter_institution = models.CharField("نام نهاد استعلام کننده", max_length=200, blank=True)
    letter_date = models.DateField("تاریخ نامه", null=True, blank=True)
    # The verified mobile every later notice of the case goes to.
    contact_phone = models.CharField("شماره تماس مالک", max_length=11, blank=True)
    tracking_number = models.CharField(
        "شماره پیگیری", max_length=10, unique=True, null=True, blank=True, editable=False
    )
    status = FSMField(
        "وضعیت", default=CaseStatus.DRAFT, choices=CaseStatus.choices, protected=True
    )
    cancel_reason = models.TextField("دلیل ابطال", blank=True)
    refund_due = models.BooleanField("مسترد شود", default=False)
    created_at = models.DateTimeField("ایجاد", auto_now_add=True)
    # A draft's last step taken by its citizen: the draft purge counts from here, so a
    # draft someone is still working on is never deleted under them.
    last_activity_at = models.DateTimeField(
        "آخرین فعالیت", default=timezone.now, db_default=Now())
    registered_at = models.DateTimeField("ثبت", null=True, blank=True)
    closed_at = models.DateTimeField("پایان", null=True, blank=True)

    class Meta:
        verbose_name = "پرونده"
        verbose_name_plural = "پرونده‌ها"
        permissions = [
            ("inspect_case", "می‌تواند بازدید کارشناسی انجام دهد"),
            ("supervise_case", "می‌تواند پرونده‌ها را ارجاع یا ابطال کند"),
        ]
        indexes = [
            models.Index(fields=["citizen", "-created_at"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["status", "created_at"]),
            # The staff workspace: search by phone, newest registrations, cancellations.
            models.Index(fields=["-registered_at"], name="case_registered_desc"),
            models.Index(fields=["contact_phone"], name="case_contact_phone"),
            models.Index(fields=["status", "closed_at"], name="case_status_closed"),
            # The draft purge; drafts are few beside registered cases, so partial.
            models.Index(fields=["last_activity_at"], name="case_draft_activity",
                         condition=models.Q(status=CaseStatus.DRAFT)),
        ]
        constraints = [
            models.CheckConstraint(
                name="registered_case_has_tracking_number",
                condition=models.Q(status=CaseStatus.DRAFT)
                | models.Q(tracking_number__isnull=False, registered_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"پیش‌نویس {self.pk}"

    # `property` is a field name here, so the builtin is spelled out.
    @builtins.property
    def tracking_number_display(self) -> str:
        return format_tracking_number(self.tracking_number) if self.tracking_number else ""

    @builtins.property
    def is_draft(self) -> bool:
        return self.status == CaseStatus.DRAFT

    # --- transitions: `by` is the user who acts (None for the system) ---------------

    @transition(field=status, source=CaseStatus.DRAFT, target=CaseStatus.REGISTERED,
                conditions=[has_property])
    def register(self, by=None) -> None:
        self.tracking_number = generate_tracking_number()
        self.registered_at = timezone.now()

    @transition(field=status, source=CaseStatus.REGISTERED,
                target=CaseStatus.INSPECTION_APPROVED, conditions=[is_transfer])
    def approve_inspection(self, by=None) -> None:
        pass

    @transition(field=status, source=CaseStatus.INSPECTION_APPROVED,
                target=CaseStatus.FEES_SETTLED, conditions=[is_transfer])
    def settle_fees(self, by=None, reference: str = "") -> None:
        pass

    @transition(field=status, source=[CaseStatus.REGISTERED, CaseStatus.FEES_SETTLED],
                target=CaseStatus.ISSUED, conditions=[is_ready_to_issue])
    def issue(self, by=None) -> None:
        pass

    @transition(field=status, source=CaseStatus.ISSUED, target=CaseStatus.ARCHIVED)
    def archive(self, by=None) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=CANCELLABLE, target=CaseStatus.CANCELLED)
    def cancel(self, by=None, reason: str = "") -> None:
        if not reason.strip():
            raise ValueError("A cancelled case needs a reason the citizen can read.")
        self.cancel_reason = reason.strip()
        self.refund_due = self.status == CaseStatus.FEES_SETTLED
        self.closed_at = timezone.now()

    # --- persistence ----------------------------------------------------------------

    def save(self, *args, **kwargs) -> None:
        """Save the case and the timeline events of its transitions in one transaction.

        A stale save (ConcurrentTransition) or a clashing tracking number rolls back the
        events with it, so the timeline never shows a change that did not happen.
        """
        pending = getattr(self, "_pending_events", [])
        try:
            if not pending:
                super().save(*args, **kwargs)
                return
            # No savepoint: a database error fails the caller's whole transaction
            # (nobody catches one; save_registration, which retries, takes its own).
            with transaction.atomic(savepoint=False):
                for event in pending:
                    event.case = self
                # On PostgreSQL the UPDATE writes the events too (event_writes.py).
                super().save(*args, **kwargs)
                if self._pending_events:
                    from .timeline import CaseEvent

                    CaseEvent.objects.bulk_create(pending)
        except ConcurrentTransition:
            # A stale save's UPDATE matched no row: nothing was written, so the caller's
            # transaction stays usable (Django marked it for rollback all the same).
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(False)
            raise
        self._pending_events = []

    def refresh_from_db(self, *args, **kwargs) -> None:
        # Transitions that never reached the database leave no event behind.
        self._pending_events = []
        super().refresh_from_db(*args, **kwargs)

    def save_registration(self) -> None:
        """Save after `register()`, drawing a new number on the (rare) clash."""
        for _ in range(5):
            try:
                with transaction.atomic():  # the savepoint the retry rolls back to
                    self.save()
                return
            except IntegrityError:
                if not Case.objects.filter(tracking_number=self.tracking_number).exists():
                    raise
                self.tracking_number = generate_tracking_number()
        raise IntegrityError("Could not draw a free tracking number.")
