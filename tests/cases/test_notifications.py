"""SMS notices of a case: texts, recipient, idempotency and the case timeline."""

import datetime
import re
import zoneinfo

import pytest

from cases.notifications import notify, sms_for_case
from cases.persian import to_persian_digits
from cases.tracking import format_tracking_number
from integrations.sms.base import SmsBackend, SmsSendError
from integrations.sms.texts import segments
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.backends import load as _backend
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
VISIT = datetime.datetime(2025, 11, 25, 10, 0, tzinfo=TEHRAN)  # سه‌شنبه ۴ آذر ۱۴۰۴
PHONE = "09351234567"

# kind → (extra context, words the text must carry)
KINDS = {
    "case_registered": ({"visit_at": VISIT}, ["ثبت شد", "سه‌شنبه ۴ آذر", "۱۰:۰۰"]),
    "visit_reminder": ({"visit_at": VISIT}, ["فردا", "۴ آذر", "۱۰:۰۰", "کارت شناسایی", "نقشه"]),
    "inspection_approved": ({}, ["به سایت مراجعه کنید", "عوارض", "گواهی"]),
    "inspection_cancelled": ({"reason": "مالک در محل نبود"}, ["ابطال", "مالک در محل نبود"]),
    "certificate_issued": ({}, ["صادر شد", "درخواست های پیشین", "«چاپ»"]),
    "case_cancelled": ({"reason": "انصراف متقاضی"}, ["ابطال", "انصراف متقاضی"]),
    "visit_rescheduled": ({"visit_at": VISIT}, ["تغییر کرد", "۴ آذر", "۱۰:۰۰"]),
    "inquiry_issued": ({}, ["پاسخ استعلام", "صادر شد", "«چاپ»"]),
}


@pytest.fixture
def case():
    case = CaseFactory(contact_phone=PHONE)
    case.register()
    case.save_registration()
    return case


def sms_parts(text: str) -> int:
    return segments(text).count


@pytest.mark.parametrize("kind", KINDS)
def test_each_notice_reads_right_and_goes_to_the_contact_phone(kind, case, settings):
    settings.SITE_URL = "https://eservices.example.ir"
    context, words = KINDS[kind]
    message = notify(case, kind, **context)
    assert message.to == PHONE
    assert message.kind == kind
    assert message.correlation == f"case:{case.pk}"
    assert format_tracking_number(case.tracking_number) in message.body
    for word in words:
        assert word in message.body, (word, message.body)
    assert "<" not in message.body and "&" not in message.body
    assert sms_parts(message.body) <= settings.SMS_MAX_SEGMENTS, message.body
    # Every notice about a case carries its short link to «آخرین وضعیت».
    assert re.search(r"https://eservices\.example\.ir/s/[A-Za-z0-9]{7}/$", message.body)


def test_texts_carry_no_latin_digits_but_the_site_address(case, settings):
    settings.SITE_URL = "https://eservices.example.ir"
    for kind, (context, _) in KINDS.items():
        body = notify(case, kind, **context).body
        body = re.sub(r"https://\S+", "", body)  # the site's short link
        assert not any(ch.isascii() and ch.isdigit() for ch in body), body


def test_the_come_back_notice_links_the_site(case, settings):
    settings.SITE_URL = "https://eservices.example.ir"
    body = notify(case, "inspection_approved").body
    assert "به سایت مراجعه کنید" in body
    assert settings.SITE_URL in body


def test_a_cancellation_uses_the_case_reason_when_none_is_given(case):
    case.cancel(reason="مدارک ناقص بود")
    case.save()
    assert "مدارک ناقص بود" in notify(case, "case_cancelled").body


def test_the_same_notice_twice_is_one_message_and_one_event(case):
    first = notify(case, "inspection_approved")
    second = notify(case, "inspection_approved")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    queued = case.events.filter(name="sms_queued")
    assert [e.data for e in queued] == [{"kind": "inspection_approved", "message_id": first.pk}]


def test_a_new_message_and_its_event_are_one_statement(case, postgres):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify(case, "inspection_approved")  # the case's short link made and cached
    with CaptureQueriesContext(connection) as captured:
        message = notify(case, "certificate_issued")
    writes = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("WITH inserted AS (INSERT"), writes
    event = case.events.get(name="sms_queued", data__message_id=message.pk)
    assert event.data == {"kind": "certificate_issued", "message_id": message.pk}
    assert event.actor is None and (event.from_status, event.to_status) == ("", "")


def test_a_suffix_tells_repeating_notices_apart(case):
    first = notify(case, "visit_rescheduled", visit_at=VISIT, idempotency_suffix="slot-1")
    again = notify(case, "visit_rescheduled", visit_at=VISIT, idempotency_suffix="slot-1")
    later = notify(
        case, "visit_rescheduled", visit_at=VISIT + datetime.timedelta(days=1),
        idempotency_suffix="slot-2",
    )
    assert first.pk == again.pk != later.pk
    assert case.events.filter(name="sms_queued").count() == 2


def test_no_contact_phone_means_no_message(case):
    case.contact_phone = ""
    assert notify(case, "inspection_approved") is None
    assert not OutboxMessage.objects.exists()
    assert not case.events.filter(name="sms_queued").exists()


def test_sending_lands_on_the_timeline(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(case, "case_registered", visit_at=VISIT)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    names = list(case.events.values_list("name", flat=True))
    assert names[-2:] == ["sms_queued", "sms_sent"]
    assert case.events.get(name="sms_sent").data == {
        "kind": "case_registered", "message_id": message.pk, "provider_id": f"outbox-{message.pk}"
    }


class FailingBackend(SmsBackend):
    def send(self, message):
        raise SmsSendError("provider down")


def test_a_failed_message_lands_on_the_timeline(case, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = f"{__name__}.FailingBackend"
    _backend.cache_clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = notify(case, "inspection_approved")
    finally:
        _backend.cache_clear()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    failed = case.events.get(name="sms_failed")
    assert failed.data == {
        "kind": "inspection_approved", "message_id": message.pk, "error": "provider down"
    }
    assert not case.events.filter(name="sms_sent").exists()


def test_a_draft_gets_its_message_but_keeps_no_timeline(django_capture_on_commit_callbacks):
    draft = CaseFactory(contact_phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(draft, "case_registered")
    assert message.to == PHONE
    assert not draft.events.exists()  # drafts are purged; their timeline must stay empty


def test_persian_digits_in_the_contact_phone_are_normalised(case):
    case.contact_phone = to_persian_digits(PHONE)
    assert notify(case, "inspection_approved").to == PHONE


def test_staff_see_every_sms_of_a_case_with_its_status(case, django_capture_on_commit_callbacks):
    other = CaseFactory(contact_phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(case, "case_registered", visit_at=VISIT)
        second = notify(case, "inspection_approved")
        notify(other, "inspection_approved")
    listed = list(sms_for_case(case))
    assert [m.pk for m in listed] == [second.pk, first.pk]
    assert {m.get_status_display() for m in listed} == {"ارسال شد"}
