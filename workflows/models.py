from django.db import models
from viewflow.workflow.managers import TaskQuerySet
from viewflow.workflow.models import Process, Task

from cases.models import Case


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
