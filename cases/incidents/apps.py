from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "cases.incidents"
    label = "incidents"
    verbose_name = "رخدادها"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.notifications import retry_message
        from cases.payments.reconciliation import ask_the_bank_again

        from . import registry, signals
        from .models import IncidentKind

        signals.connect()
        # A text is the domain's (its case's) to retry; automatic steps register theirs
        # in workflows.
        registry.register(IncidentKind.SMS_FAILED, retry_message)
        registry.register(IncidentKind.PAYMENT_MISMATCH, ask_the_bank_again)

