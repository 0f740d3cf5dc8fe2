"""Staff roles as groups with permissions, created after every migrate."""

import enum

from django.db import DEFAULT_DB_ALIAS


class Role(str, enum.Enum):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"


# app_label.codename; permissions that do not exist yet are created by later issues'
# migrations and picked up on the next migrate.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.INSPECTOR: [
        "cases.view_case",
        "cases.inspect_case",
        "cases.view_property",
        "cases.view_inspectionslot",
    ],
    Role.SUPERVISOR: [
        "cases.view_case",
        "cases.supervise_case",
        "cases.view_caseevent",
        "cases.view_property",
        "cases.view_inspectionslot",
        "cases.change_inspectionslot",
        "staff.view_slatarget",
        # Reissuing or revoking an issued certificate is a supervisor's decision.
        "certificates.view_certificate",
        "certificates.reissue_certificate",
    ],
    Role.CLERK: [
        f"cases.{action}_{model}"
        for model in (
            "property",
            "registryrecord",
            "renovationdebt",
            "district",
            "holiday",
            "inspectorprofile",
            "inspectionslot",
            "portalsettings",
        )
        for action in ("view", "add", "change", "delete")
    ]
    # The staff workspace's SLA targets.
    + [f"staff.{action}_slatarget" for action in ("view", "add", "change", "delete")]
    # The SMS texts clerks edit; their outbox is read-only to them.
    + ["sms.view_smstemplate", "sms.change_smstemplate", "sms.view_outboxmessage"],
}


def ensure_role_groups(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Each role's group with its permissions (those that exist). As a post_migrate
    receiver it waits for the signal of the last app whose permissions the roles hold:
    Django sends the signal once per app, and only then do all of them exist."""
    from django.contrib.auth.models import Group, Permission

    sender = kwargs.get("app_config")
    if sender is not None and sender.label != _last_app_with_role_permissions():
        return
    wanted = {_pair(dotted) for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    candidates = Permission.objects.using(using).filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted})
    found = {(app, codename): pk for pk, app, codename in candidates.values_list(
        "pk", "content_type__app_label", "codename")}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.add(*(found[key] for key in map(_pair, perms) if key in found))


def _pair(dotted: str) -> tuple[str, str]:
    app_label, codename = dotted.split(".")
    return app_label, codename


def _last_app_with_role_permissions() -> str:
    from django.apps import apps

    labels = {_pair(dotted)[0] for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    return [config.label for config in apps.get_app_configs() if config.label in labels][-1]
