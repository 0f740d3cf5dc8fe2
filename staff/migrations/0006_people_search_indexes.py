"""Indexes for the staff search's look-up of people (staff.queries._users): by mobile
number, and by last and first name. Without them each such search read the whole user
table: at 10,000,000 cases (bench.city, 1,000,000 citizens) the phone search's user query
was a sequential scan, 40 ms at 100,000 people and growing with them."""

from django.db import migrations

INDEXES = {
    "accounts_user_mobile_search": "(mobile)",
    "accounts_user_last_first_search": "(last_name, first_name)",
    "accounts_user_first_name_search": "(first_name)",
}


def create(apps, schema_editor) -> None:
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user {columns}")


def drop(apps, schema_editor) -> None:
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0005_cancel_reasons_cover_index"),
        ("accounts", "0003_user_verified_mobile"),
    ]

    operations = [migrations.RunPython(create, drop)]
