"""What the staff workspace keeps of its own: SLA targets and the waiting-time summary."""

from django.conf import settings
from django.db import models


class SlaTarget(models.Model):
    """How many working days cases may wait at one node of one flow."""

    flow_label = models.CharField("فرایند", max_length=40)
    node_name = models.CharField("گام", max_length=60)
    working_days = models.PositiveSmallIntegerField("مهلت (روز کاری)")

    class Meta:
        verbose_name = "مهلت خدمت (SLA)"
        verbose_name_plural = "مهلت‌های خدمت (SLA)"
        ordering = ["flow_label", "node_name"]
        constraints = [
            models.UniqueConstraint(fields=["flow_label", "node_name"], name="one_sla_per_node")
        ]

    def __str__(self) -> str:
        return f"{self.flow_label}/{self.node_name}: {self.working_days}"


class NodeWaitDay(models.Model):
    """Finished tasks of one node on one day, as a histogram of their waits.

    Percentiles over a million tasks cannot be computed per page view; the refresh job
    (staff.summary) counts each finished task once into its day's histogram (fixed
    buckets, staff.summary.BUCKET_EDGES), and the dashboard merges the period's days.
    """

    flow_label = models.CharField("فرایند", max_length=40)
    node_name = models.CharField("گام", max_length=60)
    day = models.DateField("روز")
    finished = models.PositiveIntegerField("تعداد پایان‌یافته")
    histogram = models.JSONField("توزیع زمان انتظار", default=list)

    class Meta:
        verbose_name = "خلاصه انتظار روزانه"
        verbose_name_plural = "خلاصه‌های انتظار روزانه"
        constraints = [
            models.UniqueConstraint(fields=["flow_label", "node_name", "day"], name="one_wait_row_per_day")
        ]
        indexes = [models.Index(fields=["flow_label", "day"])]


class DailyCount(models.Model):
    """Registrations, issuances and cancellations per day and flow (from the timeline)."""

    flow_label = models.CharField("فرایند", max_length=40)
    day = models.DateField("روز")
    registered = models.PositiveIntegerField("ثبت", default=0)
    issued = models.PositiveIntegerField("صدور", default=0)
    cancelled = models.PositiveIntegerField("ابطال", default=0)

    class Meta:
        verbose_name = "آمار روزانه"
        verbose_name_plural = "آمار روزانه"
        constraints = [
            models.UniqueConstraint(fields=["flow_label", "day"], name="one_count_row_per_day")
        ]


class SummaryRefresh(models.Model):
    """When the summary was last brought up to date, and up to which moment."""

    refreshed_at = models.DateTimeField("زمان به‌روزرسانی")
    covered_until = models.DateTimeField("تا")

    class Meta:
        verbose_name = "به‌روزرسانی خلاصه"
        verbose_name_plural = "به‌روزرسانی‌های خلاصه"
        get_latest_by = "refreshed_at"


class DistrictLoad(models.Model):
    """Open visits per district at the last refresh: joining every open task to its case
    and property is a scan of the task table's open tenth, too slow for a page view."""

    flow_label = models.CharField("فرایند", max_length=40)
    district = models.ForeignKey("cases.District", on_delete=models.CASCADE, null=True,
                                 verbose_name="منطقه")
    open_tasks = models.PositiveIntegerField("کارهای باز")

    class Meta:
        verbose_name = "بار کاری منطقه"
        verbose_name_plural = "بار کاری مناطق"
        indexes = [models.Index(fields=["flow_label", "-open_tasks"])]


class OpenTaskCount(models.Model):
    """Open tasks of one node and one owner at the last refresh (staff/open_tasks.py): the
    dashboards read these few hundred rows instead of grouping the task table's open
    tenth per page view (750,000 index entries per transfer dashboard at 10,000,000 cases)."""

    flow_label = models.CharField("فرایند", max_length=40)
    node_ref = models.CharField("گام", max_length=255)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              related_name="+", verbose_name="کارشناس")
    open_tasks = models.PositiveIntegerField("کارهای باز")
    oldest = models.DateTimeField("قدیمی‌ترین")
    # Past the node's SLA at the refresh (its target then, in working days).
    late = models.PositiveIntegerField("خارج از مهلت", default=0)

    class Meta:
        verbose_name = "کارهای باز گام"
        verbose_name_plural = "کارهای باز گام‌ها"
        indexes = [models.Index(fields=["flow_label"])]
