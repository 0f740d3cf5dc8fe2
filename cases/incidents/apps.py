from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "cases.incidents"
    label = "incidents"
    verbose_name = "رخدادها"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
