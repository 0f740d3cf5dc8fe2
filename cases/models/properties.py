"""The database-backed property registry: what the municipality already knows."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, transition

from cases.persian import to_persian_digits
from cases.renovation import validate_renovation_code


class District(models.Model):
    number = models.PositiveSmallIntegerField(
        "شماره منطقه",
        primary_key=True,
        validators=[MinValueValidator(1), MaxValueValidator(22)],
    )
    name = models.CharField("نام", max_length=100)

    class Meta:
        ordering = ["number"]
        verbose_name = "منطقه شهرداری"
        verbose_name_plural = "مناطق شهرداری"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # A name people read: Persian digits, whoever typed it (a clerk, a seed, an import).
        self.name = to_persian_digits(self.name)
        super().save(*args, **kwargs)


class Property(models.Model):
    renovation_code = models.CharField(
        "کدنوسازی", max_length=40, unique=True, validators=[validate_renovation_code]
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name="منطقه")
    address = models.CharField("نشانی", max_length=300)
    registry_plate = models.CharField("پلاک ثبتی", max_length=50)
    area_m2 = models.DecimalField("مساحت (متر مربع)", max_digits=8, decimal_places=2)
    floor = models.CharField("طبقه", max_length=20)
    unit = models.CharField("واحد", max_length=20)
    owner_names = models.TextField("نام مالک یا مالکان", help_text="هر مالک در یک سطر")

    class Meta:
        verbose_name = "ملک"
        verbose_name_plural = "املاک"

    def __str__(self) -> str:
        return self.renovation_code

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.owner_names.splitlines() if line.strip())


class RegistryRecord(models.Model):
    """A request the municipality answered earlier, with the certificate if one was issued."""

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="records", verbose_name="ملک"
    )
    request_number = models.CharField("شماره درخواست", max_length=20, unique=True)
    subject = models.CharField("موضوع", max_length=100)
    answered_on = models.DateField("تاریخ پاسخ")
    certificate_number = models.CharField(
        "شماره گواهی", max_length=30, unique=True, null=True, blank=True
    )
    certificate_issued_on = models.DateField("تاریخ صدور گواهی", null=True, blank=True)

    class Meta:
        verbose_name = "سابقه درخواست"
        verbose_name_plural = "سوابق درخواست‌ها"
        indexes = [models.Index(fields=["property", "-certificate_issued_on"])]
        constraints = [
            models.CheckConstraint(
                name="certificate_number_and_date_together",
                condition=(
                    models.Q(certificate_number__isnull=True, certificate_issued_on__isnull=True)
                    | models.Q(certificate_number__isnull=False, certificate_issued_on__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.request_number


class DebtStatus(models.TextChoices):
    OPEN = "open", "باز"
    SETTLED = "settled", "تسویه شده"


class RenovationDebt(models.Model):
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="debts", verbose_name="ملک"
    )
    title = models.CharField("عنوان", max_length=200, default="عوارض نوسازی")
    amount_rials = models.PositiveBigIntegerField("مبلغ (ریال)")
    status = FSMField(
        "وضعیت", default=DebtStatus.OPEN, choices=DebtStatus.choices, protected=True
    )
    settled_at = models.DateTimeField("زمان تسویه", null=True, blank=True)
    settlement_reference = models.CharField("شناسه پرداخت", max_length=100, blank=True)
    # Set on the service's copy of a debt another registry listed (cases/properties.py
    # keeps one copy per id, which payments settle); empty on the database registry's own.
    registry_id = models.CharField(
        "شناسه در سامانه املاک", max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = "بدهی عوارض نوسازی"
        verbose_name_plural = "بدهی‌های عوارض نوسازی"
        indexes = [models.Index(fields=["property", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "registry_id"],
                condition=~models.Q(registry_id=""),
                name="one_copy_per_registry_debt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.property}"

    @transition(field=status, source=DebtStatus.OPEN, target=DebtStatus.SETTLED)
    def settle(self, reference: str, at) -> None:
        self.settled_at = at
        self.settlement_reference = reference
