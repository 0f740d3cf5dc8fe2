from django.apps import AppConfig


class PhoneCodesConfig(AppConfig):
    name = "cases.phone_codes"
    # The label the app was first installed under: its migrations, table names, content
    # types and permission codenames are recorded under it, and stay.
    label = "verification"
    verbose_name = "تایید شماره همراه"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the case timeline to the SMS outbox's status signal. It belongs in
        # CasesConfig.ready(); it is here until that file imports it (dispatch_uid
        # makes a second import harmless).
        from cases import notifications  # noqa: F401
