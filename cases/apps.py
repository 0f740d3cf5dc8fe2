from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "پرونده‌ها و ثبت املاک"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            notifications,  # noqa: F401 — records SMS delivery on the timeline
            portal_settings,
        )

        portal_settings.connect()
