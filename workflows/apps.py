from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "گردش کار"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.incidents import registry
        from cases.incidents.models import IncidentKind

        from . import automation  # connects the Handle runner
        from . import flow_versions  # noqa: F401 (forgets the versions when the setting changes)
        from . import task_errors  # connects the task_failed receiver

        registry.register(IncidentKind.AUTOMATIC_STEP, automation.retry_automatic_step)
        registry.register(IncidentKind.TASK_ERROR, task_errors.retry_task_error)
