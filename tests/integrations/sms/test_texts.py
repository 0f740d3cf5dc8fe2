"""Texts clerks edit: sandboxed Jinja2, checked in the admin, previewed with a count."""

import pytest
from django.urls import reverse

from cases.notifications import render_sms
from integrations.sms import texts
from integrations.sms.models import SmsTemplate
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = ["verification_code", "case_registered", "inquiry_registered", "visit_reminder",
         "visit_rescheduled", "inspection_approved", "inspection_cancelled",
         "certificate_issued", "case_cancelled", "inquiry_issued", "next_step_changed"]
ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ link.__class__.__base__.__subclasses__() }}",
    "{{ tracking_number.format.__globals__ }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


def test_every_kind_is_seeded_from_the_shipped_texts_and_passes_its_checks():
    assert sorted(SmsTemplate.objects.values_list("kind", flat=True)) == sorted(KINDS)
    for template in SmsTemplate.objects.all():
        assert template.body == texts.default_text(template.kind)
        text = texts.check(template.body, template.variables, template.sample)
        assert "{{" not in text and text.strip()


@pytest.mark.parametrize("body", ESCAPES)
def test_a_sandbox_escape_is_refused(body):
    variables = ["tracking_number", "link"]
    with pytest.raises(texts.TemplateInvalid):
        texts.check(body, variables, {"tracking_number": "۱۲۳", "link": "https://x/s/a/"})
    # And at run time, where a stored template bypassed the admin's form.
    with pytest.raises(Exception) as raised:
        texts.ENV.from_string(body).render(tracking_number="۱", link="x", cycler=None)
    assert "__" not in str(raised.value) or "unsafe" in str(raised.value) \
        or raised.type.__name__ in ("SecurityError", "UndefinedError")


def test_a_broken_stored_template_falls_back_to_the_shipped_text():
    SmsTemplate.objects.filter(kind="inspection_approved").update(
        body="{{ ''.__class__.__mro__ }}")
    text = render_sms("inspection_approved", {"tracking_number": "۱۲۳", "link": "L",
                                              "site_url": "S"})
    assert "مراجعه کنید" in text and "class" not in text


def test_an_edited_text_is_used_with_only_its_variables():
    SmsTemplate.objects.filter(kind="inspection_approved").update(
        body="بازدید {{ tracking_number }} تایید شد: {{ link }}")
    text = render_sms("inspection_approved", {"tracking_number": "۱۲۳", "link": "L",
                                              "site_url": "S", "secret": "X"})
    assert text == "بازدید ۱۲۳ تایید شد: L"


@pytest.mark.parametrize("text, encoding, count", [
    ("س" * 70, "UCS-2", 1), ("س" * 71, "UCS-2", 2), ("س" * 134, "UCS-2", 2),
    ("س" * 135, "UCS-2", 3), ("a" * 160, "GSM-7", 1), ("a" * 161, "GSM-7", 2),
    ("a" * 159 + "€", "GSM-7", 2), ("a" * 69 + "😀", "UCS-2", 2),
])
def test_segments_count_persian_as_ucs2(text, encoding, count):
    parts = texts.segments(text)
    assert (parts.encoding, parts.count) == (encoding, count)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(staff=True, is_staff=True, is_superuser=True))
    return client


def change_url(kind):
    return reverse("admin:sms_smstemplate_change",
                   args=[SmsTemplate.objects.get(kind=kind).pk])


def test_the_admin_previews_with_sample_data_and_counts_segments(admin_client):
    page = admin_client.get(change_url("case_registered")).content.decode()
    assert "سه‌شنبه ۴ آذر" in page  # the sample visit, rendered
    assert "پیامک (" in page and "UCS-2" in page
    assert "{{ link }}" in page  # the variables the clerk may use


@pytest.mark.parametrize("body, error", [
    ("درخواست {{ tracking_number ", "نادرست است"),
    ("درخواست {{ national_id }}", "متغیر ناشناخته: national_id"),
    ("{{ ''.__class__.__mro__ }}", "بیرون از متغیرهای داده‌شده"),
    ("س" * 300, "بیش از ۳ پیامک".replace("۳", "3")),
])
def test_the_admin_refuses_a_bad_template_in_persian(admin_client, body, error):
    before = SmsTemplate.objects.get(kind="inspection_approved").body
    response = admin_client.post(change_url("inspection_approved"),
                                 {"title": "تایید بازدید", "body": body})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert SmsTemplate.objects.get(kind="inspection_approved").body == before


def test_the_admin_saves_a_good_edit(admin_client):
    body = "بازدید {{ tracking_number }} تایید شد. عوارض را بپردازید: {{ link }}"
    response = admin_client.post(change_url("inspection_approved"),
                                 {"title": "تایید بازدید", "body": body})
    assert response.status_code == 302
    assert SmsTemplate.objects.get(kind="inspection_approved").body == body


def test_a_stored_text_is_read_once_and_an_edit_shows_at_once(django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    context = {"tracking_number": "۱۲۳", "link": "L", "site_url": "S"}
    render_sms("inspection_approved", context)
    with CaptureQueriesContext(connection) as captured:
        render_sms("inspection_approved", context)
    assert len(captured) == 0
    stored = SmsTemplate.objects.get(kind="inspection_approved")
    stored.body = "ویرایش شد {{ tracking_number }}"
    with django_capture_on_commit_callbacks(execute=True):
        stored.save()
    assert render_sms("inspection_approved", context) == "ویرایش شد ۱۲۳"
