"""Data committed for a whole module or package, and the test database put back after."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps
from django.core.management import call_command

# Rows the data migrations put in, which flush removes and later tests rely on.
DATA_MIGRATIONS = [("integrations.sms.migrations.0003_seed_sms_templates", "seed"),
                   ("integrations.sms.migrations.0004_seed_next_step_changed", "seed"),
                   ("staff.migrations.0002_default_sla", "default_targets")]


def flush_and_reseed() -> None:
    """Empty every table, then put back what the data migrations wrote."""
    call_command("flush", interactive=False, verbosity=0)
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(django_apps, None)
