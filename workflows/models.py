from django.db import models
from viewflow.workflow.models import Process

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
