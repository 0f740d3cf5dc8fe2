"""The staff roles' groups, made after every migrate (cases/accounts/roles.py)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models.signals import post_migrate
from django.test.utils import CaptureQueriesContext

from cases.accounts.roles import ROLE_PERMISSIONS, Role, ensure_role_groups

pytestmark = pytest.mark.django_db


def held(role: str) -> set[str]:
    return {f"{app}.{codename}" for app, codename in Group.objects.get(name=role)
            .permissions.values_list("content_type__app_label", "codename")}


def test_each_role_holds_every_permission_it_names():
    for role, perms in ROLE_PERMISSIONS.items():
        assert held(role.value) == set(perms), role


def test_a_migrate_gives_back_a_removed_permission_once_all_apps_have_theirs():
    """post_migrate comes once per app: the groups are made at the last app whose
    permissions they hold, in one read of those permissions, not at every app's."""
    Group.objects.get(name="supervisor").permissions.remove(
        Permission.objects.get(content_type__app_label="staff", codename="view_slatarget"))
    configs = [config for config in apps.get_app_configs() if config.models_module]
    runs = []
    for config in configs:
        with CaptureQueriesContext(connection) as captured:
            ensure_role_groups(app_config=config, using="default")
        runs.append((config.label, len(captured)))
    named = {dotted.split(".")[0] for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    last = [label for label, _ in runs if label in named][-1]
    assert [label for label, queries in runs if queries] == [last], runs
    assert dict(runs)[last] <= 10
    assert "staff.view_slatarget" in held("supervisor")
    # As Django sends it (every app's receivers, ours included), the same end state.
    Group.objects.get(name="supervisor").permissions.clear()
    for config in configs:
        post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False,
                          using="default", apps=apps, plan=[])
    assert held("supervisor") == set(ROLE_PERMISSIONS[Role.SUPERVISOR])
