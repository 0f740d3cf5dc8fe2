"""District names shown with Persian digits («منطقه ۱۲», not «منطقه 12»)."""

from django.db import migrations

LATIN_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(apps, schema_editor):
    District = apps.get_model("cases", "District")
    for district in District.objects.all():
        name = district.name.translate(LATIN_TO_PERSIAN)
        if name != district.name:
            District.objects.filter(pk=district.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_renovationdebt_registry_id")]
    operations = [migrations.RunPython(persian_digits, migrations.RunPython.noop)]
