from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "integrations.sms"
    label = "sms"
    verbose_name = "پیامک"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import SmsTemplate
        from .texts import forget_text

        post_save.connect(forget_text, sender=SmsTemplate, dispatch_uid="sms.text_saved")
        post_delete.connect(forget_text, sender=SmsTemplate, dispatch_uid="sms.text_deleted")
