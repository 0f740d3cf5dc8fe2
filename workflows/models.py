from django.conf import settings
from django.db import models
from viewflow.workflow.managers import TaskQuerySet
from viewflow.workflow.models import Process, Task

from cases.models import Case

from . import task_links


class CaseProcess(Process):
    """The engine's process of one case: a real foreign key, so joins use an index.

    Both flows share this class; viewflow's managers still keep each flow's rows apart
    by `flow_class`.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="process")

    class Meta:
        verbose_name = "فرایند پرونده"
        verbose_name_plural = "فرایندهای پرونده"


class CaseTaskManager(models.Manager.from_queryset(TaskQuerySet)):
    def get_queryset(self):
        # viewflow's task view reads the task, then its Process, then the CaseProcess
        # (`coerced`), then our steps read the case, the next step's owner (the case's
        # citizen) and the property most steps show or check: one query instead of six.
        # (A step that picks another property sets `property_id`, which drops the joined one.)
        return super().get_queryset().select_related(
            "process__caseprocess__case__citizen", "process__caseprocess__case__property")


class CaseTask(Task):
    """viewflow's Task, read with its process and case (the flows' `task_class`)."""

    objects = CaseTaskManager()

    class Meta:
        proxy = True

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        # A new task's links to the tasks before it go in its own INSERT (task_links.py).
        previous = self.__dict__.pop(task_links.PENDING_ATTRIBUTE, None)
        if not previous or raw:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        return task_links.insert_with_links(self, using, fields, returning_fields, previous)


class CaseMigration(models.Model):
    """One run of `migrate_cases` (or the supervisors' page): a flow's open cases moved
    from one version to another by a node mapping (workflows/case_migration/)."""

    flow_label = models.CharField("فرایند", max_length=30)
    from_version = models.PositiveSmallIntegerField("از نسخه")
    to_version = models.PositiveSmallIntegerField("به نسخه")
    # {"fees": "legal_review"}: a node of the old version → the node its cases move to;
    # a node of the same name in both versions moves to itself unless mapped.
    mapping = models.JSONField("نگاشت گام‌ها", default=dict, blank=True)
    undoes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="undone_by", verbose_name="بازگرداندن")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+", verbose_name="انجام‌دهنده")
    at = models.DateTimeField("زمان", auto_now_add=True)

    class Meta:
        verbose_name = "انتقال پرونده‌ها به نسخه دیگر"
        verbose_name_plural = "انتقال پرونده‌ها به نسخه دیگر"
        ordering = ["-at", "-id"]


class CaseMove(models.Model):
    """One case moved by a migration: the task it left and the task it got. Undoing the
    move (while nothing has happened on the case since) cancels the task it got and
    reopens the one it left, so the case is exactly as it was, down to its page's URL."""

    migration = models.ForeignKey(CaseMigration, on_delete=models.PROTECT, related_name="moves")
    # A purged draft takes its moves along (a registered case's move is on its timeline).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    left_task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="moved_out")
    new_task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="moved_in")
    # The left task's status, given back to it if the move is undone.
    left_status = models.CharField(max_length=50)
    from_node = models.CharField(max_length=50)
    to_node = models.CharField(max_length=50)
    undone_by = models.ForeignKey(CaseMigration, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="undid")

    class Meta:
        verbose_name = "پرونده منتقل‌شده"
        verbose_name_plural = "پرونده‌های منتقل‌شده"
