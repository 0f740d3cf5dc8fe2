from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "cases.appointments"
    label = "appointments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .availability import connect_holidays

        connect_holidays()
