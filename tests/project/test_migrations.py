"""Migrations that move data: run them on rows the old schema wrote."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("cases", "0005_staff_indexes")]
AFTER = [("cases", "0006_case_last_activity")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_drafts_count_their_idle_days_from_creation_after_the_upgrade():
    try:
        old_apps = migrate(BEFORE)
        Case = old_apps.get_model("cases", "Case")
        citizen = old_apps.get_model("accounts", "User").objects.create(username="old")
        long_ago = timezone.now() - datetime.timedelta(days=30)
        draft = Case.objects.create(citizen=citizen, service="transfer", status="draft")
        registered = Case.objects.create(
            citizen=citizen, service="transfer", status="registered",
            tracking_number="1234567890", registered_at=long_ago)
        Case.objects.filter(pk__in=[draft.pk, registered.pk]).update(created_at=long_ago)

        new_apps = migrate(AFTER)
        rows = dict(new_apps.get_model("cases", "Case").objects.values_list(
            "pk", "last_activity_at"))
    finally:
        migrate(latest())
    # A draft forgotten a month ago is not given a fresh fortnight by the upgrade.
    assert rows[draft.pk] == long_ago
    # Other rows take the database default (the purge never reads theirs).
    assert rows[registered.pk] > long_ago
