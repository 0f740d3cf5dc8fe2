from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "integrations.sms"
    label = "sms"
    verbose_name = "پیامک"
    default_auto_field = "django.db.models.BigAutoField"
