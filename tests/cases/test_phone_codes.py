"""Phone verification at the inspection appointment step (MANUAL step 4)."""

import datetime
import re
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from cases.persian import to_persian_digits
from cases.phone_codes.models import PhoneVerification
from cases.phone_codes.services import check_code, send_code, verified_phone
from integrations.sms.models import OutboxMessage
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db

PHONE = "09121234567"
ADDRESS = "203.0.113.7"
START = datetime.datetime(2025, 11, 22, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tehran"))
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case():
    return CaseFactory()


def code_from_sms(phone: str = PHONE) -> str:
    """Read the code as the citizen does: from the latest SMS to the phone."""
    message = OutboxMessage.objects.filter(to=phone, kind="verification_code").first()
    return re.search(r"#([0-9]{6})$", message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_right_code_verifies_the_phone(clock, case):
    sent = send_code(case, PHONE, ADDRESS)
    assert sent.ok, sent.message
    assert verified_phone(case) is None
    outcome = check_code(case, PHONE, code_from_sms())
    assert outcome.ok
    assert outcome.message == "شماره تماس تایید شد"
    assert verified_phone(case) == PHONE


def test_a_wrong_code_is_refused_with_the_tries_left(clock, case):
    send_code(case, PHONE, ADDRESS)
    outcome = check_code(case, PHONE, wrong(code_from_sms()))
    assert not outcome.ok
    assert outcome.message.startswith("کد تاییدیه درست نیست")
    assert outcome.remaining_attempts == 4
    assert to_persian_digits(4) in outcome.message
    assert verified_phone(case) is None


def test_an_expired_code_is_refused(clock, case):
    send_code(case, PHONE, ADDRESS)
    clock.shift(datetime.timedelta(seconds=119))
    code = code_from_sms()
    clock.shift(datetime.timedelta(seconds=1))
    outcome = check_code(case, PHONE, code)
    assert not outcome.ok
    assert outcome.message == "کد تاییدیه منقضی شده است؛ دوباره دریافت کد تایید را بزنید"
    assert verified_phone(case) is None


def test_a_code_checked_just_before_expiry_still_works(clock, case):
    send_code(case, PHONE, ADDRESS)
    clock.shift(datetime.timedelta(seconds=119))
    assert check_code(case, PHONE, code_from_sms()).ok


def test_after_five_wrong_tries_even_the_right_code_is_refused(clock, case):
    send_code(case, PHONE, ADDRESS)
    code = code_from_sms()
    remaining = [check_code(case, PHONE, wrong(code)).remaining_attempts for _ in range(5)]
    assert remaining == [4, 3, 2, 1, 0]
    sixth = check_code(case, PHONE, code)
    assert not sixth.ok
    assert sixth.message == "تعداد تلاش‌ها بیش از حد مجاز است؛ کد تازه بگیرید"
    assert verified_phone(case) is None
    assert PhoneVerification.objects.get().attempts == 5


def test_resend_waits_a_minute_and_replaces_the_old_code(clock, case):
    send_code(case, PHONE, ADDRESS)
    old_code = code_from_sms()
    clock.shift(datetime.timedelta(seconds=20))
    refused = send_code(case, PHONE, ADDRESS)
    assert not refused.ok
    assert refused.retry_after == 40
    assert to_persian_digits(40) in refused.message
    assert OutboxMessage.objects.count() == 1

    clock.shift(datetime.timedelta(seconds=40))
    assert send_code(case, PHONE, ADDRESS).ok
    new_code = code_from_sms()
    assert OutboxMessage.objects.count() == 2
    if new_code != old_code:  # one chance in a million that the draw repeats
        assert not check_code(case, PHONE, old_code).ok
    assert check_code(case, PHONE, new_code).ok


def test_a_new_code_for_another_phone_withdraws_the_earlier_verification(clock, case):
    send_code(case, PHONE, ADDRESS)
    check_code(case, PHONE, code_from_sms())
    assert verified_phone(case) == PHONE
    assert send_code(case, "09350000000", ADDRESS).ok
    assert verified_phone(case) is None


def test_sends_to_one_phone_are_limited_per_hour(clock, settings):
    settings.PHONE_CODE_SENDS_PER_PHONE_PER_HOUR = 3
    for _ in range(3):  # new cases, so the per-case cooldown does not interfere
        assert send_code(CaseFactory(), PHONE, None).ok
        clock.shift(datetime.timedelta(minutes=10))
    refused = send_code(CaseFactory(), PHONE, None)
    assert not refused.ok
    assert "این شماره" in refused.message
    assert refused.retry_after == 30 * 60
    assert to_persian_digits(30) in refused.message
    assert send_code(CaseFactory(), "09350000000", None).ok

    clock.shift(datetime.timedelta(minutes=30, seconds=1))
    assert send_code(CaseFactory(), PHONE, None).ok


def test_sends_from_one_address_are_limited_per_hour(clock, settings):
    settings.PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR = 2
    assert send_code(CaseFactory(), "09120000001", ADDRESS).ok
    assert send_code(CaseFactory(), "09120000002", ADDRESS).ok
    refused = send_code(CaseFactory(), "09120000003", ADDRESS)
    assert not refused.ok
    assert "دستگاه" in refused.message
    assert refused.retry_after == 3600
    assert send_code(CaseFactory(), "09120000003", "198.51.100.1").ok

    clock.shift(datetime.timedelta(hours=1))
    assert send_code(CaseFactory(), "09120000004", ADDRESS).ok


def test_the_code_is_stored_only_as_a_keyed_hash(clock, case):
    send_code(case, PHONE, ADDRESS)
    code = code_from_sms()
    row = PhoneVerification.objects.values().get()
    assert all(code not in str(value) for value in row.values())
    assert len(row["code_hash"]) == 64
    assert row["client_address"] == ADDRESS


def test_the_sms_carries_the_code_in_persian_and_latin_digits(clock, case):
    send_code(case, PHONE, ADDRESS)
    message = OutboxMessage.objects.get()
    code = code_from_sms()
    assert message.to == PHONE
    assert message.kind == "verification_code"
    assert message.correlation == f"case:{case.pk}"
    assert to_persian_digits(code) in message.body
    assert code in message.body
    assert "کد تایید" in message.body
    assert "۲ دقیقه" in message.body
    # Two SMS segments of 67 UCS-2 characters at most.
    assert len(message.body.encode("utf-16-le")) // 2 <= 134


def test_persian_and_arabic_digits_are_accepted_in_phone_and_code(clock, case):
    assert send_code(case, "۰۹۱۲ ۱۲۳ ۴۵۶۷", ADDRESS).ok
    code = code_from_sms()
    assert not check_code(case, "٠٩١٢١٢٣٤٥٦٧", wrong(code).translate(ARABIC)).ok
    assert check_code(case, "+98 912 123 4567", to_persian_digits(code)).ok
    assert verified_phone(case) == PHONE


def test_a_bad_phone_or_malformed_code_gets_a_persian_message_not_an_error(clock, case):
    refused = send_code(case, "12345", ADDRESS)
    assert not refused.ok
    assert "شماره همراه معتبر نیست" in refused.message
    assert not OutboxMessage.objects.exists()
    send_code(case, PHONE, ADDRESS)
    malformed = check_code(case, PHONE, "12ab")
    assert not malformed.ok
    assert "۶ رقم" in malformed.message
    assert PhoneVerification.objects.get().attempts == 0


def test_checking_a_phone_that_got_no_code_is_refused(clock, case):
    send_code(case, PHONE, ADDRESS)
    outcome = check_code(case, "09350000000", code_from_sms())
    assert not outcome.ok
    assert "دریافت کد تایید" in outcome.message


def test_the_code_is_sent_after_commit(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_code(case, PHONE, ADDRESS)
    assert OutboxMessage.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_tries_are_counted_exactly(postgres):
    case = CaseFactory()
    send_code(case, PHONE, ADDRESS)
    code = code_from_sms()
    outcomes = []

    def try_wrong():
        try:
            outcomes.append(check_code(case, PHONE, wrong(code)))
        finally:
            connection.close()

    threads = [threading.Thread(target=try_wrong) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    remaining = sorted(o.remaining_attempts for o in outcomes)
    assert remaining == [0, 0, 0, 0, 1, 2, 3, 4]
    assert PhoneVerification.objects.get().attempts == 5
    assert not check_code(case, PHONE, code).ok


def test_by_default_a_carrier_nat_serves_many_subscribers_and_one_phone_stays_held(clock):
    """The defaults, not test settings: a hundred subscribers behind one NAT address each
    get their code within the hour, while one phone gets five."""
    for n in range(100):
        assert send_code(CaseFactory(), f"0912{n:07d}", ADDRESS).ok, n
    for _ in range(5):
        assert send_code(CaseFactory(), PHONE, ADDRESS).ok
        clock.shift(datetime.timedelta(minutes=2))
    assert not send_code(CaseFactory(), PHONE, ADDRESS).ok
