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
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.add(*wanted)
