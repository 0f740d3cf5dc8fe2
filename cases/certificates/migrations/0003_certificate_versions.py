"""Certificates get versions: reissuing adds one and revokes the previous.

Every existing certificate becomes version 1 of the case it was issued for.
"""

import django.db.models.deletion
from django.db import migrations, models


def issued_for_is_case(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.filter(issued_for__isnull=True).update(issued_for=models.F("case"))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_case_applicant_and_letter"),
        ("certificates", "0002_certificate_preview"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="certificate",
            options={"ordering": ["-issued_at"], "permissions": [("reissue_certificate", "صدور دوباره و ابطال گواهی")], "verbose_name": "گواهی صادر شده", "verbose_name_plural": "گواهی‌های صادر شده"},
        ),
        migrations.AddField(
            model_name="certificate",
            name="issued_for",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="certificate_versions", to="cases.case", verbose_name="پرونده صدور"),
        ),
        migrations.RunPython(issued_for_is_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="issued_for",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="certificate_versions", to="cases.case", verbose_name="پرونده صدور"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="case",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="certificate", to="cases.case", verbose_name="پرونده"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="نسخه"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="facts",
            field=models.JSONField(blank=True, default=dict, verbose_name="مبنای صدور"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revocation_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="علت ابطال"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(condition=models.Q(("case__isnull", True), ("case", models.F("issued_for")), _connector="OR"), name="certificate_current_of_its_own_case"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(fields=("issued_for", "version"), name="certificate_one_row_per_version"),
        ),
    ]
