"""Seed the text a citizen gets when their case is moved to another version of its
procedure and what they have to do next changed (workflows/case_migration/)."""

from pathlib import Path

from django.conf import settings
from django.db import migrations

KIND = "next_step_changed"
VARIABLES = ["tracking_number", "site_url", "link", "step"]
SAMPLE = {"tracking_number": "\u202a۱۴۰ ۴۰۰ ۰۱۲۳\u202c", "site_url": "https://eservices.example.ir",
          "link": "https://eservices.example.ir/s/Ab3dE5f/", "step": "بررسی حقوقی"}


def seed(apps, schema_editor):
    SmsTemplate = apps.get_model("sms", "SmsTemplate")
    body = (Path(settings.BASE_DIR) / "templates" / "sms" / f"{KIND}.txt").read_text(encoding="utf-8")
    SmsTemplate.objects.get_or_create(kind=KIND, defaults={
        "title": "تغییر مراحل خدمت: گام بعدی", "body": body, "variables": VARIABLES,
        "sample": SAMPLE})


def unseed(apps, schema_editor):
    apps.get_model("sms", "SmsTemplate").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [("sms", "0003_seed_sms_templates")]
    operations = [migrations.RunPython(seed, unseed)]
