"""The engine baseline's table: one row per task, inserted then updated, as a task is."""

from django.db import models


class BaselineTask(models.Model):
    process_id = models.IntegerField()
    flow_task = models.CharField(max_length=255)
    status = models.CharField(max_length=50, default="NEW")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True)

    class Meta:
        app_label = "bench"
