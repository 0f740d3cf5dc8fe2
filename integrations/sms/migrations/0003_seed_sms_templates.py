"""Seed the editable texts with the ones shipped in templates/sms/<kind>.txt.

The variables and sample data are written here, not imported, so this migration
means the same thing whatever the code later becomes.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations

TRACKING = "\u202a۱۴۰ ۴۰۰ ۰۱۲۳\u202c"
LINK = "https://eservices.example.ir/s/Ab3dE5f/"
CASE = ["tracking_number", "site_url", "link"]
VISIT = ["visit_day", "visit_time"]
SAMPLE = {
    "tracking_number": TRACKING, "site_url": "https://eservices.example.ir", "link": LINK,
    "visit_day": "سه‌شنبه ۴ آذر", "visit_time": "۱۰:۰۰", "reason": "مالک در محل نبود",
    "refund_due": True, "code": "123456", "code_fa": "۱۲۳۴۵۶", "validity": "۵ دقیقه",
    "site_host": "eservices.example.ir",
}
KINDS = {
    "verification_code": ("کد تایید شماره همراه", ["code", "code_fa", "validity", "site_host"]),
    "case_registered": ("ثبت درخواست", CASE + VISIT),
    "inquiry_registered": ("ثبت استعلام", CASE),
    "visit_reminder": ("یادآوری بازدید کارشناس", CASE + VISIT),
    "visit_rescheduled": ("تغییر زمان بازدید", CASE + VISIT),
    "inspection_approved": ("تایید بازدید: مراجعه به سایت", CASE),
    "inspection_cancelled": ("نتیجه بازدید: ابطال", CASE + ["reason"]),
    "certificate_issued": ("صدور گواهی", CASE),
    "case_cancelled": ("ابطال درخواست", CASE + ["reason", "refund_due"]),
    "inquiry_issued": ("صدور پاسخ استعلام", CASE),
}


def seed(apps, schema_editor):
    SmsTemplate = apps.get_model("sms", "SmsTemplate")
    folder = Path(settings.BASE_DIR) / "templates" / "sms"
    for kind, (title, variables) in KINDS.items():
        SmsTemplate.objects.get_or_create(kind=kind, defaults={
            "title": title,
            "body": (folder / f"{kind}.txt").read_text(encoding="utf-8"),
            "variables": variables,
            "sample": {name: SAMPLE[name] for name in variables},
        })


def unseed(apps, schema_editor):
    apps.get_model("sms", "SmsTemplate").objects.filter(kind__in=KINDS).delete()


class Migration(migrations.Migration):
    dependencies = [("sms", "0002_outbox_states_texts_links")]
    operations = [migrations.RunPython(seed, unseed)]
