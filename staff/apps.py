from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    label = "staff"
    verbose_name = "میز کار کارکنان"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import choices

        choices.connect()
