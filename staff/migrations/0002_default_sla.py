from django.db import migrations


def default_targets(apps, schema_editor):
    SlaTarget = apps.get_model("staff", "SlaTarget")
    # The municipality's promise: the inspection within five working days.
    SlaTarget.objects.get_or_create(flow_label="transfer", node_name="inspection",
                                    defaults={"working_days": 5})


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]
    operations = [migrations.RunPython(default_targets, migrations.RunPython.noop)]
