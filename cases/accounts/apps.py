from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cases.accounts"
    label = "accounts"
    verbose_name = "حساب‌های کاربری"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import backends, devices, role_signals
        from .roles import ensure_role_groups

        role_signals.connect()
        backends.connect()
        devices.connect()

        # Groups need the permissions, which Django creates in post_migrate too.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
