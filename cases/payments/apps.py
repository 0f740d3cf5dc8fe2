from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "cases.payments"
    label = "payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import advance  # noqa: F401  (connects the payment_settled receiver)
