from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "گردش کار"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.incidents import registry
        from cases.incidents.models import IncidentKind

        from . import automation  # connects the Handle runner

        registry.register(IncidentKind.AUTOMATIC_STEP, automation.retry_automatic_step)
