from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "گردش کار"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import automation  # noqa: F401 — connects the Handle runner
