from django.apps import AppConfig


class SandboxBankConfig(AppConfig):
    name = "integrations.payments.sandbox"
    label = "sandbox_bank"
    verbose_name = "درگاه آزمایشی"
    default_auto_field = "django.db.models.BigAutoField"
